/**
 * The Issue section's Sync button in a real JupyterLab: on a project whose git remote holds an issue
 * a teammate filed (make_synced.py), the button syncs, says what came in and when, and the issue
 * picker lists the teammate's issue.
 */
import { expect, test } from '@playwright/test';

import { kernelIdle, LAB_URL, openSidebar, PROJECT, TOKEN } from './helpers';

interface ISynced {
  notebook: string;
  theirs: { number: number; title: string };
}

const SYNCED = (PROJECT as unknown as { synced: ISynced }).synced;

let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on('pageerror', error => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

test('syncs the issues with the git remote and lists what came in', async ({
  page
}) => {
  const route = SYNCED.notebook.split('/').map(encodeURIComponent).join('/');
  await page.goto(`${LAB_URL}/lab/tree/${route}?reset&token=${TOKEN}`);
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0);
  await expect(page.locator('.jp-NotebookPanel:visible .jp-Cell')).toHaveCount(3);
  await kernelIdle(page);
  const sidebar = await openSidebar(page);
  await expect(sidebar.getByTestId('dsl-not-linked')).toBeVisible();
  const theirs = sidebar.getByTestId(`dsl-pick-issue-${SYNCED.theirs.number}`);
  await expect(theirs).toHaveCount(0);
  await expect(sidebar.getByTestId('dsl-sync-last')).toHaveText('never synced');

  await sidebar.getByTestId('dsl-sync-button').click();

  await expect(sidebar.getByTestId('dsl-sync-result')).toHaveText('1 in');
  await expect(sidebar.getByTestId('dsl-sync-last')).toHaveText(
    /^last synced \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/
  );
  await expect(theirs).toContainText(SYNCED.theirs.title);
  await expect(sidebar.getByTestId('dsl-error')).toHaveCount(0);
});
