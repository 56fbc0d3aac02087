/**
 * The story of an Ask in a main-area tab, in real Chromium: it opens from the Ask breadcrumb of the
 * sidebar; from there an exploration's findings and an experiment's runs are at most two clicks away
 * (the test counts every click from the sidebar on); its links open the right documents (the
 * findings file, the notebook, a run's output notebook read-only); the Ask's hostile text is shown
 * as text and runs nothing; and the tab updates when a run is recorded elsewhere (the CLI).
 */
import { expect, Locator, Page, test } from '@playwright/test';
import { execFileSync } from 'child_process';

import { openNotebook, openSidebar, PROJECT, snapshot } from './helpers';

const PYTHON = process.env.PYTHON || 'python';

interface IStoryProject {
  ask: number;
  explore: number;
  experiment: number;
  explore_notebook: string;
  experiment_notebook: string;
  findings: string;
  runs: string[];
}

const STORY = (PROJECT as unknown as { story: IStoryProject }).story;

let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on('pageerror', error => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

/** Counts the user's clicks from the sidebar on. */
class Clicks {
  count = 0;
  async click(target: Locator): Promise<void> {
    this.count += 1;
    await target.click();
  }
}

function mainTab(page: Page, label: string | RegExp): Locator {
  return page.locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: label });
}

/** Open the Explore's notebook and, with one click on the sidebar's Ask breadcrumb, the story. */
async function openStory(page: Page, clicks: Clicks): Promise<Locator> {
  await openNotebook(page, STORY.explore_notebook);
  const sidebar = await openSidebar(page);
  const breadcrumb = sidebar.getByTestId('dsl-open-story');
  await expect(breadcrumb).toContainText(`#${STORY.ask}`);
  await clicks.click(breadcrumb);
  await expect(mainTab(page, `Story of Ask #${STORY.ask}`)).toHaveClass(
    /jp-mod-current/
  );
  const story = page.locator(`[data-testid="dsl-story"][data-ask="${STORY.ask}"]`);
  await expect(story.getByTestId('dsl-story-title')).toContainText(
    'Which customers leave?'
  );
  return story;
}

function issueIn(story: Locator, number: number): Locator {
  return story.locator(`[data-testid="dsl-story-issue"][data-issue="${number}"]`);
}

test('the story opens from the Ask breadcrumb; the findings are two clicks away; hostile text is inert', async ({
  page
}) => {
  const clicks = new Clicks();
  const story = await openStory(page, clicks);

  // The Ask's hostile title and problem statement: shown as text, nothing of it runs or loads.
  await expect(story.getByTestId('dsl-story-title')).toContainText(
    '<img src=x onerror='
  );
  await expect(story.getByTestId('dsl-story-problem')).toContainText(
    'Customers leave.'
  );
  // (the sanitizer keeps a Markdown image, as in the sidebar's issue body, without its handlers)
  await expect(story.locator('script')).toHaveCount(0);
  await expect(story.locator('a[href^="javascript" i]')).toHaveCount(0);
  await expect(story.locator('[onerror]')).toHaveCount(0);
  expect(
    await page.evaluate(
      () => (window as unknown as { __storyPwned?: number }).__storyPwned
    )
  ).toBeUndefined();

  await snapshot(page, 'story-in-lab');

  // The exploration's findings are in the story already (one click), its file one click further.
  const explore = issueIn(story, STORY.explore);
  await expect(explore.getByTestId('dsl-story-tldr')).toContainText('monthly plan');
  await expect(explore.getByTestId('dsl-story-insight')).toContainText(
    'Monthly customers leave twice as often'
  );
  await clicks.click(
    explore.locator('[data-testid="dsl-story-link"][data-kind="findings"]')
  );
  const name = STORY.findings.split('/').pop() ?? '';
  await expect(mainTab(page, name)).toHaveClass(/jp-mod-current/);
  await expect(page.locator('.jp-FileEditor:visible')).toContainText(
    '**TL;DR:** churn is highest'
  );
  expect(clicks.count).toBeLessThanOrEqual(2);
  expect(
    await page.evaluate(
      () => (window as unknown as { __storyPwned?: number }).__storyPwned
    )
  ).toBeUndefined();
});

test("an experiment's runs are one click away, a run's output notebook two (read-only); the notebook link opens it", async ({
  page
}) => {
  const clicks = new Clicks();
  const story = await openStory(page, clicks);
  const experiment = issueIn(story, STORY.experiment);
  const rows = experiment.getByTestId('dsl-story-run');
  await expect(rows).toHaveCount(STORY.runs.length);
  expect(clicks.count).toBe(1);

  const [run] = STORY.runs;
  await clicks.click(
    experiment.locator(
      `[data-testid="dsl-story-link"][data-kind="output-notebook"][data-target="${run}"]`
    )
  );
  await expect(mainTab(page, `Run ${run} (read-only)`)).toHaveClass(/jp-mod-current/);
  await expect(
    page.locator('.jp-dsl-run-notebook:visible .jp-Cell').first()
  ).toBeVisible();
  expect(clicks.count).toBeLessThanOrEqual(2);

  // Back in the story, the Experiment's notebook opens as a notebook.
  await mainTab(page, `Story of Ask #${STORY.ask}`).click();
  await experiment
    .locator('[data-testid="dsl-story-link"][data-kind="notebook"]')
    .first()
    .click();
  await expect(mainTab(page, STORY.experiment_notebook)).toHaveClass(/jp-mod-current/);
  await expect(page.locator('.jp-NotebookPanel:visible .jp-Cell')).toHaveCount(3);
});

test('the story tab updates when a run is recorded', async ({ page }) => {
  const story = await openStory(page, new Clicks());
  const experiment = issueIn(story, STORY.experiment);
  const count = experiment.getByTestId('dsl-story-issue-runs');
  await expect(count).toHaveText(`${STORY.runs.length} runs`);

  // a run recorded elsewhere (the CLI, in a terminal) shows without a reload
  execFileSync(
    PYTHON,
    ['-m', 'jupyter_dsl', 'run', STORY.experiment_notebook, '-p', 'alpha', '0.7'],
    {
      cwd: PROJECT.root,
      encoding: 'utf8'
    }
  );
  await expect(count).toHaveText(`${STORY.runs.length + 1} runs`, { timeout: 60_000 });
  await expect(experiment.getByTestId('dsl-story-run')).toHaveCount(
    STORY.runs.length + 1
  );
});
