/**
 * The Parameters and Runs sections rendered by React into a real (jsdom) DOM: what the user
 * reads, the hints when there is nothing to show, and values kept as text (never as HTML).
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import React from 'react';

import { DslApiError, ParamsReply, RunsReply } from '../api';
import {
  formatStart,
  formatValue,
  ParamsSection,
  RunsSection,
  shellQuote
} from '../panel/RunsView';

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
  for (let i = 0; i < 200 && widget.node.childElementCount === 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  expect(widget.node.childElementCount).toBeGreaterThan(0);
  return widget.node;
}

function byTestId(node: HTMLElement, id: string): HTMLElement[] {
  return [...node.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
}

const texts = (nodes: HTMLElement[]): string[] => nodes.map(n => n.textContent ?? '');

const PARAMS: ParamsReply = {
  path: 'tune.ipynb',
  cell: 1,
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
      metrics: { score: null }
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
      metrics: { score: 0.2 }
    }
  ],
  varying_parameters: ['alpha', 'label'],
  metrics: ['score'],
  total: 12
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
          value: { ...PARAMS, cell: null, parameters: [], notes: [] },
          error: null
        }}
      />
    );
    expect(texts(byTestId(node, 'dsl-params-hint'))).toEqual([
      "jupyter dsl params 'my dir/a.ipynb' --tag-cell N"
    ]);
    expect(byTestId(node, 'dsl-param')).toEqual([]);
  });

  it('shows the error with its hint', async () => {
    const error = new DslApiError(400, 'a.ipynb is not valid JSON', 'Fix the file.');
    const node = await render(
      <ParamsSection path="a.ipynb" params={{ value: null, error }} />
    );
    expect(texts(byTestId(node, 'dsl-error-message'))).toEqual([
      'Could not read the parameters: a.ipynb is not valid JSON (400)'
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
      />
    );
    expect(texts(byTestId(node, 'dsl-runs-total'))).toEqual(['(0)']);
    const none = texts(byTestId(node, 'dsl-runs-none'))[0];
    expect(none).toContain('jupyter dsl run tune.ipynb');
    expect(none).toContain('%dsl run');
    expect(byTestId(node, 'dsl-runs-table')).toEqual([]);
  });
});
