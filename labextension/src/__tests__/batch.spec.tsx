/**
 * The Batch section's client methods on the wire, the grid editor with its debounced preview, and
 * the progress of a batch, rendered by React into a real (jsdom) DOM against a loopback server.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import React from 'react';

import {
  BatchState,
  DslApi,
  DslApiError,
  GridPreview,
  NotebookParameter
} from '../api';
import { ProgressView } from '../panel/BatchProgress';
import { GridEditor, gridOf, PreviewView, useGridPreview } from '../panel/BatchSection';
import { typeInto as type, until } from './fakes';
import { Loopback } from './loopback';
import { waitForJob } from '../jobwait';
import { Job } from '../wire';

const server = new Loopback();
const widgets: Widget[] = [];

beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());
afterEach(() => {
  for (const widget of widgets.splice(0)) {
    widget.dispose();
  }
});

async function render(element: JSX.Element): Promise<HTMLElement> {
  const widget = ReactWidget.create(element);
  widgets.push(widget);
  Widget.attach(widget, document.body);
  await until(() => widget.node.childElementCount > 0);
  return widget.node;
}

const byTestId = (node: HTMLElement, id: string): HTMLElement[] => [
  ...node.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)
];
const texts = (nodes: HTMLElement[]): string[] => nodes.map(n => n.textContent ?? '');

const PREVIEW: GridPreview = {
  count: 4,
  sets: [0, 1, 2, 3].map(n => ({ parameters: { n, hold: '' }, identity: `i${n}` })),
  varying: ['n'],
  errors: [],
  hint: null
};

function batchState(states: BatchState['runs'][number]['state'][]): BatchState {
  return {
    id: '20260101-120000-abcdef',
    notebook: 'nb/a.ipynb',
    kernel: 'python3',
    status: states.some(s => s === 'queued' || s === 'running')
      ? 'running'
      : 'finished',
    total: states.length,
    created_at: '2026-01-01T12:00:00',
    finished_at: null,
    driver_pid: 4242,
    driver_host: 'lab',
    heartbeat_at: 1767268800,
    cancel_requested: false,
    grid: { n: states.map((_, n) => n) },
    counts: {},
    options: {},
    varying: states.length > 1 ? ['n'] : ['n', 'hold'],
    runs: states.map((state, position) => ({
      position,
      identity: `i${position}`,
      parameters: { n: position, hold: '' },
      state,
      run_id: state === 'queued' ? null : `20260101-120000-r${position}`,
      started_at: null,
      duration_s: state === 'succeeded' ? 0.5 : null,
      error: state === 'failed' ? 'ValueError: <b>bad</b> n' : null,
      metrics: {}
    }))
  };
}

function rerunJob(state: Job['state']): Job {
  return {
    id: 'j1',
    kind: 'rerun',
    path: 'nb/a.ipynb',
    parameters: {},
    state,
    started_at: '2026-01-01T12:00:00',
    finished_at: state === 'running' ? null : '2026-01-01T12:00:02',
    run: state === 'running' ? null : { id: 'r2', status: 'succeeded' },
    batch: null,
    rerun: null,
    error: null
  };
}

describe('batch client methods', () => {
  it('POSTs a preview and a start with the grid as typed', async () => {
    server.answer('POST', 'batches/preview', 200, PREVIEW);
    server.answer('POST', 'batches', 202, batchState(['queued']));
    const api = server.api();
    const request = {
      path: 'nb/a b.ipynb',
      grid: { n: '0, 1', alpha: [0.1] },
      workers: 2
    };
    expect(await api.previewBatch(request)).toEqual(PREVIEW);
    expect((await api.startBatch(request)).id).toBe('20260101-120000-abcdef');
    expect(server.recorded.map(r => [r.method, r.path, JSON.parse(r.body)])).toEqual([
      ['POST', '/base/jupyter-dsl/batches/preview', request],
      ['POST', '/base/jupyter-dsl/batches', request]
    ]);
  });

  it('GETs, lists and cancels batches; reruns a run; polls the stamp; asks for a chart', async () => {
    const api = server.api();
    server.answer(
      'GET',
      'batches/20260101-120000-abcdef',
      200,
      batchState(['running'])
    );
    server.answer('GET', 'batches', 200, { batches: [{ id: 'b1' }] });
    server.answer(
      'POST',
      'batches/20260101-120000-abcdef/cancel',
      200,
      batchState(['interrupted'])
    );
    server.answer('POST', 'runs/r1/rerun', 202, { job: rerunJob('running') });
    server.answer('GET', 'run-stamp', 200, { stamp: '3-9-x-0' });
    server.answer('GET', 'chart', 200, { x: 'n', y: 's', title: 't', series: [] });
    expect(
      (await api.getBatch('20260101-120000-abcdef', 'nb/a.ipynb')).runs[0].state
    ).toBe('running');
    expect(await api.listBatches('nb/a.ipynb')).toEqual([{ id: 'b1' }]);
    expect((await api.cancelBatch('20260101-120000-abcdef')).runs[0].state).toBe(
      'interrupted'
    );
    expect((await api.rerunRun('r1', 'nb/a.ipynb')).id).toBe('j1');
    expect(await api.runStamp('nb/a.ipynb')).toBe('3-9-x-0');
    expect((await api.chartData({ path: 'nb/a.ipynb', x: 'n', y: 's' })).title).toBe(
      't'
    );
    expect(server.recorded.map(r => [r.method, r.path, r.query])).toEqual([
      [
        'GET',
        '/base/jupyter-dsl/batches/20260101-120000-abcdef',
        [['path', 'nb/a.ipynb']]
      ],
      ['GET', '/base/jupyter-dsl/batches', [['path', 'nb/a.ipynb']]],
      ['POST', '/base/jupyter-dsl/batches/20260101-120000-abcdef/cancel', []],
      ['POST', '/base/jupyter-dsl/runs/r1/rerun', [['path', 'nb/a.ipynb']]],
      ['GET', '/base/jupyter-dsl/run-stamp', [['path', 'nb/a.ipynb']]],
      [
        'GET',
        '/base/jupyter-dsl/chart',
        [
          ['path', 'nb/a.ipynb'],
          ['x', 'n'],
          ['y', 's']
        ]
      ]
    ]);
  });

  it('follows a rerun job until it is done', async () => {
    const api = server.api();
    server.answer('GET', 'jobs', 200, { jobs: [rerunJob('done')] });
    const done = await waitForJob(api, rerunJob('running'), 0);
    expect(done.run?.id).toBe('r2');
    expect(server.recorded.map(r => [r.method, r.path, r.query])).toEqual([
      ['GET', '/base/jupyter-dsl/jobs', [['path', 'nb/a.ipynb']]]
    ]);
  });

  it('throws the error of a rerun job that failed, as the server worded it', async () => {
    const api = server.api();
    const failed = {
      ...rerunJob('failed'),
      run: null,
      error: { message: 'no kernel', hint: 'install one', action: null }
    };
    server.answer('GET', 'jobs', 200, { jobs: [failed] });
    await expect(waitForJob(api, rerunJob('running'), 0)).rejects.toMatchObject({
      message: 'no kernel',
      hint: 'install one'
    });
  });

  it("refuses an id that is no run or batch id without asking, and keeps the server's error", async () => {
    const api = server.api();
    await expect(api.getBatch('../x')).rejects.toBeInstanceOf(DslApiError);
    await expect(api.cancelBatch('a/b')).rejects.toBeInstanceOf(DslApiError);
    await expect(api.rerunRun('')).rejects.toBeInstanceOf(DslApiError);
    expect(server.recorded).toEqual([]);
    server.answer('GET', 'batches/nope', 404, {
      message: "no batch 'nope'",
      hint: 'list them'
    });
    await expect(api.getBatch('nope')).rejects.toMatchObject({
      status: 404,
      message: "no batch 'nope'",
      hint: 'list them'
    });
  });
});

const PARAMETERS: NotebookParameter[] = [
  { name: 'n', type: 'int', default: '0', help: '', annotation: '', optional: false },
  {
    name: 'hold',
    type: 'str',
    default: '""',
    help: '',
    annotation: '',
    optional: false
  }
];

function Editor(props: { api: DslApi; delay: number }): JSX.Element {
  const [values, setValues] = React.useState<Record<string, string>>({});
  const grid = gridOf(values);
  const { preview, error, pending } = useGridPreview(
    props.api,
    'nb/a.ipynb',
    grid,
    props.delay
  );
  return (
    <>
      <GridEditor parameters={PARAMETERS} values={values} onChange={setValues} />
      <PreviewView preview={preview} error={error} pending={pending} />
    </>
  );
}

describe('grid editor and preview', () => {
  it('keeps only the parameters given values', () => {
    expect(gridOf({ n: '0, 1', hold: '  ', x: '' })).toEqual({ n: '0, 1' });
  });

  it('asks for one preview after the typing stops, and shows the count and the sets', async () => {
    server.answer('POST', 'batches/preview', 200, PREVIEW);
    const node = await render(<Editor api={server.api()} delay={150} />);
    const input = byTestId(node, 'dsl-grid-values')[0] as HTMLInputElement;
    expect(input.getAttribute('aria-label')).toContain('Values of n');
    jest.useFakeTimers(); // the delay runs on jest's clock: a busy machine cannot stretch it
    try {
      for (const text of ['0', '0,', '0, 1', '0, 1, 2', '0, 1, 2, 3']) {
        type(input, text); // keystrokes 30 ms apart: each renders, none waits out the delay
        jest.advanceTimersByTime(30);
      }
      expect(byTestId(node, 'dsl-batch-preview-pending')).toHaveLength(1);
      jest.advanceTimersByTime(149);
      expect(server.recorded).toHaveLength(0); // still typing, as far as the delay can tell
      jest.advanceTimersByTime(1);
    } finally {
      jest.useRealTimers();
    }
    await until(() => byTestId(node, 'dsl-batch-count').length === 1, 'the preview');
    expect(server.recorded).toHaveLength(1); // not one request per keystroke
    expect(JSON.parse(server.recorded[0].body)).toEqual({
      path: 'nb/a.ipynb',
      grid: { n: '0, 1, 2, 3' }
    });
    expect(texts(byTestId(node, 'dsl-batch-count'))).toEqual(['4 parameter sets']);
    expect(byTestId(node, 'dsl-batch-preview-set')).toHaveLength(4);
  });

  it('lists every problem the server names, as text', async () => {
    server.answer('POST', 'batches/preview', 200, {
      ...PREVIEW,
      count: 0,
      sets: [],
      errors: ["sidebar grid: grid.n[1]: expected int, got str '<b>x</b>'", 'second'],
      hint: 'Parameters of a.ipynb: n: int = 0'
    });
    const node = await render(<Editor api={server.api()} delay={10} />);
    type(byTestId(node, 'dsl-grid-values')[0] as HTMLInputElement, '0, <b>x</b>');
    await until(
      () => byTestId(node, 'dsl-batch-preview-error').length === 2,
      'the errors'
    );
    expect(texts(byTestId(node, 'dsl-batch-preview-error'))[0]).toBe(
      "sidebar grid: grid.n[1]: expected int, got str '<b>x</b>'"
    );
    expect(node.querySelector('[data-testid="dsl-batch-preview-errors"] b')).toBeNull();
    expect(byTestId(node, 'dsl-batch-count')).toEqual([]);
  });
});

describe('batch progress', () => {
  it('shows each run with its state, error and output, and cancels', async () => {
    const state = batchState(['succeeded', 'failed', 'running', 'queued']);
    state.counts = { succeeded: 1, failed: 1, running: 1, queued: 1 };
    const opened: string[] = [];
    let cancelled = 0;
    const node = await render(
      <ProgressView
        batch={state}
        onCancel={() => cancelled++}
        onOpenRun={id => opened.push(id)}
      />
    );
    expect(texts(byTestId(node, 'dsl-batch-run-state'))).toEqual([
      'succeeded',
      'failed',
      'running',
      'queued'
    ]);
    expect(texts(byTestId(node, 'dsl-batch-counts'))).toEqual([
      '1 queued, 1 running, 1 succeeded, 1 failed'
    ]);
    expect(texts(byTestId(node, 'dsl-batch-run-error'))).toEqual([
      ' ValueError: <b>bad</b> n'
    ]);
    expect(node.querySelector('[data-testid="dsl-batch-run-error"] b')).toBeNull();
    const opens = byTestId(node, 'dsl-batch-run-open'); // not for a running or queued run
    expect(opens).toHaveLength(2);
    opens[1].click();
    expect(opened).toEqual(['20260101-120000-r1']);
    byTestId(node, 'dsl-batch-cancel')[0].click();
    expect(cancelled).toBe(1);
  });

  it('has no cancel button once the batch ended, and names the varying parameters', async () => {
    const node = await render(
      <ProgressView
        batch={batchState(['succeeded'])}
        onCancel={() => 0}
        onOpenRun={() => 0}
      />
    );
    expect(byTestId(node, 'dsl-batch-cancel')).toEqual([]);
    expect(texts(byTestId(node, 'dsl-batch-status'))).toEqual(['finished']);
    const two = await render(
      <ProgressView
        batch={batchState(['queued', 'queued'])}
        onCancel={() => 0}
        onOpenRun={() => 0}
      />
    );
    // the columns are the server's `varying` (one rule, in the core), not worked out here
    const headers = Array.from(
      two.querySelectorAll('thead th, tr[aria-rowindex="1"] th')
    );
    expect(headers.map(h => h.textContent)).toEqual([
      '#',
      'State',
      'n',
      'Time',
      'Output'
    ]);
  });

  it("opens the batch's runs in the main area, running or ended", async () => {
    for (const states of [['running'], ['succeeded']] as const) {
      const opened: string[] = [];
      const node = await render(
        <ProgressView
          batch={batchState([...states])}
          onCancel={() => 0}
          onOpenRun={() => 0}
          onOpenTable={id => opened.push(id)}
        />
      );
      byTestId(node, 'dsl-batch-open-main')[0].click();
      expect(opened).toEqual(['20260101-120000-abcdef']);
    }
  });
});
