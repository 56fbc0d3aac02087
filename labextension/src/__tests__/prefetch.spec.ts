/**
 * Prefetching notebooks opened in the background: once the document is loaded and the browser is
 * idle, one notebook after another, the issue (for a linked one), parameters and runs go into the
 * snapshots; nothing is asked for the notebook shown, one already kept, or one closed meanwhile.
 */
import { NotebookPanel } from '@jupyterlab/notebook';
import { PromiseDelegate } from '@lumino/coreutils';

import { IPrefetchHost, prefetchWhenIdle } from '../prefetch';
import { PanelSnapshots } from '../snapshots';
import { PendingApi } from './pending';
import { LINK, sampleIssue, sampleRuns } from './samples';

/** The little of a NotebookPanel the prefetch reads. */
function panel(
  path: string,
  link: unknown
): { panel: NotebookPanel; ready: PromiseDelegate<void>; close(): void } {
  const ready = new PromiseDelegate<void>();
  const fake = {
    isDisposed: false,
    context: {
      ready: ready.promise,
      localPath: path,
      model: {
        getMetadata: (key: string) => (key === 'jupyter_dsl' ? link : undefined)
      }
    }
  };
  return {
    panel: fake as unknown as NotebookPanel,
    ready,
    close: () => (fake.isDisposed = true)
  };
}

const params = { path: 'x', cell: 2, cell_index: 1, parameters: [], notes: [] };
const issue = {
  issue: sampleIssue(2, 'Churn'),
  ask: null,
  ask_missing: false,
  link: LINK
};
/** The idle wait (jsdom has no requestIdleCallback: 50 ms) passes, on jest's fake clock. */
const settle = (): Promise<void> => jest.advanceTimersByTimeAsync(50);

let api: PendingApi;
let snapshots: PanelSnapshots;
let shown: NotebookPanel | null;
let host: IPrefetchHost;

beforeEach(() => {
  api = new PendingApi();
  snapshots = new PanelSnapshots();
  shown = null;
  host = { api, snapshots, isShown: p => p === shown };
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('prefetchWhenIdle', () => {
  it('waits for the document, then keeps the issue, parameters and runs of a linked notebook', async () => {
    const a = panel('a.ipynb', LINK);
    prefetchWhenIdle(a.panel, host);
    await settle();
    expect(api.pending).toEqual([]); // not loaded yet: nothing asked
    a.ready.resolve();
    await settle();
    expect(api.pending.map(call => [call.method, call.args[0]])).toEqual([
      ['getIssue', 2],
      ['getParams', 'a.ipynb'],
      ['listRuns', { path: 'a.ipynb', limit: 5000 }]
    ]);
    await api.answer('getIssue', issue);
    await api.answer('getParams', params);
    await api.answer('listRuns', sampleRuns(3));
    expect(snapshots.issue('a.ipynb', 2)?.issue.title).toBe('Churn');
    expect(snapshots.get('a.ipynb')?.runs?.total).toBe(3);
  });

  it('fetches one notebook after another, and no issue for an unlinked one', async () => {
    const a = panel('a.ipynb', undefined);
    const b = panel('b.ipynb', undefined);
    prefetchWhenIdle(a.panel, host);
    prefetchWhenIdle(b.panel, host);
    a.ready.resolve();
    b.ready.resolve();
    await settle();
    expect(api.pending.map(call => call.args[0])).toEqual([
      'a.ipynb',
      { path: 'a.ipynb', limit: 5000 }
    ]);
    await api.answer('getParams', params);
    await api.answer('listRuns', sampleRuns(1));
    await settle();
    expect(api.pending.map(call => call.args[0])).toEqual([
      'b.ipynb',
      { path: 'b.ipynb', limit: 5000 }
    ]);
    await api.answer('getParams', params);
    await api.answer('listRuns', sampleRuns(2));
    expect(snapshots.get('a.ipynb')?.issue).toBeNull();
    expect(snapshots.get('b.ipynb')?.runs?.total).toBe(2);
  });

  it('asks nothing for the notebook shown or one already kept, and keeps nothing of a closed one', async () => {
    const current = panel('shown.ipynb', LINK);
    shown = current.panel;
    const kept = panel('kept.ipynb', LINK);
    snapshots.update('kept.ipynb', { runs: sampleRuns(9) });
    const closing = panel('closing.ipynb', undefined);
    for (const p of [current, kept, closing]) {
      prefetchWhenIdle(p.panel, host);
      p.ready.resolve();
    }
    await settle();
    expect(api.pending.map(call => call.args[0])).toEqual([
      'closing.ipynb',
      { path: 'closing.ipynb', limit: 5000 }
    ]);
    closing.close();
    await api.answer('getParams', params);
    await api.answer('listRuns', sampleRuns(1));
    expect(snapshots.get('closing.ipynb')).toBeUndefined();
    expect(snapshots.get('kept.ipynb')?.runs?.total).toBe(9);
    expect(snapshots.get('shown.ipynb')).toBeUndefined();
  });
});
