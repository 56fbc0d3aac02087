/**
 * Timings of the sidebar, each printed as a ratio against a baseline measured in the same run and
 * the same page (a loaded machine moves both): switching between two linked notebooks with the
 * sidebar open against JupyterLab's own tab switch (the sidebar closed), and sorting the runs table
 * of 5,000 runs against the same tab switch.
 */
import { expect, Locator, Page, test } from '@playwright/test';

import {
  execute,
  kernelIdle,
  openNotebook,
  openSidebar,
  PROJECT
} from '../tests/helpers';
import { median, ms, timeSwitch } from '../tests/switching';

const SWITCHES = 8;

interface IBenchProject {
  many_runs: { notebook: string; count: number };
}

function tabOf(page: Page, name: string): Locator {
  return page.locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: name });
}

/** First frames after switching back and forth between `a` and `b` with the sidebar closed. */
async function baselineSwitches(
  page: Page,
  sidebar: Locator,
  a: string,
  b: string
): Promise<number[]> {
  await execute(page, 'application:toggle-right-area');
  await expect(sidebar).toBeHidden();
  const frames: number[] = [];
  for (let i = 0; i < SWITCHES; i++) {
    const name = i % 2 === 0 ? a : b;
    frames.push((await timeSwitch(page, name, null)).firstFrame);
    await expect(tabOf(page, name)).toHaveClass(/jp-mod-current/);
  }
  await execute(page, 'application:toggle-right-area');
  await expect(sidebar).toBeVisible();
  return frames;
}

test('panel switch between two linked notebooks, against JupyterLab tab switch', async ({
  page
}) => {
  const [a, b] = PROJECT.switch;
  await openNotebook(page, a);
  await execute(page, 'docmanager:open', { path: b });
  await kernelIdle(page);
  const sidebar = await openSidebar(page);
  const numberOf = (name: string): string =>
    `#${String(name === b ? PROJECT.ask.number : PROJECT.explore.number)}`;
  const shown: number[] = [];
  const fresh: number[] = [];
  const frame: number[] = [];
  for (let i = 0; i < SWITCHES; i++) {
    const name = i % 2 === 0 ? a : b;
    const times = await timeSwitch(page, name, numberOf(name));
    await expect(tabOf(page, name)).toHaveClass(/jp-mod-current/);
    shown.push(times.shown);
    fresh.push(times.fresh);
    frame.push(times.firstFrame);
  }
  const baseline = await baselineSwitches(page, sidebar, a, b);
  const base = median(baseline);
  console.log(
    `panel switch, ${SWITCHES} switches between two linked notebooks (local tracker)\n` +
      `  baseline: JupyterLab's own tab switch (sidebar closed), first frame: ${ms(baseline)} ms, median ${base.toFixed(0)} ms\n` +
      `  sidebar open, first frame:  median ${median(frame).toFixed(0)} ms  ${(median(frame) / base).toFixed(2)}x the baseline\n` +
      `  issue, parameters and runs shown: median ${median(shown).toFixed(0)} ms  ${(median(shown) / base).toFixed(2)}x\n` +
      `  fresh from the server: median ${median(fresh).toFixed(0)} ms  ${(median(fresh) / base).toFixed(2)}x`
  );
});

test('sorting the runs table of 5,000 runs, against JupyterLab tab switch', async ({
  page
}) => {
  const { notebook, count } = (PROJECT as unknown as IBenchProject).many_runs;
  const [a] = PROJECT.switch;
  await openNotebook(page, a);
  await execute(page, 'docmanager:open', { path: notebook });
  await kernelIdle(page);
  const sidebar = await openSidebar(page);
  const runs = sidebar.getByTestId('dsl-runs');
  await expect(runs.getByTestId('dsl-runs-total')).toHaveText(`(${count})`);
  const sorts: number[] = [];
  for (let i = 0; i < SWITCHES; i++) {
    sorts.push(
      await page.evaluate(async () => {
        const firstId = (): string | null | undefined =>
          document.querySelector('[data-testid="dsl-run"]')?.getAttribute('data-id');
        const before = firstId();
        const button = document.querySelector<HTMLButtonElement>(
          '[data-testid="dsl-runs-metric-column"] button'
        );
        if (!button) {
          throw new Error('no metric column to sort by');
        }
        const started = performance.now();
        button.click();
        for (let frame = 0; frame < 3000; frame++) {
          await new Promise(resolve => requestAnimationFrame(resolve));
          if (firstId() !== before) {
            return performance.now() - started;
          }
        }
        throw new Error('the first row never changed after a sort');
      })
    );
  }
  const baseline = await baselineSwitches(page, sidebar, a, notebook);
  const base = median(baseline);
  console.log(
    `runs table of ${count} runs, ${SWITCHES} sorts by the metric (click to the first frame with the new first row)\n` +
      `  baseline: JupyterLab's own tab switch, first frame: ${ms(baseline)} ms, median ${base.toFixed(0)} ms\n` +
      `  sort: ${ms(sorts)} ms, median ${median(sorts).toFixed(0)} ms  ${(median(sorts) / base).toFixed(2)}x the baseline`
  );
});
