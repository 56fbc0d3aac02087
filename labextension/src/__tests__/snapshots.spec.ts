/**
 * What the sidebar keeps per notebook for switching back: only the issue it was fetched for, a
 * partial update keeps the rest, and the least recently used notebook goes past the capacity.
 */
import { IssueReply, ParamsReply } from '../api';
import { PanelSnapshots } from '../snapshots';
import { LINK, sampleIssue, sampleRuns } from './samples';

const issue = (number: number, title: string): IssueReply => ({
  issue: sampleIssue(number, title, { ask: null }),
  ask: null,
  ask_missing: false,
  link: LINK,
  offline_as_of: null
});

const params = (path: string): ParamsReply => ({
  path,
  cell: 2,
  cell_index: 1,
  parameters: [],
  notes: []
});
const runs = sampleRuns;

describe('PanelSnapshots', () => {
  it('gives the issue back only for the number it was fetched for', () => {
    const snapshots = new PanelSnapshots();
    snapshots.update('a.ipynb', { issue: { number: 2, reply: issue(2, 'Churn') } });
    expect(snapshots.issue('a.ipynb', 2)?.issue.title).toBe('Churn');
    expect(snapshots.issue('a.ipynb', 3)).toBeNull();
    expect(snapshots.issue('b.ipynb', 2)).toBeNull();
  });

  it('keeps the parts an update does not name', () => {
    const snapshots = new PanelSnapshots();
    snapshots.update('a.ipynb', { params: params('a.ipynb'), runs: runs(4) });
    snapshots.update('a.ipynb', { issue: { number: 2, reply: issue(2, 'Churn') } });
    snapshots.update('a.ipynb', { runs: runs(5) });
    const kept = snapshots.get('a.ipynb');
    expect(kept?.params?.path).toBe('a.ipynb');
    expect(kept?.runs?.total).toBe(5);
    expect(kept?.issue?.number).toBe(2);
    snapshots.update('a.ipynb', { issue: null });
    expect(snapshots.issue('a.ipynb', 2)).toBeNull();
  });

  it('drops the least recently used notebook past its capacity', () => {
    const snapshots = new PanelSnapshots(2);
    snapshots.update('a.ipynb', { runs: runs(1) });
    snapshots.update('b.ipynb', { runs: runs(2) });
    expect(snapshots.get('a.ipynb')?.runs?.total).toBe(1); // a is now the most recent
    snapshots.update('c.ipynb', { runs: runs(3) });
    expect(snapshots.size).toBe(2);
    expect(snapshots.get('b.ipynb')).toBeUndefined();
    expect(snapshots.get('a.ipynb')?.runs?.total).toBe(1);
    expect(snapshots.get('c.ipynb')?.runs?.total).toBe(3);
    snapshots.delete('a.ipynb');
    expect(snapshots.get('a.ipynb')).toBeUndefined();
  });
});
