/**
 * The runs table of 5,000 runs: only the rows in view are in the DOM, scrolling moves the window,
 * a header sorts (and says so to a screen reader); the pure window and sort functions.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import React from 'react';

import { RunsReply, RunSummary } from '../api';
import { RunsSection } from '../panel/RunsView';
import { NEWEST_FIRST, nextSort, sortRuns } from '../panel/runsort';
import { OVERSCAN, ROW_HEIGHT, VIEW_HEIGHT, windowOf } from '../panel/VirtualTable';
import { until } from './fakes';

const widgets: Widget[] = [];
afterEach(() => {
  for (const widget of widgets.splice(0)) {
    widget.dispose();
  }
});

function run(index: number): RunSummary {
  return {
    id: `run-${index}`,
    notebook: 'a.ipynb',
    status: index % 7 === 0 ? 'failed' : 'succeeded',
    issue: null,
    batch_id: null,
    started_at: new Date(Date.UTC(2026, 0, 2) - index * 1000).toISOString(), // newest first
    duration_s: 1,
    parameters: { n: index, tag: `t${index % 3}` },
    defaults: {},
    // every 10th run has no score: it sorts last either way
    metrics: index % 10 === 5 ? {} : { score: (index * 37) % 1000 },
    error: null
  };
}

const MANY: RunsReply = {
  runs: Array.from({ length: 5000 }, (_, i) => run(i)),
  varying_parameters: ['n', 'tag'],
  metrics: ['score'],
  total: 5000
};

async function renderTable(): Promise<HTMLElement> {
  const widget = ReactWidget.create(
    <RunsSection
      path="a.ipynb"
      runs={{ value: MANY, error: null }}
      loading={false}
      onRefresh={() => undefined}
      selection={{
        selected: null,
        run: { value: null, error: null },
        loading: false,
        onSelect: () => undefined,
        onOpenNotebook: () => undefined
      }}
    />
  );
  widgets.push(widget);
  Widget.attach(widget, document.body);
  await until(() => widget.node.querySelectorAll('[data-testid="dsl-run"]').length > 0);
  return widget.node;
}

const rowIds = (node: HTMLElement): string[] =>
  [...node.querySelectorAll<HTMLElement>('[data-testid="dsl-run"]')].map(
    r => r.dataset.id ?? ''
  );

describe('windowOf', () => {
  it('renders the rows in view plus the overscan, never past either end', () => {
    const shown = Math.ceil(VIEW_HEIGHT / ROW_HEIGHT) + 1;
    expect(windowOf(0, VIEW_HEIGHT, 5000)).toEqual({ start: 0, end: shown + OVERSCAN });
    expect(windowOf(ROW_HEIGHT * 1000, VIEW_HEIGHT, 5000)).toEqual({
      start: 1000 - OVERSCAN,
      end: 1000 + shown + OVERSCAN
    });
    expect(windowOf(ROW_HEIGHT * 10_000, VIEW_HEIGHT, 5000)).toEqual({
      start: 5000 - shown - OVERSCAN,
      end: 5000
    });
    expect(windowOf(0, VIEW_HEIGHT, 3)).toEqual({ start: 0, end: 3 });
  });
});

describe('sortRuns', () => {
  it('orders by a metric either way with the runs lacking it last, stably', () => {
    const runs = [run(5), run(1), run(2), run(15), run(3)];
    const up = sortRuns(runs, { key: 'metric:score', descending: false }).map(
      r => r.id
    );
    expect(up).toEqual(['run-1', 'run-2', 'run-3', 'run-5', 'run-15']);
    const down = sortRuns(runs, { key: 'metric:score', descending: true }).map(
      r => r.id
    );
    expect(down).toEqual(['run-3', 'run-2', 'run-1', 'run-5', 'run-15']);
    expect(runs.map(r => r.id)).toEqual(['run-5', 'run-1', 'run-2', 'run-15', 'run-3']);
  });

  it('sorts a parameter as numbers, a new column in its natural order, the same one reversed', () => {
    const runs = [run(10), run(9), run(100)];
    expect(
      sortRuns(runs, { key: 'param:n', descending: false }).map(r => r.id)
    ).toEqual(['run-9', 'run-10', 'run-100']);
    expect(nextSort(NEWEST_FIRST, 'param:n')).toEqual({
      key: 'param:n',
      descending: false
    });
    expect(nextSort(NEWEST_FIRST, 'metric:score')).toEqual({
      key: 'metric:score',
      descending: true
    });
    expect(nextSort({ key: 'param:n', descending: false }, 'param:n').descending).toBe(
      true
    );
  });
});

describe('the runs table of 5,000 runs', () => {
  it('has only a window of rows in the DOM and moves it on scroll', async () => {
    const node = await renderTable();
    const first = rowIds(node);
    expect(first.length).toBeLessThanOrEqual(
      Math.ceil(VIEW_HEIGHT / ROW_HEIGHT) + 1 + 2 * OVERSCAN
    );
    expect(first[0]).toBe('run-0');
    const table = node.querySelector('[data-testid="dsl-runs-table"]') as HTMLElement;
    expect(table.getAttribute('aria-rowcount')).toBe('5001');
    const spacer = node.querySelector<HTMLElement>('.jp-dsl-vspacer');
    expect(spacer?.style.height).toBe(`${(5000 - first.length) * ROW_HEIGHT}px`);
    const scroller = node.querySelector(
      '[data-testid="dsl-runs-table-scroller"]'
    ) as HTMLElement;
    scroller.scrollTop = ROW_HEIGHT * 2500;
    scroller.dispatchEvent(new Event('scroll'));
    await until(() => rowIds(node)[0] === `run-${2500 - OVERSCAN}`);
    expect(rowIds(node)).toContain('run-2500');
    const row = node.querySelector<HTMLElement>('[data-id="run-2500"]');
    expect(row?.getAttribute('aria-rowindex')).toBe('2502');
  });

  it('sorts by a metric header, highest first, then lowest first', async () => {
    const node = await renderTable();
    const header = node.querySelector<HTMLElement>(
      '[data-testid="dsl-runs-metric-column"]'
    );
    expect(header?.getAttribute('aria-sort')).toBe('none');
    header?.querySelector('button')?.click();
    await until(() => header?.getAttribute('aria-sort') === 'descending');
    const best = Math.max(...MANY.runs.map(r => r.metrics.score ?? -1));
    expect(
      node.querySelector('[data-testid="dsl-run-metric-score"]')?.textContent
    ).toBe(String(best));
    header?.querySelector('button')?.click();
    await until(() => header?.getAttribute('aria-sort') === 'ascending');
    expect(
      node.querySelector('[data-testid="dsl-run-metric-score"]')?.textContent
    ).toBe('0');
  });
});
