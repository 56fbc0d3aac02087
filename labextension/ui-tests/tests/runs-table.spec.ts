/**
 * The runs table in the main area (issue 20): "Open in main area" in the Runs section opens a
 * notebook's runs as a full table with every parameter (even one that never varies, which the
 * sidebar leaves out) and metric; it sorts by a column, filters with the `--where` syntax of
 * `jupyter dsl runs`, compares two runs side by side, charts a metric, keeps hostile text inert,
 * opens a run's output notebook read-only, gains a row when a run is recorded elsewhere, and comes
 * back with the layout after a reload.
 */
import { execFileSync } from 'child_process';
import path from 'path';

import { expect, Locator, test } from '@playwright/test';

import { execute, openNotebook, openSidebar, PROJECT } from './helpers';

interface ITableProject {
  runs_table: { notebook: string; runs: string[]; hostile: string };
}

const TABLE = (PROJECT as unknown as ITableProject).runs_table;
const PYTHON = process.env.PYTHON || 'python';

/** Keep a picture of the table in docs/ for the README, with DSL_UI_DOCS=1. */
async function docsShot(locator: Locator, name: string): Promise<void> {
  if (process.env.DSL_UI_DOCS) {
    const docs = path.resolve(__dirname, '..', '..', '..', 'docs');
    await locator.screenshot({ path: path.join(docs, `${name}.png`) });
  }
}

async function columnNames(
  table: Locator,
  kind: 'param' | 'metric'
): Promise<string[]> {
  return (
    await table.getByTestId(`dsl-rtable-${kind}-column`).allTextContents()
  ).sort();
}

test('Open in main area: every parameter, sort, --where, compare, chart, and new runs appear', async ({
  page
}) => {
  await openNotebook(page, TABLE.notebook);
  const runs = (await openSidebar(page)).getByTestId('dsl-runs');
  await expect(runs.getByTestId('dsl-runs-total')).toHaveText('(6)');
  // the sidebar leaves out the parameter that never varies
  await expect(runs.getByTestId('dsl-runs-param-column')).toHaveCount(2);
  await runs.getByTestId('dsl-runs-open-main').click();

  const table = page.locator('.jp-dsl-rtable-widget:visible').getByTestId('dsl-rtable');
  await expect(table.getByTestId('dsl-rtable-total')).toHaveText('6 runs');
  await expect(table.getByTestId('dsl-rtable-run')).toHaveCount(6);
  expect(await columnNames(table, 'param')).toEqual([
    'alpha',
    'region',
    'sampling_strategy'
  ]);
  expect(await columnNames(table, 'metric')).toEqual(['loss', 'score']);
  // a parameter value is text, never markup
  const hostile = table.locator(
    `[data-testid="dsl-rtable-run"][data-id="${TABLE.runs[2]}"]`
  );
  await expect(hostile.getByTestId('dsl-rtable-param-sampling_strategy')).toHaveText(
    TABLE.hostile
  );
  await expect(table.locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => document.body.dataset.hostile)).toBeUndefined();

  // sort by a metric: highest first, then lowest first
  const score = table.locator('[data-testid="dsl-rtable-metric-column"] button', {
    hasText: 'score'
  });
  await score.click();
  await expect(table.getByTestId('dsl-rtable-metric-score').first()).toHaveText('1.2');
  await score.click();
  await expect(table.getByTestId('dsl-rtable-metric-score').first()).toHaveText('0.2');

  // filter as `jupyter dsl runs --where score>0.7` does; an unreadable filter says why
  const where = table.getByTestId('dsl-rtable-where');
  await where.fill('score>0.7');
  await table.getByTestId('dsl-rtable-filter').click();
  await expect(table.getByTestId('dsl-rtable-total')).toHaveText(
    '3 runs where score>0.7'
  );
  await expect(table.getByTestId('dsl-rtable-metric-score')).toHaveText([
    '0.8',
    '1',
    '1.2'
  ]);
  await where.fill('score>high');
  await where.press('Enter');
  await expect(table.getByTestId('dsl-error-message')).toContainText('score>high');
  await expect(table.getByTestId('dsl-rtable-run')).toHaveCount(3); // what was shown stays
  await where.fill('score>0.7, loss<0.55');
  await where.press('Enter');
  await expect(table.getByTestId('dsl-rtable-total')).toHaveText(
    '2 runs where score>0.7, loss<0.55'
  );
  await expect(table.getByTestId('dsl-error')).toHaveCount(0);

  // compare the two runs: alpha differs, region does not
  const rows = table.getByTestId('dsl-rtable-run');
  await rows.nth(0).getByTestId('dsl-rtable-compare').check();
  await rows.nth(1).getByTestId('dsl-rtable-compare').check();
  const comparison = table.getByTestId('dsl-rtable-comparison');
  await expect(comparison.getByTestId('dsl-compare-run')).toHaveCount(2);
  const line = (key: string): Locator =>
    comparison.locator(`[data-testid="dsl-compare-row"][data-key="${key}"]`);
  await expect(line('param:alpha')).toHaveAttribute('data-differs', 'true');
  await expect(line('param:region')).toHaveAttribute('data-differs', 'false');
  await expect(line('param:alpha').getByTestId('dsl-compare-value')).toHaveText([
    '0.5',
    '0.6'
  ]);
  await expect(comparison.getByTestId('dsl-compare-summary')).toContainText('2 runs');

  // the chart: a chosen metric against the parameter that varies most, over the runs shown
  const chart = table.getByTestId('dsl-rtable-chart');
  await expect(chart.getByTestId('dsl-rtable-chart-x')).toHaveValue('alpha');
  await chart.getByTestId('dsl-rtable-chart-y').selectOption('score');
  await expect(chart.locator('figcaption')).toContainText('score by alpha (2 runs)');
  await expect(chart.locator('circle')).toHaveCount(2);
  await docsShot(page.locator('.jp-dsl-rtable-widget:visible'), 'runs-table-main-area');

  // a run recorded elsewhere (the CLI) appears without a refresh
  await table.getByTestId('dsl-rtable-clear').click();
  await expect(table.getByTestId('dsl-rtable-total')).toHaveText('6 runs');
  execFileSync(
    PYTHON,
    ['-m', 'jupyter_dsl', 'run', TABLE.notebook, '-p', 'alpha', '0.7'],
    {
      cwd: PROJECT.root,
      encoding: 'utf8'
    }
  );
  await expect(table.getByTestId('dsl-rtable-total')).toHaveText('7 runs', {
    timeout: 60_000
  });
  await expect(table.getByTestId('dsl-rtable-run')).toHaveCount(7);
  await expect(chart.locator('circle')).toHaveCount(7);

  // a click on the new run shows its details; its output notebook opens read-only
  const newest = table
    .getByTestId('dsl-rtable-metric-score')
    .filter({ hasText: /^1\.4$/ });
  await newest.click();
  const details = table.getByTestId('dsl-run-details');
  await expect(details).toBeVisible();
  await details.getByTestId('dsl-run-open-notebook').click();
  const view = page.locator('.jp-dsl-run-notebook:visible');
  await expect(view).toBeVisible();
  await expect(view.locator('.jp-InputArea-editor')).toContainText(['alpha = 0.7']);

  // the palette's command for the current notebook brings back the same tab, not a second
  await execute(page, 'jupyter-dsl:open-runs-table', { path: TABLE.notebook });
  await expect(page.locator('.jp-dsl-rtable-widget')).toHaveCount(1);
  await expect(page.locator('.jp-dsl-rtable-widget:visible')).toHaveCount(1);

  // the tab is part of the layout: a reload brings it back, listing the runs again
  await page.reload();
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0);
  await page.locator('.lm-TabBar-tab', { hasText: 'Runs: runs-table.ipynb' }).click();
  const restored = page
    .locator('.jp-dsl-rtable-widget:visible')
    .getByTestId('dsl-rtable');
  await expect(restored.getByTestId('dsl-rtable-total')).toHaveText('7 runs');
});
