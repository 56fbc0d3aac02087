/**
 * The Findings model with the REST client replaced by a fake: the dry run asks with `dry_run`,
 * completing sets the completed link in the open document's model (dirty, cells untouched) and
 * keeps the result; goals go to the server only when the notebook is saved.
 */
import { FindingsModel } from '../findingsmodel';
import { METADATA_KEY } from '../link';
import { CompleteReply, FindingsReply, GoalsReply } from '../wire';
import { FakeApi, FakeHost, settle } from './fakes';
import { LINK, sampleIssue } from './samples';

const PREVIEW: FindingsReply = {
  title: 'Churn by region',
  tldr: 'North churns most',
  explicit_tldr: true,
  issue: 2,
  type: 'Explore',
  goals: [],
  insights: [
    { title: 'North churns most', cell: 4, cell_index: 3, answers: '1', artifacts: 1 }
  ],
  format: 'html',
  text: '<h1>Churn by region</h1>'
};

const GOALS: GoalsReply = {
  issue: 2,
  goals: [{ number: 1, text: 'Who churns?', done: false }],
  offline_as_of: null
};

function reply(dryRun: boolean): CompleteReply {
  return {
    issue: sampleIssue(2, 'Churn by region', {
      state: dryRun ? 'open' : 'closed',
      labels: ['Explore']
    }),
    dry_run: dryRun,
    steps: [
      { description: 'close #2', state: dryRun ? 'would do' : 'done', detail: '' }
    ],
    notes: [],
    summary_path: 'findings/2-churn-by-region.md',
    link: dryRun
      ? null
      : { ...LINK, status: 'complete', completed_at: '2026-01-01T00:00:00Z' },
    saved_status: 'active',
    offline_as_of: null
  };
}

let api: FakeApi;
let host: FakeHost;
let findings: FindingsModel;

beforeEach(async () => {
  api = new FakeApi();
  api.queue('getFindings', PREVIEW);
  api.queue('getGoals', GOALS);
  host = new FakeHost(api);
  host.setLink(LINK);
  findings = new FindingsModel(host, 'md');
  await settle();
});

afterEach(() => findings.dispose());

describe('FindingsModel', () => {
  it('fetches the summary in the chosen format and the goals of a linked notebook', () => {
    expect(api.called('getFindings').at(-1)?.args).toEqual(['tune.ipynb', 'md']);
    expect(findings.preview.value?.insights[0].title).toBe('North churns most');
    expect(findings.goals.value).toEqual(GOALS);
  });

  it('asks for the dry run, then completes and sets the link in the open document only', async () => {
    api.queue('complete', reply(true));
    const plan = await findings.plan();
    expect(api.called('complete')[0].args).toEqual([
      'tune.ipynb',
      { dry_run: true, outcome: undefined }
    ]);
    expect(plan.steps[0].state).toBe('would do');
    expect(host.notebook.getMetadata(METADATA_KEY)).toBeUndefined();

    api.answers.set('complete', [reply(false)]);
    const cellsBefore = host.notebook.toJSON().cells;
    const done = await findings.complete();
    expect(api.called('complete')[1].args).toEqual([
      'tune.ipynb',
      { outcome: undefined }
    ]);
    expect(done.issue.state).toBe('closed');
    expect(host.notebook.getMetadata(METADATA_KEY)).toMatchObject({
      status: 'complete',
      completed_at: '2026-01-01T00:00:00Z'
    });
    expect(host.notebook.dirty).toBe(true);
    expect(host.notebook.toJSON().cells).toEqual(cellsBefore);
    expect(findings.result?.summary_path).toBe('findings/2-churn-by-region.md');
  });

  it('refuses goals and completion while the notebook has unsaved changes', async () => {
    host.notebook.dirty = true;
    await expect(findings.addGoal('Why?')).rejects.toThrow('save the notebook first');
    expect(() => findings.plan()).toThrow('save the notebook first');
    expect(api.called('addGoal')).toHaveLength(0);
    expect(api.called('complete')).toHaveLength(0);
  });

  it('adds and ticks goals, keeping the answer', async () => {
    const ticked: GoalsReply = { ...GOALS, goals: [{ ...GOALS.goals[0], done: true }] };
    api.queue('tickGoal', ticked);
    await findings.tickGoal(1, true);
    expect(api.called('tickGoal')[0].args).toEqual(['tune.ipynb', 1, true]);
    expect(findings.goals.value).toEqual(ticked);
    await expect(findings.addGoal('   ')).rejects.toThrow('a goal needs a question');
  });
});
