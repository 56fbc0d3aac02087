/**
 * The Parameters and Runs sections rendered by React into a real (jsdom) DOM: what the user
 * reads, the hints when there is nothing to show, and values kept as text (never as HTML).
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import React from 'react';

import { DslApiError, ParamsReply, RunRecord, RunReply, RunsReply } from '../api';
import { IFetched } from '../fetched';
import {
  IRunSelection,
  ParamsSection,
  runColumns,
  RunsSection,
  shellQuote
} from '../panel/RunsView';
import { formatDuration, formatStart, formatTime, formatValue } from '../panel/format';
import { until } from './fakes';

const widgets: Widget[] = [];

afterEach(() => {
  for (const widget of widgets.splice(0)) {
    widget.dispose();
  }
});

/** Render `element` into the document and wait until React has put it in the DOM. */
async function render(element: JSX.Element): Promise<HTMLElement> {
  const widget = ReactWidget.create(element);
  widgets.push(widget);
  Widget.attach(widget, document.body);
  await until(() => widget.node.childElementCount > 0, 'the first render');
  return widget.node;
}

function byTestId(node: HTMLElement, id: string): HTMLElement[] {
  return [...node.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
}

const texts = (nodes: HTMLElement[]): string[] => nodes.map(n => n.textContent ?? '');

const PARAMS: ParamsReply = {
  path: 'tune.ipynb',
  cell: 2,
  cell_index: 1,
  parameters: [
    {
      name: 'alpha',
      type: 'float',
      default: '0.5',
      help: 'learning rate',
      annotation: '',
      optional: false
    },
    {
      name: 'label',
      type: 'str',
      default: '"<img src=x onerror=alert(1)>"',
      help: '',
      annotation: 'Optional[str]',
      optional: true
    }
  ],
  notes: ['cannot read line: x, y = 1, 2']
};

const RUNS: RunsReply = {
  runs: [
    {
      id: 'r2',
      notebook: 'tune.ipynb',
      status: 'failed',
      issue: null,
      batch_id: null,
      started_at: '2026-01-01T12:00:01.123+00:00',
      duration_s: 1,
      parameters: { alpha: 0.3, label: '<b>bold</b>' },
      defaults: {},
      metrics: { score: null },
      error: {
        cell: 2,
        cell_index: 1,
        ename: 'TypeError',
        evalue: 'can only concatenate'
      }
    },
    {
      id: 'r1',
      notebook: 'tune.ipynb',
      status: 'succeeded',
      issue: null,
      batch_id: null,
      started_at: '2026-01-01T12:00:00+00:00',
      duration_s: 1,
      parameters: { alpha: 0.1 },
      defaults: {},
      metrics: { score: 0.2 },
      error: null
    }
  ],
  varying_parameters: ['alpha', 'label'],
  metrics: ['score'],
  total: 12
};

/** A selection of nothing, recording what the section asks for. */
function selection(changes: Partial<IRunSelection> = {}): IRunSelection {
  return {
    selected: null,
    run: { value: null, error: null },
    loading: false,
    onSelect: () => undefined,
    onOpenNotebook: () => undefined,
    ...changes
  };
}

/** The full record of r2 (the failed run of RUNS), as `GET /runs/r2` answers it. */
const FAILED: RunRecord = {
  ...RUNS.runs[0],
  notebook_hash: 'f'.repeat(64),
  kernel: 'python3',
  identity: 'e'.repeat(32),
  rerun_of: null,
  parameter_sources: { alpha: 'the form', label: 'the form' },
  environment: null,
  issue: null,
  finished_at: '2026-01-01T12:00:03.623+00:00',
  duration_s: 2.5,
  error: {
    cell: 3,
    cell_index: 2,
    ename: 'TypeError',
    evalue: 'can only concatenate str (not "int") to <b>str</b>',
    traceback: ['Traceback (most recent call last):', '  File "<cell>", line 1'],
    execution_count: 3
  },
  artifacts: ['file:///p/.dsl/artifacts/r2/tune.ipynb'],
  output_notebook: 'file:///p/.dsl/artifacts/r2/tune.ipynb',
  warnings: [],
  git: {
    commit: '0123456789abcdef',
    branch: 'explore/2-churn',
    dirty: true,
    diff_hash: 'd'.repeat(16)
  },
  values: {},
  mlflow_run_id: null,
  host: 'lab',
  pid: null,
  unreproducible: []
};

describe('formatting', () => {
  it('formats values the way the CLI table does', () => {
    expect(formatValue(0.1 * 3)).toBe('0.3');
    expect(formatValue(2)).toBe('2');
    expect(formatValue(null)).toBe('None');
    expect(formatValue(true)).toBe('True');
    expect(formatValue([1, 'a'])).toBe('[1,"a"]');
    expect(formatValue('north')).toBe('north');
    expect(formatStart('2026-01-01T12:00:01.123+00:00')).toBe('01-01 12:00');
    expect(formatStart('yesterday')).toBe('yesterday');
    expect(formatTime('2026-01-01T12:00:01.123Z')).toBe('2026-01-01 12:00:01');
    expect(formatTime(null)).toBe('');
    expect(formatDuration(0.4234)).toBe('0.42 s');
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3725)).toBe('1 h 2 min');
    expect(formatDuration(null)).toBe('');
  });

  it('quotes a notebook path for the shell only when needed', () => {
    expect(shellQuote('notebooks/tune-1.ipynb')).toBe('notebooks/tune-1.ipynb');
    expect(shellQuote("it's a b.ipynb")).toBe("'it'\\''s a b.ipynb'");
  });
});

describe('ParamsSection', () => {
  it('lists names, types, defaults, help and notes, as text', async () => {
    const node = await render(
      <ParamsSection path="tune.ipynb" params={{ value: PARAMS, error: null }} />
    );
    expect(texts(byTestId(node, 'dsl-param-name'))).toEqual(['alpha', 'label']);
    expect(texts(byTestId(node, 'dsl-param-type'))).toEqual(['float', 'str or None']);
    expect(texts(byTestId(node, 'dsl-param-default'))).toEqual([
      '0.5',
      '"<img src=x onerror=alert(1)>"'
    ]);
    expect(texts(byTestId(node, 'dsl-param-help'))).toEqual(['learning rate']);
    expect(node.querySelector('img')).toBeNull();
    expect(texts(byTestId(node, 'dsl-params-notes'))).toEqual([
      'cannot read line: x, y = 1, 2'
    ]);
  });

  it('tells how to tag a parameters cell when there is none', async () => {
    const node = await render(
      <ParamsSection
        path="my dir/a.ipynb"
        params={{
          value: { ...PARAMS, cell: null, cell_index: null, parameters: [], notes: [] },
          error: null
        }}
      />
    );
    const none = texts(byTestId(node, 'dsl-params-none'))[0]; // names no CLI flag:
    expect(none).toMatch(/^(?!.*(jupyter dsl|--)).*Make this the Parameters Cell/s);
    expect(byTestId(node, 'dsl-param')).toEqual([]);
  });

  it('shows the error with its hint', async () => {
    const error = new DslApiError(400, 'a.ipynb is not valid JSON', 'Fix the file.');
    const node = await render(
      <ParamsSection path="a.ipynb" params={{ value: null, error }} />
    );
    expect(texts(byTestId(node, 'dsl-error-message'))).toEqual([
      'Could not read the parameters: a.ipynb is not valid JSON'
    ]);
    expect(texts(byTestId(node, 'dsl-error-hint'))).toEqual(['Fix the file.']);
  });
});

describe('RunsSection', () => {
  it('shows status, start, varying parameters and metrics of each run', async () => {
    let refreshed = 0;
    const node = await render(
      <RunsSection
        path="tune.ipynb"
        runs={{ value: RUNS, error: null }}
        loading={false}
        onRefresh={() => refreshed++}
        selection={selection()}
      />
    );
    expect(texts(byTestId(node, 'dsl-runs-total'))).toEqual(['(latest 2 of 12)']);
    expect(byTestId(node, 'dsl-run').map(row => row.dataset.id)).toEqual(['r2', 'r1']);
    expect(texts(byTestId(node, 'dsl-run-status'))).toEqual(['failed', 'succeeded']);
    expect(texts(byTestId(node, 'dsl-run-started'))).toEqual([
      '01-01 12:00',
      '01-01 12:00'
    ]);
    expect(texts(byTestId(node, 'dsl-runs-param-column'))).toEqual(['alpha', 'label']);
    expect(texts(byTestId(node, 'dsl-run-param-alpha'))).toEqual(['0.3', '0.1']);
    expect(texts(byTestId(node, 'dsl-run-param-label'))).toEqual(['<b>bold</b>', '']);
    expect(node.querySelector('td b')).toBeNull();
    expect(texts(byTestId(node, 'dsl-run-metric-score'))).toEqual(['None', '0.2']);
    byTestId(node, 'dsl-runs-refresh')[0].click();
    expect(refreshed).toBe(1);
  });

  it('hints how to record a run when there is none', async () => {
    const node = await render(
      <RunsSection
        path="tune.ipynb"
        runs={{
          value: { runs: [], varying_parameters: [], metrics: [], total: 0 },
          error: null
        }}
        loading={false}
        onRefresh={() => undefined}
        selection={selection()}
      />
    );
    expect(texts(byTestId(node, 'dsl-runs-total'))).toEqual(['(0)']);
    const none = texts(byTestId(node, 'dsl-runs-none'))[0];
    expect(none).toContain('jupyter dsl run tune.ipynb');
    expect(none).toContain('%dsl run');
    expect(byTestId(node, 'dsl-runs-table')).toEqual([]);
  });
});

describe('the runs table', () => {
  it('puts the metric columns first, then the varying parameters', () => {
    expect(runColumns(RUNS)).toEqual([
      { kind: 'metric', name: 'score' },
      { kind: 'param', name: 'alpha' },
      { kind: 'param', name: 'label' }
    ]);
  });

  it('shows the columns in that order, between the status and the start', async () => {
    const node = await render(
      <RunsSection
        path="tune.ipynb"
        runs={{ value: RUNS, error: null }}
        loading={false}
        onRefresh={() => undefined}
        selection={selection()}
      />
    );
    const headers = [...node.querySelectorAll('thead th')].map(th => th.textContent);
    expect(headers).toEqual(['Status', 'score', 'alpha', 'label', 'Started']);
    const firstRow = [...byTestId(node, 'dsl-run')[0].querySelectorAll('td')];
    expect(firstRow.map(td => td.textContent)).toEqual([
      'failed',
      'None',
      '0.3',
      '<b>bold</b>',
      '01-01 12:00'
    ]);
  });

  it('opens a run from its row or its button, and closes it again', async () => {
    const asked: (string | null)[] = [];
    const node = await render(
      <RunsSection
        path="tune.ipynb"
        runs={{ value: RUNS, error: null }}
        loading={false}
        onRefresh={() => undefined}
        selection={selection({ selected: 'r1', onSelect: id => asked.push(id) })}
      />
    );
    const buttons = byTestId(node, 'dsl-run-open');
    // real buttons, so Tab reaches them and Enter/Space click them
    expect(buttons.map(b => b.tagName)).toEqual(['BUTTON', 'BUTTON']);
    expect(buttons.map(b => b.getAttribute('aria-expanded'))).toEqual([
      'false',
      'true'
    ]);
    expect(buttons[0].getAttribute('aria-label')).toBe(
      'Show the details of run r2 (failed)'
    );
    expect(buttons[1].getAttribute('aria-controls')).toBe(
      byTestId(node, 'dsl-run-details')[0].id
    );
    buttons[0].click(); // the button's click reaches the row once
    byTestId(node, 'dsl-run-metric-score')[0].click(); // anywhere on the row
    byTestId(node, 'dsl-run-started')[1].click(); // the selected row: close it
    expect(asked).toEqual(['r2', 'r2', null]);
  });
});

describe('the run details', () => {
  async function details(
    run: IFetched<RunReply>,
    changes: Partial<IRunSelection> = {}
  ): Promise<HTMLElement> {
    const node = await render(
      <RunsSection
        path="tune.ipynb"
        runs={{ value: RUNS, error: null }}
        loading={false}
        onRefresh={() => undefined}
        selection={selection({ selected: 'r2', run, ...changes })}
      />
    );
    return byTestId(node, 'dsl-run-details')[0];
  }

  it('shows status, error, timings, git, metrics and parameters as text', async () => {
    const node = await details({ value: { run: FAILED, output: null }, error: null });
    expect(texts(byTestId(node, 'dsl-run-details-id'))).toEqual(['r2']);
    expect(texts(byTestId(node, 'dsl-run-details-status'))).toEqual(['Statusfailed']);
    expect(texts(byTestId(node, 'dsl-run-error-summary'))).toEqual([
      'TypeError: can only concatenate str (not "int") to <b>str</b>'
    ]);
    expect(node.querySelector('[data-testid="dsl-run-error-summary"] b')).toBeNull();
    expect(texts(byTestId(node, 'dsl-run-error-cell'))).toEqual([
      'in cell 3 (execution 3)'
    ]);
    const traceback = byTestId(node, 'dsl-run-traceback')[0] as HTMLDetailsElement;
    expect(traceback.open).toBe(false); // folded until asked for
    expect(traceback.querySelector('pre')?.textContent).toBe(
      'Traceback (most recent call last):\n  File "<cell>", line 1'
    );
    expect(texts(byTestId(node, 'dsl-run-details-started'))).toEqual([
      'Started2026-01-01 12:00:01'
    ]);
    expect(texts(byTestId(node, 'dsl-run-details-finished'))).toEqual([
      'Finished2026-01-01 12:00:03 (2.5 s)'
    ]);
    expect(texts(byTestId(node, 'dsl-run-details-git'))).toEqual([
      'Git0123456 on explore/2-churn (uncommitted changes)'
    ]);
    const values = (id: string): string[][] =>
      [...(byTestId(node, id)[0]?.querySelectorAll('dd') ?? [])].map(dd => [
        dd.dataset.name ?? '',
        dd.textContent ?? ''
      ]);
    expect(values('dsl-run-details-metrics')).toEqual([['score', 'None']]);
    expect(values('dsl-run-details-params')).toEqual([
      ['alpha', '0.3'],
      ['label', '<b>bold</b>']
    ]);
  });

  it('says which files the commit does not hold, and nothing for a clean or older record', async () => {
    const run: RunRecord = {
      ...FAILED,
      git: {
        commit: '0123456789abcdef',
        branch: 'main',
        dirty: false,
        diff_hash: null
      },
      unreproducible: [
        { path: 'tune copy.ipynb', reason: 'untracked' },
        { path: 'configs/local.yaml', reason: 'modified' }
      ],
      warnings: [
        'tune copy.ipynb is untracked, ...: commit 0123456789ab does not hold what this run ran'
      ]
    };
    const node = await details({ value: { run, output: null }, error: null });
    expect(texts(byTestId(node, 'dsl-run-details-unreproducible'))).toEqual([
      'Provenancenot reproducible from its commit: tune copy.ipynb (untracked), configs/local.yaml (uncommitted changes)'
    ]);
    expect(texts(byTestId(node, 'dsl-run-details-git'))).toEqual([
      'Git0123456 on main'
    ]);
    expect(texts(byTestId(node, 'dsl-run-warnings'))).toEqual(run.warnings);
    const noGit = {
      ...run,
      git: null,
      unreproducible: [{ path: 'tune.ipynb', reason: 'no-git' as const }]
    };
    const bare = await details({ value: { run: noGit, output: null }, error: null });
    expect(texts(byTestId(bare, 'dsl-run-details-unreproducible'))).toEqual([
      'Provenancenot reproducible from a commit: tune.ipynb (no git repository)'
    ]);
    for (const unreproducible of [[], null]) {
      const quiet = await details({
        value: { run: { ...FAILED, unreproducible }, output: null },
        error: null
      });
      expect(byTestId(quiet, 'dsl-run-details-unreproducible')).toEqual([]);
    }
  });

  it('opens the output notebook of the run, and closes', async () => {
    const opened: string[] = [];
    const closed: (string | null)[] = [];
    const node = await details(
      { value: { run: FAILED, output: null }, error: null },
      { onOpenNotebook: id => opened.push(id), onSelect: id => closed.push(id) }
    );
    const open = byTestId(node, 'dsl-run-open-notebook')[0];
    expect(open.tagName).toBe('BUTTON');
    expect(open.textContent).toBe('Open output notebook');
    open.click();
    expect(opened).toEqual(['r2']);
    byTestId(node, 'dsl-run-details-close')[0].click();
    expect(closed).toEqual([null]);
  });

  it('says so when the run wrote no output notebook, and shows no error part without an error', async () => {
    const run = { ...FAILED, error: null, artifacts: [], output_notebook: null };
    const node = await details({ value: { run, output: null }, error: null });
    expect(byTestId(node, 'dsl-run-open-notebook')).toEqual([]);
    expect(byTestId(node, 'dsl-run-no-notebook')).toHaveLength(1);
    expect(byTestId(node, 'dsl-run-error')).toEqual([]);
  });

  it('shows why the record could not be read', async () => {
    const error = new DslApiError(404, "no run 'r2'", 'List the runs.');
    const node = await details({ value: null, error });
    expect(texts(byTestId(node, 'dsl-error-message'))).toEqual([
      "Could not read run r2: no run 'r2'"
    ]);
    expect(byTestId(node, 'dsl-run-details-status')).toEqual([]);
  });
});
