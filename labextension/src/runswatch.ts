/**
 * Runs recorded elsewhere (the CLI, a batch, a magic, another tab) appear without a manual refresh:
 * the watcher polls the notebook's cheap run stamp and refreshes the runs when it changed. It skips
 * its turn while the page is hidden or a previous poll is still under way.
 */
import { IDisposable } from '@lumino/disposable';

import { DslModel } from './model';

/** How often the stamp is polled, in ms (the default; the settings may give another). */
export const RUNS_POLL_MS = 3000;

export class RunsWatcher implements IDisposable {
  constructor(
    private readonly model: DslModel,
    readonly interval = RUNS_POLL_MS
  ) {
    this._timer = setInterval(() => void this.poll(), interval);
  }

  get isDisposed(): boolean {
    return this._timer === null;
  }

  dispose(): void {
    if (this._timer !== null) {
      clearInterval(this._timer);
      this._timer = null;
    }
  }

  /** One poll: refresh the runs when the stamp moved since the last poll of the same notebook. */
  async poll(): Promise<void> {
    const path = this.model.path;
    const hidden =
      typeof document !== 'undefined' && document.visibilityState === 'hidden';
    if (path === null || this._busy || hidden || this.isDisposed) {
      return;
    }
    this._busy = true;
    try {
      const stamp = await this.model.api.runStamp(path);
      const known = this._last !== null && this._last.path === path;
      const moved = known && this._last?.stamp !== stamp;
      this._last = { path, stamp };
      if (moved && this.model.path === path && !this.isDisposed) {
        await this.model.refreshRuns();
      }
    } catch {
      // the next poll tries again; the runs section shows errors of its own fetches
    } finally {
      this._busy = false;
    }
  }

  private _timer: ReturnType<typeof setInterval> | null;
  private _busy = false;
  private _last: { path: string; stamp: string } | null = null;
}
