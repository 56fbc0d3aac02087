/**
 * The sidebar's whole loop in a real JupyterLab and a real kernel: create an Explore issue and link
 * the notebook, make a parameters cell through the document, run once from the parameters form
 * (the server records the run; it appears in Runs), add and tick a goal, and mark the exploration
 * complete after the dry run's confirmation: the issue is closed. Switching between two linked
 * notebooks shows what was kept at once, without the server, then the fresh answers (how long it
 * takes: benchmarks/sidebar.py). With DSL_UI_SCREENSHOTS=DIR it keeps pictures of each section in
 * the light and the dark theme.
 */
import { expect, Locator, Page, Route, test } from '@playwright/test';
import { execFileSync } from 'child_process';

import {
  activeTab,
  execute,
  kernelIdle,
  openNotebook,
  openSidebar,
  PROJECT,
  readNotebook,
  save,
  serverGet,
  snapshotOf
} from './helpers';
import { timeSwitch } from './switching';

const ASK = PROJECT.ask;

let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on('pageerror', error => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

async function setTheme(
  page: Page,
  theme: 'JupyterLab Light' | 'JupyterLab Dark'
): Promise<void> {
  await execute(page, 'apputils:change-theme', { theme });
  const light = theme === 'JupyterLab Light' ? 'true' : 'false';
  await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', light);
}

/** Pictures of the sidebar's sections, light then dark (only with DSL_UI_SCREENSHOTS). */
async function sectionPictures(
  page: Page,
  sidebar: Locator,
  stage: string
): Promise<void> {
  if (!process.env.DSL_UI_SCREENSHOTS) {
    return;
  }
  // A wider sidebar than the default, as a reader would drag it to.
  const handle = page
    .locator('#jp-main-split-panel > .lm-SplitPanel-handle:not(.lm-mod-hidden)')
    .last();
  const box = await handle.boundingBox();
  if (box !== null && (await sidebar.boundingBox())!.width < 400) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x - 180, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
  }
  for (const [theme, suffix] of [
    ['JupyterLab Light', 'light'],
    ['JupyterLab Dark', 'dark']
  ] as const) {
    await setTheme(page, theme);
    for (const id of stage.split(',')) {
      const section = sidebar.locator(`[data-section="${id}"]`);
      if ((await section.count()) > 0 && (await section.isVisible())) {
        await section.scrollIntoViewIfNeeded();
        await snapshotOf(section, `sidebar-${id}-${suffix}`);
      }
    }
  }
  await setTheme(page, 'JupyterLab Light');
}

test('create and link, make a parameters cell, run from the form, complete the exploration', async ({
  page
}) => {
  test.setTimeout(300_000);
  const name = PROJECT.flow;
  const panel = await openNotebook(page, name, 4);
  const sidebar = await openSidebar(page);

  // 1. Create an Explore issue from its template (Ask picker) and link the notebook; save.
  const form = sidebar.getByTestId('dsl-new-issue');
  await form.getByTestId('dsl-new-type').selectOption('Explore');
  await form.getByTestId('dsl-new-title').fill('Seasonality of churn');
  await form.getByTestId('dsl-new-ask').selectOption(String(ASK.number));
  await form.getByTestId('dsl-new-submit').click();
  await expect(sidebar.getByTestId('dsl-issue-title')).toHaveText(
    'Seasonality of churn'
  );
  const number = Number(
    (await sidebar.getByTestId('dsl-issue-number').textContent())?.replace('#', '')
  );
  await expect(sidebar.getByTestId('dsl-issue-label')).toContainText(['Explore']);
  await expect(sidebar.getByTestId('dsl-ask-child').first()).toBeVisible(); // the Ask's other issue
  await expect(page.getByTestId('dsl-status')).toHaveText(
    `#${number} Explore · explore/${number}-seasonality-of-churn`
  );
  await save(page, panel);

  // 2. No parameters cell: make the second cell one, through the document (the file waits for a save).
  const params = sidebar.getByTestId('dsl-params');
  await expect(params.getByTestId('dsl-params-none')).toBeVisible();
  await panel.locator('.jp-Cell').nth(1).locator('.jp-InputPrompt').click();
  await sidebar.getByTestId('dsl-make-params-cell').click();
  await expect(activeTab(page)).toHaveClass(/jp-mod-dirty/);
  expect(readNotebook(name).cells[1].metadata).toEqual({});
  await save(page, panel);
  expect(readNotebook(name).cells[1].metadata).toEqual({ tags: ['parameters'] });
  const alpha = params.locator('[data-testid="dsl-param"][data-name="alpha"]');
  await expect(alpha.getByTestId('dsl-param-input')).toHaveValue('0.5');

  // 3. A wrong value is refused beside its field before anything runs; a right one runs.
  await alpha.getByTestId('dsl-param-input').fill('fast');
  await expect(alpha.getByTestId('dsl-param-error')).toContainText('must be float');
  await expect(params.getByTestId('dsl-run-button')).toBeDisabled();
  await alpha.getByTestId('dsl-param-input').fill('0.7');
  await expect(alpha.getByTestId('dsl-param-error')).toHaveCount(0);
  await expect(params.getByTestId('dsl-run-button')).toBeEnabled();
  await params.getByTestId('dsl-run-button').click();
  await expect(params.getByTestId('dsl-job')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000
  });
  await expect(params.getByTestId('dsl-job')).toContainText('succeeded');
  const runs = sidebar.getByTestId('dsl-runs');
  await expect(runs.getByTestId('dsl-run')).toHaveCount(1);
  await expect(runs.getByTestId('dsl-run-status')).toHaveText('succeeded');
  await expect(runs.getByTestId('dsl-run-metric-score')).toHaveText('1.4');

  // 4. Goals and findings.
  const findings = sidebar.getByTestId('dsl-findings');
  await findings.getByTestId('dsl-goal-input').fill('Does churn follow the seasons?');
  await findings.getByTestId('dsl-goal-add').click();
  await expect(findings.getByTestId('dsl-goal')).toHaveCount(1);
  // The box follows the tracker: it is ticked once the server has edited the issue.
  await findings.getByTestId('dsl-goal-tick').click();
  await expect(findings.getByTestId('dsl-goal')).toHaveAttribute('data-done', 'true');
  await expect(findings.getByTestId('dsl-insight')).toHaveText([
    'Winter churn is twice summer churn (answers 1)'
  ]);
  await expect(findings.getByTestId('dsl-summary-preview')).toContainText(
    'Seasonality of churn'
  );
  await sectionPictures(page, sidebar, 'issue,parameters,runs,findings');

  // 5. Mark complete: the dialog shows the dry run; accepting closes the issue.
  await findings.getByTestId('dsl-complete').click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog.getByTestId('dsl-plan-step').first()).toBeVisible();
  await expect(dialog).toContainText(`close #${number}`);
  if (process.env.DSL_UI_SCREENSHOTS) {
    await snapshotOf(dialog.locator('.jp-Dialog-content'), 'sidebar-complete-dialog');
  }
  expect(
    ((await serverGet(`jupyter-dsl/issues/${number}`)) as { issue: { state: string } })
      .issue.state
  ).toBe('open');
  await dialog.getByRole('button', { name: 'Do it' }).click();
  await expect(findings.getByTestId('dsl-complete-result')).toContainText(
    `#${number} is closed`
  );
  const closed = (await serverGet(`jupyter-dsl/issues/${number}`)) as {
    issue: { state: string };
  };
  expect(closed.issue.state).toBe('closed');
  await expect(sidebar.getByTestId('dsl-issue-state')).toHaveText('closed');
  // The completed status went into the open document; the file gets it when the user saves.
  expect(readNotebook(name).metadata.jupyter_dsl).toMatchObject({ status: 'active' });
  await save(page, panel);
  expect(readNotebook(name).metadata.jupyter_dsl).toMatchObject({ status: 'complete' });
});

/** `jupyter dsl ARGS...` in the test project (the local tracker). */
function dsl(...args: string[]): void {
  execFileSync(process.env.PYTHON || 'python', ['-m', 'jupyter_dsl', ...args], {
    cwd: PROJECT.root,
    encoding: 'utf8'
  });
}

test('switching between two linked notebooks shows what was kept at once, then the fresh answers', async ({
  page
}) => {
  const [a, b, background] = PROJECT.switch;
  await openNotebook(page, a);
  await execute(page, 'docmanager:open', { path: b });
  await kernelIdle(page);
  const sidebar = await openSidebar(page);
  const numberOf = (name: string): string =>
    `#${String(name === b ? ASK.number : PROJECT.explore.number)}`;
  const tab = (name: string): Locator =>
    page.locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: name });
  const other = (i: number): string => (i % 2 === 0 ? a : b);

  // Each switch shows the other notebook's issue (how long it takes: benchmarks/sidebar.py).
  for (let i = 0; i < 4; i++) {
    await expect(
      sidebar.getByTestId('dsl-runs-table').or(sidebar.getByTestId('dsl-runs-none'))
    ).toBeVisible();
    await timeSwitch(page, other(i), numberOf(other(i)));
    await expect(tab(other(i))).toHaveClass(/jp-mod-current/);
    await expect(sidebar.getByTestId('dsl-issue-number')).toHaveText(
      numberOf(other(i))
    );
  }

  // What was kept needs no server: with every request to the server extension held, a switch
  // shows the other notebook's issue, parameters and runs while its fresh answers are awaited.
  const target = (await tab(a).getAttribute('class'))?.includes('jp-mod-current')
    ? b
    : a;
  const held: Route[] = [];
  let holding = true;
  await page.route('**/jupyter-dsl/**', route =>
    holding ? void held.push(route) : route.continue()
  );
  try {
    await tab(target).click();
    await expect(tab(target)).toHaveClass(/jp-mod-current/);
    await expect(sidebar.getByTestId('dsl-issue-number')).toHaveText(numberOf(target));
    await expect(sidebar.getByTestId('dsl-param').first()).toBeVisible();
    await expect(
      sidebar.getByTestId('dsl-runs-table').or(sidebar.getByTestId('dsl-runs-none'))
    ).toBeVisible();
    await expect(page.getByTestId('dsl-sidebar')).toHaveAttribute('aria-busy', 'true');
    expect(held.length).toBeGreaterThan(0); // it did ask: the answers were held, not skipped
  } finally {
    holding = false;
    for (const route of held.splice(0)) {
      await route.continue();
    }
    await page.unroute('**/jupyter-dsl/**');
  }
  await expect(page.getByTestId('dsl-sidebar')).not.toHaveAttribute(
    'aria-busy',
    'true'
  );

  // What was kept is shown first and then replaced: the Ask renamed while the other notebook is
  // shown appears under its old title on the switch, and under the new one once the server answers.
  const current = (await tab(a).getAttribute('class'))?.includes('jp-mod-current')
    ? a
    : b;
  if (current === b) {
    await timeSwitch(page, a, numberOf(a));
  }
  const renamed = `${ASK.title} (renamed while hidden)`;
  dsl('issue', 'edit', String(ASK.number), '--title', renamed);
  try {
    const times = await timeSwitch(page, b, numberOf(b));
    expect(times.firstTitle).toBe(ASK.title);
    expect(times.firstState).toBe('open'); // the issue as the tracker had it, not only the link
    await expect(sidebar.getByTestId('dsl-issue-title')).toHaveText(renamed);
  } finally {
    dsl('issue', 'edit', String(ASK.number), '--title', ASK.title);
  }

  // A notebook opened in the background is fetched when the browser is idle: the first switch to
  // it shows its issue (with the tracker's state), parameters and runs in the first frame too.
  // The prefetch asks three things (the issue, the parameters, the runs) and keeps them once all
  // three are in: wait for every body to arrive, then for the page to be idle twice, so the
  // snapshot is kept before the switch however slowly a loaded machine answers.
  const forBackground = (route: string) =>
    page.waitForResponse(
      response =>
        response.url().includes(`/jupyter-dsl/${route}`) &&
        response.url().includes(encodeURIComponent(background))
    );
  const prefetched = Promise.all([
    forBackground(`issues/${PROJECT.explore.number}?`),
    forBackground('params/'),
    forBackground('runs?')
  ]);
  await execute(page, 'docmanager:open', {
    path: background,
    options: { activate: false }
  });
  await expect(tab(background)).toBeVisible();
  await expect(tab(b)).toHaveClass(/jp-mod-current/);
  for (const response of await prefetched) {
    await response.finished();
  }
  for (let i = 0; i < 2; i++) {
    await page.evaluate(
      () => new Promise(resolve => window.requestIdleCallback(() => resolve(null)))
    );
  }
  const first = await timeSwitch(page, background, numberOf(background));
  expect(first.firstState).toBe('open');
});
