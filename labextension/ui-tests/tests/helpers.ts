/**
 * What the browser tests share: where JupyterLab runs, the project that global-setup made, and
 * the few user actions every test takes (open a notebook, open the sidebar, save).
 */
import { expect, Locator, Page } from '@playwright/test';
import fs from 'fs';
import path from 'path';

export interface IProject {
  root: string;
  ask: { number: number; title: string };
  explore: { number: number; title: string };
  notebooks: string[];
  /** A notebook with no parameters cell and one finding: the sections' end-to-end flow. */
  flow: string;
  /** Notebooks linked to the Explore, the Ask and the Explore issue. */
  switch: string[];
  /** A notebook with a tagged parameters cell and two recorded runs (oldest first). */
  with_runs: {
    notebook: string;
    runs: {
      id: string;
      status: string;
      parameters: Record<string, number | string>;
      metrics: Record<string, number>;
    }[];
  };
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests through playwright.config.ts`);
  }
  return value;
}

export const LAB_URL = env('DSL_UI_URL');
export const TOKEN = env('DSL_UI_TOKEN');
export const PROJECT: IProject = JSON.parse(env('DSL_UI_PROJECT'));

/** Run a JupyterLab command in the page, as the command palette does. */
export async function execute(
  page: Page,
  id: string,
  args: object = {}
): Promise<void> {
  await page.evaluate(
    async ({ id, args }) => {
      const app = (
        window as unknown as {
          jupyterapp: {
            restored: Promise<void>;
            commands: { execute(id: string, args: object): Promise<unknown> };
          };
        }
      ).jupyterapp;
      await app.restored;
      await app.commands.execute(id, args);
    },
    { id, args }
  );
}

/** A notebook file as JSON, read from disk. */
export interface INotebookFile {
  metadata: Record<string, unknown> & { jupyter_dsl?: { issue: { number: number } } };
  cells: {
    cell_type: string;
    id?: string;
    source: string | string[];
    metadata: object;
  }[];
}

export function readNotebook(name: string): INotebookFile {
  return JSON.parse(fs.readFileSync(path.join(PROJECT.root, name), 'utf8'));
}

/** Cells as comparable values: source joined, the fields a save must not change. */
export function cellsOf(nb: INotebookFile): object[] {
  return nb.cells.map(cell => ({
    id: cell.id,
    cell_type: cell.cell_type,
    metadata: cell.metadata,
    source: Array.isArray(cell.source) ? cell.source.join('') : cell.source
  }));
}

/** GET a server route with the token, as JSON. */
export async function serverGet(route: string): Promise<unknown> {
  const response = await fetch(`${LAB_URL}/${route}`, {
    headers: { Authorization: `token ${TOKEN}` }
  });
  expect(response.status, `GET ${route}`).toBe(200);
  return response.json();
}

export async function openNotebook(
  page: Page,
  name: string,
  cells = 3
): Promise<Locator> {
  // `reset`: start from an empty workspace, not the layout the previous test left.
  await page.goto(
    `${LAB_URL}/lab/tree/${encodeURIComponent(name)}?reset&token=${TOKEN}`
  );
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0);
  const panel = page.locator('.jp-NotebookPanel:visible');
  await expect(panel.locator('.jp-Cell')).toHaveCount(cells);
  // Once its kernel is up, JupyterLab itself records language_info in the notebook metadata (the
  // document turns dirty); wait for that, so a later save is not undone by it.
  await kernelIdle(page);
  return panel;
}

/**
 * Wait until the active notebook's kernel is connected and idle (ready to run a cell) and
 * JupyterLab has written the kernel's language_info into the notebook's metadata.
 */
export async function kernelIdle(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      interface IPanelLike {
        sessionContext?: { kernelDisplayStatus?: string };
        model?: { getMetadata(key: string): { name?: string } | undefined } | null;
      }
      const app = (
        window as unknown as { jupyterapp?: { shell: { currentWidget: unknown } } }
      ).jupyterapp;
      const panel = app?.shell.currentWidget as IPanelLike | null | undefined;
      return (
        panel?.sessionContext?.kernelDisplayStatus === 'idle' &&
        panel.model?.getMetadata('language_info')?.name === 'python'
      );
    },
    undefined,
    { timeout: 60_000 }
  );
}

/** Click the Lifecycle tab in the right side bar and return the sidebar. */
export async function openSidebar(page: Page): Promise<Locator> {
  const sidebar = page.getByTestId('dsl-sidebar');
  if (!(await sidebar.isVisible())) {
    await page.locator('.lm-TabBar-tab[data-id="jupyter-dsl:sidebar"]').click();
  }
  await expect(sidebar).toBeVisible();
  return sidebar;
}

/** The tab of the active document: it carries `jp-mod-dirty` while there are unsaved changes. */
export function activeTab(page: Page): Locator {
  return page.locator('#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current');
}

/** Save the way a user does: Ctrl+S with the notebook focused; wait until it is clean. */
export async function save(page: Page, panel: Locator): Promise<void> {
  await panel.locator('.jp-Cell .jp-InputPrompt').first().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+s');
  await expect(activeTab(page)).not.toHaveClass(/jp-mod-dirty/);
}

/** With DSL_UI_SCREENSHOTS=DIR, keep a picture of what the user sees at this step. */
export async function snapshot(page: Page, name: string): Promise<void> {
  const dir = process.env.DSL_UI_SCREENSHOTS;
  if (dir) {
    await page.screenshot({ path: path.join(dir, `${name}.png`) });
  }
}

/** With DSL_UI_SCREENSHOTS=DIR, keep a picture of one part of the page (e.g. the sidebar). */
export async function snapshotOf(locator: Locator, name: string): Promise<void> {
  const dir = process.env.DSL_UI_SCREENSHOTS;
  if (dir) {
    await locator.screenshot({ path: path.join(dir, `${name}.png`) });
  }
}

/** Whether `inner` lies horizontally inside `outer` (not cut off by its overflow). */
export async function withinHorizontally(
  inner: Locator,
  outer: Locator
): Promise<boolean> {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  return (
    a !== null &&
    b !== null &&
    a.width > 0 &&
    a.x >= b.x - 0.5 &&
    a.x + a.width <= b.x + b.width + 0.5
  );
}
