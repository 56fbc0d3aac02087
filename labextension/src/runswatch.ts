/**
 * Runs recorded elsewhere (the CLI, a batch, a magic, another tab) appear without a manual refresh:
 * the watcher polls the notebook's cheap run stamp and refreshes the runs when it changed. Besides,
 * the refresher fetches the runs (and with them the findings) again every `refreshInterval`
 * seconds of the settings. Both are polls (see polls.ts): they stand by while the tab is hidden
 * and back off while the server fails.
 */
import { IDisposable } from '@lumino/disposable';

import { DslApi } from './api';
import { pollFrequency, ServerPoll, serverPoll, startPoll } from './polls';
import { SidebarSettings } from './settings';

/** How often the stamp is polled, in ms (the default; the settings may give another). */
export const RUNS_POLL_MS = 3000;

/** What the watcher and the refresher need of the sidebar's model (DslModel). */
export interface IRunsHost {
  readonly path: string | null;
  readonly api: Pick<DslApi, 'runStamp'>;
  refreshRuns(): Promise<void>;
}

export class RunsWatcher implements IDisposable {
  constructor(
    private readonly model: IRunsHost,
    readonly interval = RUNS_POLL_MS
  ) {
    this._poll = serverPoll('run-stamp', interval, () => this._check());
    void startPoll(this._poll);
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  dispose(): void {
    this._poll.dispose();
  }

  /** One tick: refresh the runs when the stamp moved since the last tick for the same notebook. */
  private async _check(): Promise<void> {
    const path = this.model.path;
    if (path === null) {
      return;
    }
    const stamp = await this.model.api.runStamp(path); // a failure backs the poll off
    const known = this._last !== null && this._last.path === path;
    const moved = known && this._last?.stamp !== stamp;
    this._last = { path, stamp };
    if (moved && this.model.path === path && !this.isDisposed) {
      await this.model.refreshRuns();
    }
  }

  private readonly _poll: ServerPoll;
  private _last: { path: string; stamp: string } | null = null;
}

/** Fetches the runs again every `refreshInterval` seconds of the settings (never with 0). */
export class RunsRefresher implements IDisposable {
  constructor(
    model: IRunsHost,
    private readonly settings: Pick<SidebarSettings, 'value' | 'changed'>
  ) {
    this._poll = serverPoll('refresh', 1000, async () => {
      if (model.path !== null) {
        await model.refreshRuns();
      }
    });
    settings.changed.connect(this._restart, this);
    this._restart();
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  dispose(): void {
    this.settings.changed.disconnect(this._restart, this);
    this._poll.dispose();
  }

  /** Follow the setting: a new interval starts over, 0 stops. */
  private _restart(): void {
    const seconds = this.settings.value.refreshInterval;
    if (seconds === this._seconds) {
      return;
    }
    this._seconds = seconds;
    if (seconds > 0) {
      this._poll.frequency = pollFrequency(seconds * 1000);
      void startPoll(this._poll, true);
    } else {
      void this._poll.stop();
    }
  }

  private readonly _poll: ServerPoll;
  private _seconds: number | null = null;
}
