/**
 * The main-area runs table's model and what it computes: every parameter (defaults included) and
 * metric as columns, sorting by any column, the `--where` filters sent to the server (its error
 * shown, the runs kept), runs compared side by side with differing values marked, the chart's
 * series, and a new row when the run stamp moves (the sidebar's RunsWatcher, on jest's fake clock).
 */
import { DslApiError, RunQuery, RunReply, RunsReply, RunSummary } from '../api';
import { RunsTableApi, RunsTableModel } from '../runstable/model';
import {
  allColumns,
  chartData,
  compareRows,
  defaultAxes,
  usedReply,
  whereFilters
} from '../runstable/tabledata';

function run(
  id: string,
  parameters: Record<string, unknown>,
  metrics: Record<string, number>,
  extra: Partial<RunSummary> = {}
): RunSummary {
  return {
    id,
    notebook: 'tune.ipynb',
    status: 'succeeded',
    issue: null,
    batch_id: null,
    started_at: `2026-01-01T10:00:0${id.slice(-1)}`,
    duration_s: 1,
    parameters,
    metrics,
    error: null,
    defaults: { region: 'north', alpha: 0.5 },
    ...extra
  };
}

/** Newest first, as the server lists them; r2 was given the default alpha. */
const RUNS = [
  run('r3', { alpha: 0.9, depth: 3 }, { score: 0.7, loss: 0.2 }),
  run('r2', { depth: 5 }, { score: 0.95 }),
  run('r1', { alpha: 0.1, depth: 3 }, { score: 0.4, loss: 0.6 }, { status: 'failed' })
];

const reply = (runs: RunSummary[]): RunsReply => ({
  runs,
  varying_parameters: ['alpha', 'depth'],
  metrics: ['score', 'loss'],
  total: runs.length
});

/** Answers the queued replies in turn (the last one again), and records the queries. */
class TableApi implements RunsTableApi {
  queries: RunQuery[] = [];
  replies: (RunsReply | Error)[] = [];
  stamps: string[] = ['s1'];

  listRuns(query: RunQuery): Promise<RunsReply> {
    this.queries.push(query);
    const next = this.replies.length > 1 ? this.replies.shift() : this.replies[0];
    return next instanceof Error || next === undefined
      ? Promise.reject(next ?? new Error('no reply'))
      : Promise.resolve(next);
  }

  runStamp(): Promise<string> {
    const stamp = this.stamps.length > 1 ? this.stamps.shift() : this.stamps[0];
    return Promise.resolve(stamp ?? '');
  }

  getRun(id: string): Promise<RunReply> {
    return Promise.reject(new DslApiError(404, `no run ${id}`));
  }
}

const ids = (runs: RunSummary[]): string[] => runs.map(r => r.id);

describe('the table data', () => {
  it('has every metric and every parameter used, defaults included', () => {
    const used = usedReply(reply(RUNS)).runs;
    expect(used[1].parameters).toEqual({ region: 'north', alpha: 0.5, depth: 5 });
    expect(allColumns(used).map(c => `${c.kind}:${c.name}`)).toEqual([
      'metric:score',
      'metric:loss',
      'param:region',
      'param:alpha',
      'param:depth'
    ]);
  });

  it('reads a --where text as the filters of `jupyter dsl runs --where`', () => {
    expect(whereFilters(' score>0.5, loss <= 0.3 ,,')).toEqual([
      'score>0.5',
      'loss <= 0.3'
    ]);
    expect(whereFilters('  ')).toEqual([]);
  });

  it('compares runs side by side and marks the values that differ', () => {
    const used = usedReply(reply(RUNS)).runs;
    const rows = compareRows([used[0], used[2]]);
    const byKey = new Map(rows.map(row => [row.key, row]));
    expect(rows.map(row => row.key)).toEqual([
      'status',
      'started',
      'param:region',
      'param:alpha',
      'param:depth',
      'metric:score',
      'metric:loss'
    ]);
    expect(byKey.get('status')).toMatchObject({
      texts: ['succeeded', 'failed'],
      differs: true
    });
    expect(byKey.get('param:region')).toMatchObject({
      texts: ['north', 'north'],
      differs: false
    });
    expect(byKey.get('param:depth')?.differs).toBe(false);
    expect(byKey.get('param:alpha')).toMatchObject({
      texts: ['0.9', '0.1'],
      differs: true
    });
    expect(byKey.get('metric:loss')).toMatchObject({
      texts: ['0.2', '0.6'],
      differs: true
    });
    // a value one run lacks shows as a dash and differs
    const lacking = compareRows([used[0], used[1]]);
    expect(lacking.find(row => row.key === 'metric:loss')).toMatchObject({
      texts: ['0.2', '—'],
      differs: true
    });
  });

  it('charts a metric against a parameter, one series per other varying parameter', () => {
    const used = usedReply(reply(RUNS)).runs;
    expect(defaultAxes(used)).toEqual({ x: 'alpha', y: 'score' }); // alpha has 3 values
    const chart = chartData(used, 'alpha', 'score');
    expect(chart.title).toBe('score by alpha (3 runs)');
    expect(chart.series).toEqual([
      {
        label: 'depth=3',
        points: [
          [0.1, 0.4],
          [0.9, 0.7]
        ]
      },
      { label: 'depth=5', points: [[0.5, 0.95]] }
    ]);
    const loss = chartData(used, 'depth', 'loss'); // r2 recorded no loss
    expect(loss.series).toEqual([
      { label: 'alpha=0.9', points: [[3, 0.2]] },
      { label: 'alpha=0.1', points: [[3, 0.6]] }
    ]);
    expect(defaultAxes([])).toBeNull();
  });
});

describe('the runs table model', () => {
  let api: TableApi;
  let model: RunsTableModel;

  beforeEach(() => {
    api = new TableApi();
    api.replies = [reply(RUNS)];
    model = new RunsTableModel(
      api,
      { path: 'nb/tune.ipynb', batch: null },
      { poll: false }
    );
  });

  afterEach(() => model.dispose());

  it("lists the notebook's (or a batch's) runs and sorts by any column", async () => {
    await model.refreshRuns();
    expect(api.queries[0]).toEqual({
      path: 'nb/tune.ipynb',
      batch: undefined,
      where: [],
      limit: 5000
    });
    expect(ids(model.rows)).toEqual(['r3', 'r2', 'r1']); // the server's order: newest first
    model.sortBy('metric:score');
    expect(ids(model.rows)).toEqual(['r2', 'r3', 'r1']); // a metric: highest first
    model.sortBy('metric:score');
    expect(ids(model.rows)).toEqual(['r1', 'r3', 'r2']);
    model.sortBy('param:alpha'); // the default 0.5 of r2 sorts with the given values
    expect(ids(model.rows)).toEqual(['r1', 'r2', 'r3']);
    model.sortBy('metric:loss'); // highest first; r2 has no loss: last either way
    expect(ids(model.rows)).toEqual(['r1', 'r3', 'r2']);
    model.sortBy('status');
    expect(model.rows[0].status).toBe('failed');

    const ofBatch = new RunsTableModel(
      api,
      { path: 'nb/tune.ipynb', batch: 'abc123' },
      { poll: false }
    );
    await ofBatch.refreshRuns();
    expect(api.queries[1].batch).toBe('abc123');
    ofBatch.dispose();
  });

  it('filters with --where on the server and keeps the runs shown when the filter is refused', async () => {
    await model.refreshRuns();
    api.replies = [reply([RUNS[1]])];
    await model.filter('score>0.9,  ');
    expect(api.queries[1].where).toEqual(['score>0.9']);
    expect(model.where).toBe('score>0.9');
    expect(ids(model.rows)).toEqual(['r2']);

    api.replies = [
      new DslApiError(
        400,
        "cannot read the metric filter 'score>high'",
        'Write it as NAME>VALUE, e.g. auc>=0.9.'
      )
    ];
    await model.filter('score>high');
    expect(model.runs.error?.message).toContain('score>high');
    expect(ids(model.rows)).toEqual(['r2']); // what was shown stays

    api.replies = [reply(RUNS)];
    await model.filter('');
    expect(api.queries[3].where).toEqual([]);
    expect(model.runs.error).toBeNull();
    expect(ids(model.rows)).toEqual(['r3', 'r2', 'r1']);
  });

  it('compares the runs picked, in the order picked, and only those still listed', async () => {
    await model.refreshRuns();
    model.toggleCompare('r1');
    model.toggleCompare('r3');
    expect(model.compared).toEqual(['r1', 'r3']);
    const { runs, rows } = model.comparison;
    expect(ids(runs)).toEqual(['r1', 'r3']);
    expect(rows.find(row => row.key === 'param:alpha')?.texts).toEqual(['0.1', '0.9']);
    api.replies = [reply([RUNS[0], RUNS[1]])];
    await model.filter('score>0.5'); // r1 is filtered out: not compared while hidden
    expect(ids(model.comparison.runs)).toEqual(['r3']);
    model.toggleCompare('r3');
    expect(model.compared).toEqual(['r1']);
    model.clearCompare();
    expect(model.comparison).toEqual({ runs: [], rows: [] });
  });

  it('charts the runs shown against the axes chosen', async () => {
    await model.refreshRuns();
    expect(model.axes).toEqual({ x: 'alpha', y: 'score' });
    model.setAxes({ x: 'depth', y: 'score' });
    expect(model.chart?.series).toEqual([
      { label: 'alpha=0.9', points: [[3, 0.7]] },
      { label: 'alpha=0.5', points: [[5, 0.95]] },
      { label: 'alpha=0.1', points: [[3, 0.4]] }
    ]);
    api.replies = [reply([RUNS[1]])];
    await model.filter('score>0.9'); // the chart follows the filter
    expect(model.chart?.title).toBe('score by depth (1 runs)');
  });
});

describe('keeping current', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('gains a row when the run stamp moves, and stops polling once disposed', async () => {
    const api = new TableApi();
    api.replies = [reply(RUNS.slice(1)), reply(RUNS)];
    api.stamps = ['s1', 's1', 's2'];
    const model = new RunsTableModel(
      api,
      { path: 'nb/tune.ipynb', batch: null },
      { pollInterval: 1000 }
    );
    await model.refreshRuns();
    expect(model.rows).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(2500); // stamps s1, s1: nothing moved
    expect(api.queries).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1000); // s2: a run was recorded
    expect(api.queries).toHaveLength(2);
    expect(ids(model.rows)).toEqual(['r3', 'r2', 'r1']);
    model.dispose();
    api.stamps = ['s3'];
    await jest.advanceTimersByTimeAsync(10_000);
    expect(api.queries).toHaveLength(2);
  });
});
