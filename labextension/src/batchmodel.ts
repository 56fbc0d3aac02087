/**
 * The Batch section's state: the batch shown for the active notebook and its live progress.
 *
 * The truth is the server's run store: on load (and when another notebook becomes active) the model
 * asks for the notebook's batches and re-attaches to the newest one, so a browser reload or a
 * second tab shows the same running batch. While it runs, its state is polled; when it ends, the
 * runs are refreshed.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { BatchRequest, BatchState, DslApiError, RunsReply } from './api';
import { DslModel } from './model';
import { asApiError } from './fetched';

/** How often a running batch's state is polled, in ms. */
export const BATCH_POLL_MS = 1000;

export class BatchModel implements IDisposable {
  constructor(
    readonly dsl: DslModel,
    readonly pollInterval = BATCH_POLL_MS
  ) {
    dsl.changed.connect(this._onDslChanged, this);
    this._onDslChanged();
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The batch shown (the newest of the notebook, or the one just started), or null. */
  get batch(): BatchState | null {
    return this._batch;
  }

  /** The last error of starting, cancelling or polling. */
  get error(): DslApiError | null {
    return this._error;
  }

  get busy(): boolean {
    return this._busy;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._stopPolling();
    this.dsl.changed.disconnect(this._onDslChanged, this);
    Signal.clearData(this);
  }

  /** Show the newest batch of the active notebook (following it while it runs). */
  async attach(): Promise<void> {
    const path = this._path;
    if (path === null) {
      return;
    }
    try {
      const batches = await this.dsl.api.listBatches(path);
      if (path !== this._path || this._isDisposed) {
        return;
      }
      const running = batches.find(b => b.status === 'running');
      const newest = running ?? batches[0];
      const shown = this._batch;
      // a batch started elsewhere (another tab, the CLI) replaces one that is not running
      const replace =
        shown === null || (shown.status !== 'running' && running !== undefined);
      if (newest !== undefined && replace && newest.id !== shown?.id) {
        await this._follow(newest.id);
      }
    } catch (error) {
      this._setError(error);
    }
  }

  /** Start a batch of the active notebook; resolves once the server has recorded it. */
  async start(request: Omit<BatchRequest, 'path'>): Promise<void> {
    const path = this._path;
    if (path === null) {
      throw new DslApiError(0, 'no notebook is active', 'Open a notebook first.');
    }
    this._busy = true;
    this._error = null;
    this._changed.emit();
    try {
      const state = await this.dsl.api.startBatch({ ...request, path });
      if (path === this._path) {
        this._show(state);
      }
    } catch (error) {
      this._setError(error);
    } finally {
      this._busy = false;
      this._changed.emit();
    }
  }

  /** Ask the shown batch's driver to cancel: running runs are interrupted, queued ones not started. */
  async cancel(): Promise<void> {
    const batch = this._batch;
    if (batch === null) {
      return;
    }
    try {
      const state = await this.dsl.api.cancelBatch(batch.id, this._path ?? undefined);
      if (this._batch?.id === state.id) {
        this._show(state);
      }
    } catch (error) {
      this._setError(error);
    }
  }

  private async _follow(id: string): Promise<void> {
    const state = await this.dsl.api.getBatch(id, this._path ?? undefined);
    if (!this._isDisposed) {
      this._show(state);
    }
  }

  private _show(state: BatchState): void {
    const before = this._batch;
    this._batch = state;
    this._error = null;
    this._changed.emit();
    const done =
      before !== null && before.id === state.id && !sameProgress(before, state);
    if (done) {
      void this.dsl.refreshRuns(); // runs finished meanwhile (the stamp would tell too, later)
    }
    this._stopPolling();
    if (state.status === 'running') {
      this._timer = setTimeout(() => void this._poll(state.id), this.pollInterval);
    }
  }

  private async _poll(id: string): Promise<void> {
    this._timer = null;
    try {
      await this._follow(id);
    } catch (error) {
      this._setError(error);
      if (this._batch?.id === id && !this._isDisposed) {
        this._timer = setTimeout(() => void this._poll(id), this.pollInterval * 3);
      }
    }
  }

  private _stopPolling(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _setError(error: unknown): void {
    this._error = asApiError(error);
    this._changed.emit();
  }

  private _onDslChanged(): void {
    const path = this.dsl.path;
    if (path === this._path) {
      const runs = this.dsl.runs.value;
      if (runs !== this._runsSeen && runs !== null) {
        this._runsSeen = runs; // runs changed (maybe a batch started elsewhere): look again
        if (this._batch?.status !== 'running' && !this._busy) {
          void this.attach();
        }
      }
      return;
    }
    this._runsSeen = this.dsl.runs.value;
    this._path = path;
    this._stopPolling();
    this._batch = null;
    this._error = null;
    this._changed.emit();
    if (this.dsl.runs.value !== null) {
      void this.attach();
    } // else: once the notebook's runs are in (they come first on a switch), the branch above looks
  }

  private _path: string | null = null;
  private _runsSeen: RunsReply | null = null;
  private _batch: BatchState | null = null;
  private _error: DslApiError | null = null;
  private _busy = false;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _isDisposed = false;
  private readonly _changed = new Signal<this, void>(this);
}

/** Whether two states of a batch have the same runs finished (a run ending changes the counts). */
function sameProgress(a: BatchState, b: BatchState): boolean {
  const done = (s: BatchState): number =>
    s.runs.filter(r => r.state !== 'queued' && r.state !== 'running').length;
  return done(a) === done(b) && a.status === b.status;
}
