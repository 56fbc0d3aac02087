/**
 * Fill the panel snapshot of a notebook opened in the background (a restored workspace, a file
 * opened without switching to it), when the browser is idle: the first switch to it then shows
 * its issue, parameters and runs at once, as a switch back does.
 */
import { NotebookPanel } from '@jupyterlab/notebook';

import { DslApi } from './api';
import { METADATA_KEY, parseLink } from './link';
import { fetchSaved } from './savedstate';
import { PanelSnapshots } from './snapshots';

export interface IPrefetchHost {
  readonly api: Pick<DslApi, 'getIssue' | 'getParams' | 'listRuns'>;
  readonly snapshots: PanelSnapshots;
  /** Whether `panel` is the notebook the sidebar shows (its own refresh fetches it). */
  isShown(panel: NotebookPanel): boolean;
}

/** Resolves when the browser has nothing else to do (at the latest after `timeout` ms). */
function idle(timeout = 2000): Promise<void> {
  return new Promise(resolve => {
    if (typeof window.requestIdleCallback === 'function') {
      window.requestIdleCallback(() => resolve(), { timeout });
    } else {
      setTimeout(resolve, 50);
    }
  });
}

const valueOf = <T>(result: PromiseSettledResult<T>): T | null =>
  result.status === 'fulfilled' ? result.value : null;

/** The prefetches under way, one notebook after another (a restored workspace may open many). */
let queue: Promise<void> = Promise.resolve();

/** Prefetch `panel`'s snapshot once its document is loaded and the browser is idle. */
export function prefetchWhenIdle(panel: NotebookPanel, host: IPrefetchHost): void {
  void panel.context.ready.then(
    () => {
      queue = queue
        .then(() => idle())
        .then(() => prefetch(panel, host))
        .catch(() => undefined); // an error shows when the notebook is switched to
    },
    () => undefined // a notebook that fails to load shows its error when switched to
  );
}

async function prefetch(panel: NotebookPanel, host: IPrefetchHost): Promise<void> {
  const skip = (): boolean => panel.isDisposed || host.isShown(panel);
  const path = panel.context.localPath;
  if (skip() || host.snapshots.get(path) !== undefined) {
    return;
  }
  const link = parseLink(panel.context.model.getMetadata(METADATA_KEY));
  const number = link.kind === 'linked' ? link.link.issue.number : null;
  const { api } = host;
  const [[issue], [params, runs]] = await Promise.all([
    Promise.allSettled([
      number !== null ? api.getIssue(number, path) : Promise.resolve(null)
    ]),
    fetchSaved(api, path)
  ]);
  if (skip() || panel.context.localPath !== path) {
    return; // shown (its own fetch is fresher), closed or renamed meanwhile
  }
  const reply = valueOf(issue);
  host.snapshots.update(path, {
    issue: number !== null && reply !== null ? { number, reply } : null,
    params: valueOf(params),
    runs: valueOf(runs)
  });
}
