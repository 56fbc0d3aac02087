/**
 * The sidebar's actions in a real JupyterLab: **edit** beside a config file opens it and starts no
 * run; a grid file is offered in Batch (not as a config file) and loads into the grid editor, whose
 * Workers refuses -3 and whose failed run's error reads in full; an issue is created without linking
 * the notebook; **Switch** reverts an open notebook that the switch changed on disk.
 */
import { execFileSync } from 'child_process';

import { expect, Page, Request, test } from '@playwright/test';

import {
  openNotebook,
  openSidebar,
  PROJECT,
  save,
  serverGet,
  withinHorizontally
} from './helpers';

interface IActionsProject {
  actions: {
    notebook: string;
    config: string;
    grid: string;
    unlinked: string;
    switch: { notebook: string; branch: string; heading: string };
  };
}

const ACTIONS = (PROJECT as unknown as IActionsProject).actions;

let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on('pageerror', error => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

function git(...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=ui-test', '-c', 'user.email=ui-test@localhost', ...args],
    { cwd: PROJECT.root, encoding: 'utf8' }
  ).trim();
}

async function runsOf(notebook: string): Promise<number> {
  const reply = (await serverGet(
    `jupyter-dsl/runs?path=${encodeURIComponent(notebook)}&limit=0`
  )) as { total: number };
  return reply.total;
}

/** The current notebook's `metadata.jupyter_dsl` in the open document (not the file). */
function linkInDocument(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const app = (
      window as unknown as {
        jupyterapp: {
          shell: {
            currentWidget: {
              context: { model: { getMetadata(key: string): unknown } };
            } | null;
          };
        };
      }
    ).jupyterapp;
    return app.shell.currentWidget?.context.model.getMetadata('jupyter_dsl') ?? null;
  });
}

test('edit beside a config file opens it and starts no run', async ({ page }) => {
  const panel = await openNotebook(page, ACTIONS.notebook);
  await save(page, panel); // a run needs the saved notebook: an unwanted one could start now
  const before = await runsOf(ACTIONS.notebook);
  const jobs: Request[] = [];
  page.on('request', request => {
    if (request.method() === 'POST' && request.url().includes('/jupyter-dsl/jobs')) {
      jobs.push(request);
    }
  });
  const sidebar = await openSidebar(page);
  const config = sidebar.getByTestId('dsl-config').filter({ hasText: ACTIONS.config });
  await config.getByTestId('dsl-config-edit').click();

  // the file opens in JupyterLab's editor, in its own tab
  await expect(
    page.locator('#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current')
  ).toContainText('fast.yaml');
  await expect(page.locator('.jp-FileEditor:visible')).toContainText('alpha: 0.25');
  expect(jobs.map(request => request.url())).toEqual([]);
  expect(await runsOf(ACTIONS.notebook)).toBe(before);
  await expect(sidebar.getByTestId('dsl-job')).toHaveCount(0);
});

test('a grid file is offered in Batch, not as a config file, and loads into the grid editor', async ({
  page
}) => {
  await openNotebook(page, ACTIONS.notebook);
  const sidebar = await openSidebar(page);
  await expect(sidebar.getByTestId('dsl-config').locator('code')).toHaveText([
    ACTIONS.config
  ]);
  await expect(sidebar.getByTestId('dsl-configs')).not.toContainText(ACTIONS.grid);

  const batch = sidebar.getByTestId('dsl-batch');
  const file = batch.getByTestId('dsl-grid-file');
  await expect(file).toHaveAttribute('data-path', ACTIONS.grid);
  await file.getByTestId('dsl-grid-file-load').click();
  const field = (name: string): ReturnType<Page['locator']> =>
    batch.locator(`[data-testid="dsl-grid-values"][data-name="${name}"]`);
  await expect(field('alpha')).toHaveValue('0, 1');
  await expect(field('region')).toHaveValue('west');
  await expect(batch.getByTestId('dsl-grid-loaded-path')).toHaveText(ACTIONS.grid);
  await expect(batch.getByTestId('dsl-batch-count')).toHaveText('2 parameter sets');

  // Workers takes 1 to 64, and says so beside the field
  const workers = batch.getByTestId('dsl-batch-workers');
  await workers.fill('-3');
  await expect(batch.getByTestId('dsl-batch-workers-error')).toHaveText(
    'Workers must be a whole number from 1 to 64, not "-3"'
  );
  await expect(batch.getByTestId('dsl-batch-start')).toBeDisabled();
  await workers.fill('2');
  await expect(batch.getByTestId('dsl-batch-workers-error')).toHaveCount(0);

  // the batch runs what the file says; alpha 0 fails, and its error reads in full
  await batch.getByTestId('dsl-batch-start').click();
  const progress = batch.getByTestId('dsl-batch-progress');
  await expect(progress.getByTestId('dsl-batch-status')).toHaveText('finished', {
    timeout: 120_000
  });
  const error = progress.getByTestId('dsl-batch-error');
  await expect(error).toHaveText([
    '#1 failed: ZeroDivisionError: float division by zero'
  ]);
  const text = error.locator('.jp-dsl-batch-error-text');
  expect(await withinHorizontally(text, sidebar)).toBe(true);
  expect(await text.evaluate(node => node.scrollWidth <= node.clientWidth + 1)).toBe(
    true
  );
  // and in the Runs section, the failed run's details say it in full too
  const failed = sidebar
    .getByTestId('dsl-run')
    .filter({ has: page.getByTestId('dsl-run-status').filter({ hasText: 'failed' }) });
  await failed.getByTestId('dsl-run-open').click();
  const summary = sidebar.getByTestId('dsl-run-error-summary');
  await expect(summary).toHaveText('ZeroDivisionError: float division by zero');
  expect(await withinHorizontally(summary, sidebar)).toBe(true);
});

test('an issue is created without linking the notebook to it', async ({ page }) => {
  await openNotebook(page, ACTIONS.unlinked);
  const sidebar = await openSidebar(page);
  const form = sidebar.getByTestId('dsl-new-issue');
  await form.getByTestId('dsl-new-type').selectOption('Ask');
  await expect(form.getByTestId('dsl-new-link')).not.toBeChecked();
  await form.getByTestId('dsl-new-title').fill('Which customers leave first?');
  await form.getByTestId('dsl-new-submit').click();

  const created = form.getByTestId('dsl-new-created');
  await expect(created).toContainText('“Which customers leave first?”');
  const number = Number((await created.textContent())?.match(/#(\d+)/)?.[1]);
  expect(number).toBeGreaterThan(0);
  const issues = (await serverGet(
    `jupyter-dsl/issues?state=all&path=${encodeURIComponent(ACTIONS.unlinked)}`
  )) as { issues: { number: number; title: string; type: string }[] };
  expect(issues.issues.find(issue => issue.number === number)).toMatchObject({
    title: 'Which customers leave first?',
    type: 'Ask'
  });
  // still unlinked, in the document and in the sidebar; the picker lists the new Ask
  expect(await linkInDocument(page)).toBeNull();
  await expect(sidebar.getByTestId('dsl-not-linked')).toBeVisible();
  await expect(sidebar.getByTestId(`dsl-pick-issue-${number}`)).toBeVisible();

  // an Explore of that Ask is linked (the default for an Explore)
  await form.getByTestId('dsl-new-type').selectOption('Explore');
  await expect(form.getByTestId('dsl-new-link')).toBeChecked();
  await form.getByTestId('dsl-new-ask').selectOption(String(number));
  await form.getByTestId('dsl-new-title').fill('Early leavers by tenure');
  await form.getByTestId('dsl-new-submit').click();
  await expect(sidebar.getByTestId('dsl-issue-title')).toHaveText(
    'Early leavers by tenure'
  );
  await expect(sidebar.getByTestId('dsl-issue-ask')).toContainText(`#${number}`);
  expect(await linkInDocument(page)).toMatchObject({ ask: number });
});

test('Switch reverts an open notebook that the switch changed on disk', async ({
  page
}) => {
  const { notebook, branch, heading } = ACTIONS.switch;
  const previous = git('rev-parse', '--abbrev-ref', 'HEAD');
  const panel = await openNotebook(page, notebook);
  await save(page, panel); // the kernel's language_info
  // committed with what the other tests saved: a switch carries no uncommitted change over
  git('add', '--all');
  git('commit', '--quiet', '-m', 'as the tests left it');
  await expect(panel.locator('.jp-MarkdownCell').first()).toContainText(
    'Churn by region'
  );
  try {
    const sidebar = await openSidebar(page);
    await expect(sidebar.getByTestId('dsl-branch-expected')).toHaveText(branch);
    await sidebar.getByTestId('dsl-switch-branch').click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(branch);
    await dialog.getByRole('button', { name: 'Switch' }).click();

    await expect(sidebar.getByTestId('dsl-branch-match')).toHaveAttribute(
      'data-matches',
      'true'
    );
    expect(git('rev-parse', '--abbrev-ref', 'HEAD')).toBe(branch);
    // the editor shows the branch's version, reloaded from disk, and says so
    await expect(panel.locator('.jp-MarkdownCell').first()).toContainText(
      heading.replace('# ', '')
    );
    await expect(
      page.locator('.Toastify__toast').filter({
        hasText: `reloaded ${notebook} from disk`
      })
    ).toHaveCount(1);
  } finally {
    git('switch', '--quiet', previous);
  }
});
