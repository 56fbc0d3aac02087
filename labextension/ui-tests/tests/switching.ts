/**
 * Switching between open notebooks, observed in the page: the first frame after a tab switch and,
 * when the sidebar is open, the frames until it shows the other notebook's issue, parameters and
 * runs. The browser test checks what is shown first; the benchmark (benchmarks/sidebar.py) times it.
 */
import { Page } from '@playwright/test';

export interface ISwitchTimes {
  /** The first frame after the tab switch (JupyterLab's own work and ours). */
  firstFrame: number;
  /** The other notebook's issue, parameters and runs shown (-1 when not waited for). */
  shown: number;
  /** ...and the server's fresh answers in (the sidebar no longer busy). */
  fresh: number;
  /** The issue title and state shown when the issue number first showed ('' for no state). */
  firstTitle: string;
  firstState: string;
  requests: string;
}

/**
 * Activate the open notebook `name` and time it in the page: the first frame after the switch and,
 * with `want` (the issue number the panel must show), until the panel shows it and is fresh.
 */
export async function timeSwitch(
  page: Page,
  name: string,
  want: string | null
): Promise<ISwitchTimes> {
  return page.evaluate(
    async ({ name, want }) => {
      interface IShellLike {
        widgets(area: string): Iterable<{ id: string; title: { label: string } }>;
        activateById(id: string): void;
      }
      const shell = (window as unknown as { jupyterapp: { shell: IShellLike } })
        .jupyterapp.shell;
      const widget = [...shell.widgets('main')].find(w => w.title.label === name);
      if (!widget) {
        throw new Error(`${name} is not open`);
      }
      performance.clearResourceTimings();
      const started = performance.now();
      let firstFrame = -1;
      requestAnimationFrame(() =>
        setTimeout(() => (firstFrame = performance.now() - started), 0)
      );
      shell.activateById(widget.id);
      let shown = -1;
      let firstTitle = '';
      let firstState: string | null = null;
      for (;;) {
        await new Promise(resolve => requestAnimationFrame(resolve));
        if (want === null) {
          if (firstFrame >= 0) {
            break;
          }
          continue;
        }
        const number = document.querySelector('[data-testid="dsl-issue-number"]');
        if (number?.textContent !== want) {
          continue;
        }
        if (firstState === null) {
          const text = (id: string): string =>
            document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
          firstTitle = text('dsl-issue-title');
          firstState = text('dsl-issue-state');
        }
        const params = document.querySelectorAll('[data-testid="dsl-param"]').length;
        const loading = document.querySelector('[data-testid="dsl-runs-loading"]');
        if (shown < 0 && params > 0 && loading === null) {
          shown = performance.now() - started;
        }
        const busy = document
          .querySelector('[data-testid="dsl-sidebar"]')
          ?.getAttribute('aria-busy');
        if (shown >= 0 && busy !== 'true' && firstFrame >= 0) {
          break;
        }
      }
      const fresh = want === null ? -1 : performance.now() - started;
      const requests = performance
        .getEntriesByType('resource')
        .filter(e => e.startTime >= started && e.name.includes('/jupyter-dsl/'))
        .map(e => {
          const route = new URL(e.name).pathname.split('/jupyter-dsl/')[1];
          return `${route.split('/')[0]} ${e.duration.toFixed(0)}`;
        });
      return {
        firstFrame,
        shown,
        fresh,
        firstTitle,
        firstState: firstState ?? '',
        requests: requests.join(', ')
      };
    },
    { name, want }
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

export const ms = (values: number[]): string =>
  values.map(t => t.toFixed(0)).join(', ');
