/**
 * The Lifecycle sidebar in a real JupyterLab: linking, creating and unlinking issues from the
 * sidebar edit the open notebook's document model only, the status bar follows, saving writes
 * the link, and a user's unsaved edits are never lost.
 */
import { expect, test } from '@playwright/test';

import {
  activeTab,
  cellsOf,
  openNotebook,
  openSidebar,
  PROJECT,
  readNotebook,
  save,
  serverGet,
  snapshot,
  snapshotOf,
  withinHorizontally
} from './helpers';

const EXPLORE = PROJECT.explore;
const ASK = PROJECT.ask;

// Any uncaught error in the page fails the test that caused it.
let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on('pageerror', error => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

test('links the notebook to an issue from the sidebar, shows it, and saves it', async ({
  page
}) => {
  const name = 'link-from-sidebar.ipynb';
  const original = readNotebook(name);
  const panel = await openNotebook(page, name);
  const sidebar = await openSidebar(page);
  await expect(sidebar.getByTestId('dsl-not-linked')).toBeVisible();
  await expect(page.getByTestId('dsl-status')).toBeHidden();
  const tabIcon = page.locator('.lm-TabBar-tab[data-id="jupyter-dsl:sidebar"] svg');
  await expect(tabIcon).toBeVisible();
  expect((await tabIcon.boundingBox())?.width).toBeGreaterThan(0);

  await sidebar.getByTestId(`dsl-pick-issue-${EXPLORE.number}`).click();

  await expect(sidebar.getByTestId('dsl-issue-badge')).toHaveText('Explore');
  await expect(sidebar.getByTestId('dsl-issue-number')).toHaveText(
    `#${EXPLORE.number}`
  );
  await expect(sidebar.getByTestId('dsl-issue-title')).toHaveText(EXPLORE.title);
  await expect(sidebar.getByTestId('dsl-issue-state')).toHaveText('open');
  await expect(sidebar.getByTestId('dsl-issue-ask')).toHaveText(
    `Ask#${ASK.number} ${ASK.title}`
  );
  await expect(sidebar.getByTestId('dsl-branch-expected')).toHaveText(
    `explore/${EXPLORE.number}-churn-by-region`
  );
  await expect(sidebar.getByTestId('dsl-branch-match')).toHaveText('current: main');
  // The body is rendered markdown: its heading is an element, its HTML comments are gone.
  const body = sidebar.getByTestId('dsl-issue-body');
  await expect(body.locator('h2', { hasText: 'Overview' })).toBeVisible();
  await expect(body).toContainText('Why churn differs by region.');
  await expect(body).not.toContainText('<!--');
  // Template headings with nothing under them are hidden; the filled-in ones stay.
  await expect(body.locator('h2', { hasText: 'Goals' })).toBeVisible();
  await expect(body.locator('h2', { hasText: 'Next Steps' })).toHaveCount(0);
  await expect(body.locator('h2', { hasText: 'What was discovered' })).toHaveCount(0);
  // The badge wears the Explore color of the templates route.
  await expect(sidebar.getByTestId('dsl-issue-badge')).toHaveCSS(
    'background-color',
    'rgb(240, 242, 155)'
  );

  const status = page.getByTestId('dsl-status');
  await expect(status).toHaveText(
    `#${EXPLORE.number} Explore · explore/${EXPLORE.number}-churn-by-region`
  );
  await snapshot(page, 'linked');
  // Linking edited the document, not the file: it is dirty and the file is as it was.
  await expect(activeTab(page)).toHaveClass(/jp-mod-dirty/);
  expect(readNotebook(name)).toEqual(original);

  await save(page, panel);
  const saved = readNotebook(name);
  expect(saved.metadata.jupyter_dsl?.issue.number).toBe(EXPLORE.number);
  expect(saved.metadata.authors).toEqual(original.metadata.authors);
  expect(cellsOf(saved)).toEqual(cellsOf(original));
  // The server reads the saved file as linked too.
  const linkStatus = (await serverGet(`jupyter-dsl/links/${name}`)) as {
    link: { issue: { number: number } } | null;
  };
  expect(linkStatus.link?.issue.number).toBe(EXPLORE.number);

  // Clicking the status bar item opens the sidebar.
  await page.locator('.lm-TabBar-tab[data-id="jupyter-dsl:sidebar"]').click();
  await expect(sidebar).toBeHidden();
  await status.click();
  await expect(sidebar).toBeVisible();
});

test('keeps an unsaved cell edit when linking from the sidebar', async ({ page }) => {
  const name = 'unsaved-edits.ipynb';
  const original = readNotebook(name);
  const panel = await openNotebook(page, name);
  const editor = panel.locator('.jp-Cell').nth(2).locator('.cm-content');
  await editor.click();
  await page.keyboard.press('End');
  await page.keyboard.type('  # unsaved edit');
  await expect(editor).toHaveText('print(region, threshold)  # unsaved edit');

  const sidebar = await openSidebar(page);
  await sidebar.getByTestId('dsl-link-number').fill(String(EXPLORE.number));
  await sidebar.getByTestId('dsl-link-submit').click();

  await expect(sidebar.getByTestId('dsl-issue-number')).toHaveText(
    `#${EXPLORE.number}`
  );
  await expect(page.getByTestId('dsl-status')).toHaveText(
    `#${EXPLORE.number} Explore · explore/${EXPLORE.number}-churn-by-region`
  );
  await expect(editor).toHaveText('print(region, threshold)  # unsaved edit');
  expect(readNotebook(name)).toEqual(original); // nothing saved behind the user's back

  await save(page, panel);
  const saved = readNotebook(name);
  expect(saved.metadata.jupyter_dsl?.issue.number).toBe(EXPLORE.number);
  const cells = cellsOf(saved) as { source: string }[];
  expect(cells[2].source).toBe('print(region, threshold)  # unsaved edit');
  expect(cells.slice(0, 2)).toEqual(cellsOf(original).slice(0, 2));
});

test('shows the server error for an unknown issue, then links and unlinks', async ({
  page
}) => {
  const name = 'errors-and-unlink.ipynb';
  const original = readNotebook(name);
  await openNotebook(page, name);
  const sidebar = await openSidebar(page);

  await sidebar.getByTestId('dsl-link-number').fill('999');
  await sidebar.getByTestId('dsl-link-submit').click();
  const error = sidebar.getByTestId('dsl-error-message');
  await expect(error).toContainText('999');
  await expect(error).not.toContainText('(404)'); // the sentence, not the HTTP status
  await expect(sidebar.getByTestId('dsl-error-hint')).toBeVisible();
  await expect(sidebar.getByTestId('dsl-not-linked')).toBeVisible();
  await expect(page.getByTestId('dsl-status')).toBeHidden();

  await sidebar.getByTestId('dsl-filter-type').selectOption('Ask');
  await expect(sidebar.getByTestId(`dsl-pick-issue-${EXPLORE.number}`)).toHaveCount(0);
  await sidebar.getByTestId(`dsl-pick-issue-${ASK.number}`).click();
  await expect(sidebar.getByTestId('dsl-issue-badge')).toHaveText('Ask');
  await expect(page.getByTestId('dsl-status')).toHaveText(
    `#${ASK.number} Ask · ${ASK.number}-reduce-churn`
  );

  await sidebar.getByTestId('dsl-unlink').click();
  await expect(sidebar.getByTestId('dsl-not-linked')).toBeVisible();
  await expect(page.getByTestId('dsl-status')).toBeHidden();
  expect(readNotebook(name)).toEqual(original); // all of it happened in the editor only
});

test('creates an Explore issue from its template and links the notebook to it', async ({
  page
}) => {
  const name = 'new-issue.ipynb';
  const panel = await openNotebook(page, name);
  const sidebar = await openSidebar(page);
  const form = sidebar.getByTestId('dsl-new-issue');
  await form.getByTestId('dsl-new-type').selectOption('Explore');
  await form.getByTestId('dsl-new-title').fill('Seasonality of churn');
  await form.getByTestId('dsl-new-ask').selectOption(String(ASK.number));
  await form.locator('summary').click();
  await form
    .getByTestId('dsl-new-section-Overview')
    .fill('Does churn follow the seasons?');
  await snapshot(page, 'new-issue-form');
  await form.getByTestId('dsl-new-submit').click();

  await expect(sidebar.getByTestId('dsl-issue-title')).toHaveText(
    'Seasonality of churn'
  );
  await expect(sidebar.getByTestId('dsl-issue-badge')).toHaveText('Explore');
  await expect(sidebar.getByTestId('dsl-issue-ask')).toContainText(`#${ASK.number}`);
  const number = Number(
    (await sidebar.getByTestId('dsl-issue-number').textContent())?.replace('#', '')
  );
  expect(number).toBeGreaterThan(EXPLORE.number);
  await expect(sidebar.getByTestId('dsl-issue-body')).toContainText(
    'Does churn follow the seasons?'
  );

  const created = (await serverGet(`jupyter-dsl/issues/${number}`)) as {
    issue: { type: string; ask: number; title: string };
  };
  expect(created.issue).toMatchObject({
    type: 'Explore',
    ask: ASK.number,
    title: 'Seasonality of churn'
  });
  await save(page, panel);
  expect(readNotebook(name).metadata.jupyter_dsl?.issue.number).toBe(number);
});

test('%dsl link in the kernel links the open notebook through its document, not the file', async ({
  page
}) => {
  const name = 'kernel-link.ipynb';
  const panel = await openNotebook(page, name);
  const sidebar = await openSidebar(page);
  await expect(sidebar.getByTestId('dsl-not-linked')).toBeVisible();
  const before = readNotebook(name);
  const cell = panel.locator('.jp-Cell').nth(2);
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  // The real magic: loading it says hello to the front end over a comm, which JupyterLab answers.
  await page.keyboard.insertText('%load_ext jupyter_dsl');
  await page.keyboard.press('Shift+Enter');
  await expect(cell.locator('.jp-InputPrompt')).toHaveText(/\[\d+\]/);
  await page.keyboard.insertText(`%dsl link ${EXPLORE.number}`);
  await page.keyboard.press('Shift+Enter');

  await expect(panel.locator('.jp-dsl-link-output')).toHaveText(
    `Linked to #${EXPLORE.number} Explore: ${EXPLORE.title}`
  );
  await expect(sidebar.getByTestId('dsl-issue-number')).toHaveText(
    `#${EXPLORE.number}`
  );
  await expect(page.getByTestId('dsl-status')).toHaveText(
    `#${EXPLORE.number} Explore · explore/${EXPLORE.number}-churn-by-region`
  );
  // The magic left the file to the editor: nothing on disk changed until the user saves.
  expect(readNotebook(name).metadata.jupyter_dsl).toBeUndefined();
  expect(readNotebook(name).cells).toEqual(before.cells);
  await save(page, panel);
  expect(readNotebook(name).metadata.jupyter_dsl?.issue.number).toBe(EXPLORE.number);
});

test('shows the parameters cell and the recorded runs, and follows a saved edit', async ({
  page
}) => {
  const { notebook, runs } = PROJECT.with_runs;
  const panel = await openNotebook(page, notebook);
  const sidebar = await openSidebar(page);
  await expect(sidebar.getByTestId('dsl-not-linked')).toBeVisible();

  const params = sidebar.getByTestId('dsl-params');
  const alpha = params.locator('[data-testid="dsl-param"][data-name="alpha"]');
  await expect(alpha.getByTestId('dsl-param-name')).toHaveText('alpha');
  await expect(alpha.getByTestId('dsl-param-type')).toHaveText('float');
  await expect(alpha.getByTestId('dsl-param-default')).toHaveText('0.5');
  await expect(alpha.getByTestId('dsl-param-help')).toHaveText('learning rate');
  await expect(params.getByTestId('dsl-param')).toHaveCount(3);

  const section = sidebar.getByTestId('dsl-runs');
  await expect(section.getByTestId('dsl-runs-total')).toHaveText('(2)');
  const rows = section.getByTestId('dsl-run');
  await expect(rows).toHaveCount(2);
  const newestFirst = [...runs].reverse();
  expect(
    await rows.evaluateAll(nodes => nodes.map(n => n.getAttribute('data-id')))
  ).toEqual(newestFirst.map(run => run.id));
  await expect(section.getByTestId('dsl-run-status')).toHaveText([
    'succeeded',
    'succeeded'
  ]);
  await expect(section.getByTestId('dsl-runs-metric-column')).toHaveText(['score']);
  await expect(section.getByTestId('dsl-run-metric-score')).toHaveText(
    newestFirst.map(run => String(run.metrics.score))
  );
  await expect(section.getByTestId('dsl-runs-param-column')).toHaveText([
    'alpha',
    'region',
    'sampling_strategy'
  ]);
  await expect(section.getByTestId('dsl-run-param-alpha')).toHaveText(['0.3', '0.1']);
  // At the sidebar's default width the metric column is in view, not cut off by the table's scroll.
  const metricHeader = section.getByTestId('dsl-runs-metric-column');
  await expect(metricHeader).toBeVisible();
  const scroller = section.locator('.jp-dsl-runs-table');
  expect(await withinHorizontally(metricHeader, scroller)).toBe(true);
  await snapshot(page, 'params-and-runs');

  // The parameters come from the saved file: an edit shows once it is saved.
  const cell = panel.locator('.jp-Cell').nth(1).locator('.cm-content');
  await cell.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\nepochs = 3  # passes over the data');
  await expect(params.getByTestId('dsl-param')).toHaveCount(3);
  await save(page, panel);
  const epochs = params.locator('[data-testid="dsl-param"][data-name="epochs"]');
  await expect(epochs.getByTestId('dsl-param-type')).toHaveText('int');
  await expect(epochs.getByTestId('dsl-param-help')).toHaveText('passes over the data');
});

test("opens a run's details from its row and its output notebook read-only", async ({
  page
}) => {
  const { notebook, runs } = PROJECT.with_runs;
  const newest = runs[runs.length - 1];
  await openNotebook(page, notebook);
  const sidebar = await openSidebar(page);
  const section = sidebar.getByTestId('dsl-runs');
  const row = section.locator(`[data-testid="dsl-run"][data-id="${newest.id}"]`);
  await expect(row).toBeVisible();
  await expect(sidebar.getByTestId('dsl-run-details')).toHaveCount(0);

  // The keyboard reaches the row's button; Enter opens the details.
  const open = row.getByTestId('dsl-run-open');
  await expect(open).toHaveAttribute('aria-expanded', 'false');
  await open.focus();
  await page.keyboard.press('Enter');
  const details = sidebar.getByTestId('dsl-run-details');
  await expect(details).toHaveAttribute('data-id', newest.id);
  await expect(open).toHaveAttribute('aria-expanded', 'true');
  await expect(details.getByTestId('dsl-run-details-status')).toHaveText(
    'Statussucceeded'
  );
  await expect(details.getByTestId('dsl-run-error')).toHaveCount(0);
  const shownParams = details.locator('[data-testid="dsl-run-details-params"] dd');
  await expect(shownParams).toHaveText(Object.values(newest.parameters).map(String));
  await expect(
    details.locator('[data-testid="dsl-run-details-metrics"] dd[data-name="score"]')
  ).toHaveText(String(newest.metrics.score));
  await expect(details.getByTestId('dsl-run-details-finished')).toContainText(' s)');
  await snapshotOf(section, 'runs-details');

  // A click on another row shows that run instead; a click on the open row closes it.
  const oldest = runs[0];
  await section.locator(`[data-testid="dsl-run"][data-id="${oldest.id}"]`).click();
  await expect(details).toHaveAttribute('data-id', oldest.id);
  await expect(shownParams).toHaveText(Object.values(oldest.parameters).map(String));
  await section.locator(`[data-testid="dsl-run"][data-id="${oldest.id}"]`).click();
  await expect(details).toHaveCount(0);
  await row.click();
  await expect(details).toHaveAttribute('data-id', newest.id);

  // "Open output notebook": a read-only notebook tab with the run's outputs.
  await details.getByTestId('dsl-run-open-notebook').click();
  const tab = page.locator('#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current');
  await expect(tab).toContainText(`Run ${newest.id} (read-only)`);
  const view = page.locator('.jp-dsl-run-notebook:visible');
  await expect(view).toBeVisible();
  await expect(view.locator('.jp-Cell').first()).toContainText('Tune alpha');
  await expect(view.locator('.jp-InputArea-editor')).toContainText([
    'alpha = 0.5  # learning rate',
    'alpha = 0.3'
  ]);
  await expect(view.locator('.jp-OutputArea-output')).toContainText([
    `score = ${newest.metrics.score}`
  ]);
  await snapshot(page, 'run-output-notebook');
  // Typing into it changes nothing: its editors are read-only.
  const editor = view.locator('.jp-Cell .cm-content').last();
  const before = await editor.textContent();
  await editor.click();
  await page.keyboard.type('x = 1');
  await expect(editor).toHaveText(before ?? '');
  // The output notebook on the server is what it was.
  const served = (await serverGet(`jupyter-dsl/runs/${newest.id}/notebook`)) as {
    cells: { source: string }[];
  };
  expect(served.cells.map(cell => cell.source).join('\n')).not.toContain('x = 1');
});
