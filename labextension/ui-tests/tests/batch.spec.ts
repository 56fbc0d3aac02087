/**
 * The Batch and Runs sections in a real JupyterLab: a batch of 4 from the grid editor runs to the
 * end with live progress; a held batch survives a reload, shows in a second tab and is cancelled;
 * runs recorded by the CLI appear without a refresh; a run's output opens read-only; the runs
 * table of 5,000 runs keeps a window of rows while it scrolls and sorts (how long it takes:
 * benchmarks/sidebar.py).
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';

import { expect, Locator, Page, test } from '@playwright/test';

import { execute, openNotebook, openSidebar, PROJECT } from './helpers';

interface IBatchProject {
  batch: { notebook: string; hold: string };
  many_runs: { notebook: string; count: number };
}

const EXTRA = PROJECT as unknown as IBatchProject;
const PYTHON = process.env.PYTHON || 'python';

/** Keep a picture of a part of the page in docs/ (light and dark), with DSL_UI_DOCS=1. */
async function docsShot(locator: Locator, name: string): Promise<void> {
  if (process.env.DSL_UI_DOCS) {
    const docs = path.resolve(__dirname, '..', '..', '..', 'docs');
    await locator.screenshot({ path: path.join(docs, `${name}.png`) });
  }
}

async function setTheme(page: Page, theme: string): Promise<void> {
  await execute(page, 'apputils:change-theme', { theme });
  await expect(page.locator('body')).toHaveAttribute('data-jp-theme-name', theme);
}

async function batchSection(page: Page): Promise<Locator> {
  const sidebar = await openSidebar(page);
  return sidebar.getByTestId('dsl-batch');
}

async function fillGrid(
  section: Locator,
  values: Record<string, string>
): Promise<void> {
  for (const [name, text] of Object.entries(values)) {
    await section
      .locator(`[data-testid="dsl-grid-values"][data-name="${name}"]`)
      .fill(text);
  }
}

test('a batch of 4 from the grid editor runs to the end; new runs appear without a refresh', async ({
  page
}) => {
  const { notebook } = EXTRA.batch;
  await openNotebook(page, notebook);
  const section = await batchSection(page);
  const runs = page.getByTestId('dsl-runs');
  await expect(runs.getByTestId('dsl-runs-none')).toBeVisible();

  await fillGrid(section, { n: '0, 1, 2, x' });
  await expect(section.getByTestId('dsl-batch-preview-error')).toHaveText([
    "sidebar grid: grid.n[3]: expected int, got str 'x'"
  ]);
  await expect(section.getByTestId('dsl-batch-start')).toBeDisabled();
  await fillGrid(section, { n: '0, 1, 2, 3' });
  await expect(section.getByTestId('dsl-batch-count')).toHaveText('4 parameter sets');
  await section.getByTestId('dsl-batch-workers').fill('2');
  await section.getByTestId('dsl-batch-start').click();

  const progress = section.getByTestId('dsl-batch-progress');
  await expect(progress.getByTestId('dsl-batch-run')).toHaveCount(4);
  await expect(progress.getByTestId('dsl-batch-status')).toHaveText('finished', {
    timeout: 120_000
  });
  await expect(progress.getByTestId('dsl-batch-run-state')).toHaveText([
    'succeeded',
    'succeeded',
    'succeeded',
    'succeeded'
  ]);
  // the runs table shows them, with the metric and the varying parameter, without "Refresh runs"
  await expect(runs.getByTestId('dsl-runs-total')).toHaveText('(4)');
  await expect(runs.getByTestId('dsl-runs-param-column')).toHaveText(['n']);
  const square = runs.locator('[data-testid="dsl-runs-metric-column"] button');
  await square.click(); // highest first
  await expect(runs.getByTestId('dsl-run-metric-square').first()).toHaveText('9');

  await runs.getByTestId('dsl-runs-chart').locator('summary').click();
  await expect(runs.getByTestId('dsl-chart-series')).toHaveCount(1);
  await expect(runs.locator('[data-testid="dsl-chart"] circle')).toHaveCount(4);
  await docsShot(section, 'sidebar-batch-light');
  await docsShot(runs, 'sidebar-runs-light');
  await setTheme(page, 'JupyterLab Dark');
  await docsShot(section, 'sidebar-batch-dark');
  await docsShot(runs, 'sidebar-runs-dark');
  await setTheme(page, 'JupyterLab Light');

  // a run recorded elsewhere (the CLI, in a terminal) appears at the next poll
  execFileSync(PYTHON, ['-m', 'jupyter_dsl', 'run', notebook, '-p', 'n', '5'], {
    cwd: PROJECT.root,
    encoding: 'utf8'
  });
  await expect(runs.getByTestId('dsl-runs-total')).toHaveText('(5)', {
    timeout: 30_000
  });

  // the output notebook of a batch run opens read-only
  const second = progress.locator('[data-testid="dsl-batch-run"]').nth(1);
  await second.getByTestId('dsl-batch-run-open').click();
  const view = page.locator('.jp-dsl-run-notebook:visible');
  await expect(view).toBeVisible();
  await expect(view.locator('.jp-InputArea-editor')).toContainText(['n = 1']);
});

test('a held batch survives a reload, shows in a second tab, and is cancelled', async ({
  page,
  context
}) => {
  const { notebook, hold } = EXTRA.batch;
  fs.writeFileSync(hold, 'hold');
  try {
    // a second tab, open before the batch starts, shows it once its first run is recorded
    const other = await context.newPage();
    await openNotebook(other, notebook);
    const otherProgress = (await batchSection(other)).getByTestId('dsl-batch-progress');
    await openNotebook(page, notebook);
    let section = await batchSection(page);
    await fillGrid(section, { n: '2, 3, 4', hold });
    await expect(section.getByTestId('dsl-batch-count')).toHaveText('3 parameter sets');
    await section.getByTestId('dsl-batch-workers').fill('1');
    await section.getByTestId('dsl-batch-start').click();
    let progress = section.getByTestId('dsl-batch-progress');
    await expect(progress.getByTestId('dsl-batch-run-state').first()).toHaveText(
      'running',
      {
        timeout: 60_000
      }
    );
    const id = await progress.getByTestId('dsl-batch-id').textContent();
    expect(id).toMatch(/^\d{8}-\d{6}-\w+$/);

    await page.reload();
    await expect(page.locator('#jupyterlab-splash')).toHaveCount(0);
    await expect(page.locator('.jp-NotebookPanel:visible .jp-Cell')).toHaveCount(3);
    section = await batchSection(page);
    progress = section.getByTestId('dsl-batch-progress');
    await expect(progress.getByTestId('dsl-batch-id')).toHaveText(id ?? '');
    await expect(progress.getByTestId('dsl-batch-status')).toHaveText('running');
    await expect(progress.getByTestId('dsl-batch-run-state')).toHaveText([
      'running',
      'queued',
      'queued'
    ]);

    await expect(otherProgress.getByTestId('dsl-batch-id')).toHaveText(id ?? '');
    await expect(otherProgress.getByTestId('dsl-batch-status')).toHaveText('running');
    await otherProgress.getByTestId('dsl-batch-cancel').click();
    // cancelling interrupts the running run: the sidebar asks first
    const dialog = other.locator('.jp-Dialog');
    await expect(dialog).toContainText('Interrupt the 1 running run');
    await dialog.getByRole('button', { name: 'Cancel batch' }).click();
    await expect(otherProgress.getByTestId('dsl-batch-status')).toHaveText(
      /^(running \(cancelling…\)|cancelled)$/
    );
    await other.close();

    // the first tab follows the same batch to its end
    await expect(progress.getByTestId('dsl-batch-status')).toHaveText('cancelled', {
      timeout: 60_000
    });
    await expect(progress.getByTestId('dsl-batch-run-state')).toHaveText([
      'interrupted',
      'queued',
      'queued'
    ]);
  } finally {
    fs.rmSync(hold, { force: true });
  }
});

test('the runs table of 5,000 runs keeps a window of rows while it scrolls and sorts', async ({
  page
}) => {
  const { notebook, count } = EXTRA.many_runs;
  await openNotebook(page, notebook);
  const sidebar = await openSidebar(page);
  const runs = sidebar.getByTestId('dsl-runs');
  await expect(runs.getByTestId('dsl-runs-total')).toHaveText(`(${count})`);
  const rows = runs.getByTestId('dsl-run');
  const lastRow = async (): Promise<number> =>
    Number(await rows.last().getAttribute('aria-rowindex'));
  expect(await rows.count()).toBeLessThan(100); // a window of rows, not 5,000

  const scroller = runs.getByTestId('dsl-runs-table-scroller');
  await scroller.hover();
  for (let step = 0; step < 80; step++) {
    await page.mouse.wheel(0, 900);
  }
  await scroller.evaluate(node => (node.scrollTop = node.scrollHeight)); // a jump to the end
  await expect.poll(lastRow).toBeGreaterThan(count - 100); // the last runs are shown
  expect(await rows.count()).toBeLessThan(100);
  await runs.locator('[data-testid="dsl-runs-metric-column"] button').click();
  for (let step = 0; step < 80; step++) {
    await page.mouse.wheel(0, -2000);
  }
  await expect(rows.first()).toBeVisible();
  await expect.poll(lastRow).toBeLessThan(100); // back at the top
  expect(await rows.count()).toBeLessThan(100);
});
