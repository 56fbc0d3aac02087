/**
 * A notebook in no DSLP project (global-setup's third JupyterLab serves a folder without dsl.toml or
 * git): the sidebar says so instead of a wall of errors, shows only what works without a project
 * (the parameters), and after a confirmation makes the notebook's folder a project as `jupyter dsl
 * init --templates` does; then the Issue section is there and the folder holds the project's files,
 * committed alone.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';

import { expect, test } from '@playwright/test';

import { kernelIdle, openSidebar, snapshotOf } from './helpers';

interface IPlain {
  root: string;
  notebook: string;
  lab_url: string;
  lab_token: string;
}

const PLAIN: IPlain = JSON.parse(process.env.DSL_UI_PLAIN ?? 'null');

test('offers to make a DSLP project for a notebook in none, and makes it', async ({
  page
}) => {
  expect(PLAIN, 'DSL_UI_PLAIN is set by global-setup.ts').not.toBeNull();
  const folder = path.join(PLAIN.root, path.dirname(PLAIN.notebook));
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(error.message));
  await page.goto(
    `${PLAIN.lab_url}/lab/tree/${encodeURIComponent(PLAIN.notebook)}?reset&token=${PLAIN.lab_token}`
  );
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0);
  await expect(page.locator('.jp-NotebookPanel:visible .jp-Cell')).toHaveCount(2);
  await kernelIdle(page);
  const sidebar = await openSidebar(page);

  const notice = sidebar.getByTestId('dsl-no-project');
  await expect(notice).toBeVisible();
  await expect(sidebar.getByTestId('dsl-no-project-why')).toContainText(
    'is not inside a DSLP project'
  );
  await expect(sidebar.getByTestId('dsl-error')).toHaveCount(0); // one notice, no error boxes
  const sections = sidebar.locator('[data-section]');
  await expect(sections).toHaveCount(1);
  await expect(sections).toHaveAttribute('data-section', 'parameters');
  await expect(sidebar.getByTestId('dsl-param')).toHaveCount(1); // the form works without one
  await snapshotOf(sidebar, 'sidebar-no-project');

  await sidebar.getByTestId('dsl-init-templates').check();
  await sidebar.getByTestId('dsl-init').click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('Make analyses a DSLP project?');
  await expect(dialog.getByTestId('dsl-init-plan')).toContainText(
    '.github/ISSUE_TEMPLATE/'
  );
  expect(fs.existsSync(path.join(folder, 'dsl.toml'))).toBe(false); // nothing before the answer
  await dialog.getByRole('button', { name: 'Make project' }).click();

  await expect(notice).toHaveCount(0);
  await expect(sidebar.getByTestId('dsl-not-linked')).toBeVisible();
  await expect(sections).toHaveCount(5);
  await expect(page.locator('.jp-Notification-Toast-success')).toContainText(
    'Done: made a git repository; wrote dsl.toml'
  );
  expect(
    fs.existsSync(path.join(folder, '.github', 'ISSUE_TEMPLATE', 'Explore.md'))
  ).toBe(true);
  const committed = execFileSync('git', ['show', '--name-only', '--format=', 'HEAD'], {
    cwd: folder,
    encoding: 'utf8'
  })
    .split('\n')
    .filter(Boolean);
  expect(committed).toContain('dsl.toml');
  expect(committed).not.toContain('churn.ipynb'); // the user's notebook is theirs to commit
  await expect(sidebar.getByTestId('dsl-error')).toHaveCount(0); // the config files are listed again
  expect(errors).toEqual([]);
});
