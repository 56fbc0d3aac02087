/**
 * The issue and the saved-file state of the sidebar, with the client replaced by a fake whose
 * answers the test releases: a notebook shown before keeps its content on screen while it is
 * fetched again, a newer fetch wins over an older answer, errors are kept, and the branch comes in
 * on its own.
 */
import { DslApiError, IssueReply, ParamsReply, ProjectInfo } from '../api';
import { IssueState } from '../issuestate';
import { SavedState } from '../savedstate';
import { PanelSnapshots } from '../snapshots';
import { PendingApi } from './pending';
import { LINK, sampleIssue, sampleRuns } from './samples';

const reply = (number: number, title: string): IssueReply => ({
  issue: sampleIssue(number, title),
  ask: null,
  ask_missing: false,
  link: LINK,
  offline_as_of: null
});

const project = (branch: string): ProjectInfo => ({
  root: '/work/project',
  name: 'project',
  config: 'dsl.toml',
  tracker: { kind: 'local', repo: '' },
  offline_as_of: null,
  branch: { current: branch, base: 'main', issue: null }
});

const params = (name: string): ParamsReply => ({
  path: 'a.ipynb',
  cell: 2,
  cell_index: 1,
  parameters: [
    { name, type: 'int', default: '1', help: '', annotation: '', optional: false }
  ],
  notes: []
});

const runs = sampleRuns;

describe('IssueState', () => {
  let api: PendingApi;
  let snapshots: PanelSnapshots;
  let state: IssueState;
  let changes: number;

  beforeEach(() => {
    api = new PendingApi();
    snapshots = new PanelSnapshots();
    changes = 0;
    state = new IssueState(api, snapshots);
    state.changed.connect(() => changes++);
  });

  it('loads an issue shown for the first time, and shows it before the branch is in', async () => {
    const done = state.fetch('a.ipynb', 2);
    expect(state.loading).toBe(true);
    expect(state.refreshing).toBe(false);
    expect(state.details).toBeNull();
    await api.answer('getIssue', reply(2, 'Churn'));
    expect(state.loading).toBe(false);
    expect(state.details?.issue.title).toBe('Churn');
    expect(state.currentBranch).toBeNull(); // the project's answer is still out
    await api.answer('project', project('explore/2-churn'));
    await done;
    expect(state.currentBranch).toBe('explore/2-churn');
    expect(state.trackerKind).toBe('local');
    expect(snapshots.issue('a.ipynb', 2)?.issue.title).toBe('Churn');
    expect(changes).toBeGreaterThanOrEqual(3);
  });

  it('keeps the issue shown while it is fetched again, then shows the fresh one', async () => {
    snapshots.update('a.ipynb', { issue: { number: 2, reply: reply(2, 'Old title') } });
    const done = state.fetch('a.ipynb', 2);
    expect(state.loading).toBe(false);
    expect(state.refreshing).toBe(true);
    expect(state.details?.issue.title).toBe('Old title');
    await api.answer('getIssue', reply(2, 'New title'));
    await api.answer('project', project('main'));
    await done;
    expect(state.refreshing).toBe(false);
    expect(state.details?.issue.title).toBe('New title');
    expect(snapshots.issue('a.ipynb', 2)?.issue.title).toBe('New title');
  });

  it('does not show an issue kept for another number', async () => {
    snapshots.update('a.ipynb', { issue: { number: 2, reply: reply(2, 'Churn') } });
    void state.fetch('a.ipynb', 3);
    expect(state.details).toBeNull();
    expect(state.loading).toBe(true);
  });

  it('drops the answer of a fetch that a newer one replaced', async () => {
    const first = state.fetch('a.ipynb', 2);
    const second = state.fetch('b.ipynb', 5);
    await api.answer('getIssue', reply(2, 'For a'));
    await api.answer('getIssue', reply(5, 'For b'));
    await api.answer('project', project('one'));
    await api.answer('project', project('two'));
    await Promise.all([first, second]);
    expect(state.details?.issue.title).toBe('For b');
    expect(state.currentBranch).toBe('two');
    expect(snapshots.issue('a.ipynb', 2)).toBeNull(); // the dropped answer is not kept either
  });

  it("keeps the issue's error first, the project's when the issue is fine", async () => {
    const failed = state.fetch('a.ipynb', 9);
    await api.answer('getIssue', new DslApiError(404, 'no issue #9'));
    await api.answer('project', new DslApiError(500, 'git failed'));
    await failed;
    expect(state.details).toBeNull();
    expect(state.error?.message).toBe('no issue #9');
    expect(state.currentBranch).toBeNull();
    const fine = state.fetch('a.ipynb', 2);
    await api.answer('getIssue', reply(2, 'Churn'));
    await api.answer('project', new DslApiError(500, 'git failed'));
    await fine;
    expect(state.error?.message).toBe('git failed');
    expect(state.details?.issue.title).toBe('Churn');
  });

  it('says at once, on a switch, whether a notebook was last seen in no project', async () => {
    const missing = new DslApiError(404, 'a.ipynb is not inside a DSLP project');
    const first = state.fetch('a.ipynb', null);
    expect(state.noProject).toBeNull(); // not known yet
    await api.answer('project', missing);
    await first;
    expect(state.noProject?.message).toBe('a.ipynb is not inside a DSLP project');

    const other = state.fetch('b.ipynb', null);
    expect(state.noProject).toBeNull(); // b's own state, not a's
    await api.answer('project', project('main'));
    await other;

    const back = state.fetch('a.ipynb', null);
    expect(state.noProject?.status).toBe(404); // in the first frame, before the answer
    await api.answer('project', project('main')); // a's folder became a project meanwhile
    await back;
    expect(state.noProject).toBeNull();
    const again = state.fetch('b.ipynb', null);
    void state.fetch('a.ipynb', null);
    expect(state.noProject).toBeNull(); // no longer remembered as missing
    await api.answer('project', project('main'));
    await api.answer('project', project('main'));
    await again;
  });

  it('asks nothing without a notebook, and only the branch for an unlinked one', async () => {
    await state.fetch(null, null);
    expect(api.pending).toEqual([]);
    expect(state.loading).toBe(false);
    const unlinked = state.fetch('a.ipynb', null);
    expect(state.loading).toBe(false);
    expect(api.pending.map(call => call.method)).toEqual(['project']);
    await api.answer('project', project('main'));
    await unlinked;
    expect(state.currentBranch).toBe('main');
  });
});

describe('SavedState', () => {
  let api: PendingApi;
  let snapshots: PanelSnapshots;
  let state: SavedState;

  beforeEach(() => {
    api = new PendingApi();
    snapshots = new PanelSnapshots();
    state = new SavedState(api, snapshots);
  });

  it('shows what was kept for a notebook at once and replaces it with the fresh answers', async () => {
    snapshots.update('a.ipynb', { params: params('alpha'), runs: runs(4) });
    state.show('a.ipynb');
    expect(state.params.value?.parameters[0].name).toBe('alpha');
    expect(state.runs.value?.total).toBe(4);
    const done = state.fetch('a.ipynb');
    expect(state.refreshing).toBe(true);
    expect(state.loading).toBe(false);
    expect(state.runs.value?.total).toBe(4);
    await api.answer('getParams', params('beta'));
    await api.answer('listRuns', runs(5));
    expect(await done).toBe(true);
    expect(state.refreshing).toBe(false);
    expect(state.params.value?.parameters[0].name).toBe('beta');
    expect(state.runs.value?.total).toBe(5);
    expect(snapshots.get('a.ipynb')?.runs?.total).toBe(5);
    expect(api.pending).toEqual([]);
  });

  it('loads a notebook with nothing kept, and keeps an error for the view', async () => {
    state.show('b.ipynb');
    expect(state.params.value).toBeNull();
    const done = state.fetch('b.ipynb');
    expect(state.loading).toBe(true);
    await api.answer('getParams', new DslApiError(400, 'not a notebook'));
    await api.answer('listRuns', runs(0));
    await done;
    expect(state.loading).toBe(false);
    expect(state.params.error?.message).toBe('not a notebook');
    expect(state.runs.value?.total).toBe(0);
    expect(snapshots.get('b.ipynb')?.params).toBeNull();
  });

  it('lets the newest fetch win and says the older one lost', async () => {
    const older = state.fetch('a.ipynb');
    const newer = state.fetch('a.ipynb');
    await api.answer('getParams', params('older'));
    await api.answer('listRuns', runs(1));
    await api.answer('getParams', params('newer'));
    await api.answer('listRuns', runs(2));
    expect(await older).toBe(false);
    expect(await newer).toBe(true);
    expect(state.params.value?.parameters[0].name).toBe('newer');
    expect(state.runs.value?.total).toBe(2);
  });
});
