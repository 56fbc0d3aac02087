/**
 * The main-area runs table as it renders (jsdom): a header per parameter and metric, a header click
 * sorts, the Where field sends its filters, ticked runs are compared with the differing values
 * marked, hostile parameter text stays text; and the sidebar's Runs section has the button.
 */
import React from 'react';

import { DslApiError, RunQuery, RunReply, RunsReply, RunSummary } from '../api';
import { RunsSection } from '../panel/RunsView';
import { RunsTableApi, RunsTableModel } from '../runstable/model';
import { RunsTableView } from '../runstable/RunsTableView';
import { actDom } from './actdom';

const HOSTILE = '<img src=x onerror="window.hacked=1">';

const run = (
  id: string,
  alpha: number,
  strategy: string,
  score: number
): RunSummary => ({
  id,
  notebook: 'tune.ipynb',
  status: 'succeeded',
  issue: null,
  batch_id: null,
  started_at: `2026-01-01T10:00:0${id.slice(-1)}`,
  duration_s: 1,
  parameters: { alpha, strategy },
  metrics: { score },
  error: null,
  defaults: { region: 'north' }
});

const REPLY: RunsReply = {
  runs: [
    run('r3', 0.3, 'uniform', 0.6),
    run('r2', 0.2, HOSTILE, 0.9),
    run('r1', 0.1, 'uniform', 0.2)
  ],
  varying_parameters: ['alpha', 'strategy'],
  metrics: ['score'],
  total: 3
};

class TableApi implements RunsTableApi {
  queries: RunQuery[] = [];
  listRuns(query: RunQuery): Promise<RunsReply> {
    this.queries.push(query);
    return Promise.resolve(REPLY);
  }
  runStamp(): Promise<string> {
    return Promise.resolve('s');
  }
  getRun(id: string): Promise<RunReply> {
    return Promise.reject(new DslApiError(404, `no run ${id}`));
  }
}

const dom = actDom();
const texts = (id: string): string[] =>
  dom.byTestId(id).map(node => node.textContent ?? '');

it('shows every column, sorts, filters, compares, and keeps hostile text inert', async () => {
  const api = new TableApi();
  const model = new RunsTableModel(
    api,
    { path: 'tune.ipynb', batch: null },
    { poll: false }
  );
  await model.refreshRuns();
  await dom.render(<RunsTableView model={model} onOpenNotebook={() => undefined} />);
  expect(texts('dsl-rtable-param-column')).toEqual(['region', 'alpha', 'strategy']);
  expect(texts('dsl-rtable-metric-column')).toEqual(['score']);
  expect(texts('dsl-rtable-param-strategy')).toEqual(['uniform', HOSTILE, 'uniform']);
  expect(document.querySelector('[data-testid="dsl-rtable"] img')).toBeNull();

  await dom.click(
    dom.one('dsl-rtable-metric-column').querySelector('button') as HTMLElement
  );
  expect(texts('dsl-rtable-metric-score')).toEqual(['0.9', '0.6', '0.2']);

  await dom.type(
    dom.one('dsl-rtable-where') as HTMLInputElement,
    'score>0.5, alpha>=0.2'
  );
  await dom.click(dom.one('dsl-rtable-filter'));
  expect(api.queries[1].where).toEqual(['score>0.5', 'alpha>=0.2']);
  expect(texts('dsl-rtable-total')).toEqual(['3 runs where score>0.5, alpha>=0.2']);

  const boxes = dom.byTestId('dsl-rtable-compare');
  await dom.click(boxes[0]);
  await dom.click(boxes[1]);
  const rows = dom.byTestId('dsl-compare-row');
  const differs = Object.fromEntries(
    rows.map(row => [row.dataset.key, row.dataset.differs])
  );
  expect(differs).toMatchObject({
    'param:region': 'false',
    'param:alpha': 'true',
    'param:strategy': 'true',
    'metric:score': 'true'
  });
  expect(dom.byTestId('dsl-rtable-chart')).toHaveLength(1);
  model.dispose();
});

it('the Runs section offers Open in main area', async () => {
  let opened = 0;
  await dom.render(
    <RunsSection
      path="tune.ipynb"
      runs={{ value: REPLY, error: null }}
      loading={false}
      onRefresh={() => undefined}
      selection={{
        selected: null,
        run: { value: null, error: null },
        loading: false,
        onSelect: () => undefined,
        onOpenNotebook: () => undefined
      }}
      onOpenInMainArea={() => opened++}
    />
  );
  await dom.click(dom.one('dsl-runs-open-main'));
  expect(opened).toBe(1);
});
