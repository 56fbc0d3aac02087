/**
 * The Batch section's state: the batch shown for the active notebook and its live progress.
 *
 * The truth is the server's run store: on load (and when another notebook becomes active) the model
 * asks for the notebook's batches and re-attaches to the newest one, so a browser reload or a
 * second tab shows the same running batch. While it runs, its state is polled (backing off while
 * the server fails, standing by while the tab is hidden); when it ends, the runs are refreshed.
 */
import { BatchRequest, BatchState, DslApiError, RunsReply } from './api';
import { ChangingModel } from './changingmodel';
import { DslModel } from './model';
import { asApiError } from './fetched';
import { ServerPoll, serverPoll, startPoll } from './polls';

/** How often a running batch's state is polled, in ms. */
export const BATCH_POLL_MS = 1000;

export class BatchModel extends ChangingModel {
  constructor(
    readonly dsl: DslModel,
    readonly pollInterval = BATCH_POLL_MS
  ) {
    super();
    this._poll = this.own(serverPoll('batch', pollInterval, () => this._pollBatch()));
    dsl.changed.connect(this._onDslChanged, this);
    this._onDslChanged();
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

  /** Show the newest batch of the active notebook (following it while it runs). */
  async attach(): Promise<void> {
    const path = this._path;
    if (path === null) {
      return;
    }
    try {
      const batches = await this.dsl.api.listBatches(path);
      if (path !== this._path || this.isDisposed) {
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
    this.emitChanged();
    try {
      const state = await this.dsl.api.startBatch({ ...request, path });
      if (path === this._path) {
        this._show(state);
      }
    } catch (error) {
      this._setError(error);
    } finally {
      this._busy = false;
      this.emitChanged();
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
    if (!this.isDisposed) {
      this._show(state);
    }
  }

  private _show(state: BatchState): void {
    const before = this._batch;
    this._batch = state;
    this._error = null;
    this.emitChanged();
    const done =
      before !== null && before.id === state.id && !sameProgress(before, state);
    if (done) {
      void this.dsl.refreshRuns(); // runs finished meanwhile (the stamp would tell too, later)
    }
    if (state.status === 'running') {
      void startPoll(this._poll);
    } else {
      void this._poll.stop();
    }
  }

  /** One tick of the poll: the shown batch's state; a failure is shown, and backs the poll off. */
  private async _pollBatch(): Promise<void> {
    const id = this._batch?.id;
    if (id === undefined) {
      void this._poll.stop(); // nothing shown: nothing to follow
      return;
    }
    try {
      await this._follow(id);
    } catch (error) {
      this._setError(error);
      throw error;
    }
  }

  private _setError(error: unknown): void {
    this._error = asApiError(error);
    this.emitChanged();
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
    void this._poll.stop();
    this._batch = null;
    this._error = null;
    this.emitChanged();
    if (this.dsl.runs.value !== null) {
      void this.attach();
    } // else: once the notebook's runs are in (they come first on a switch), the branch above looks
  }

  private _path: string | null = null;
  private _runsSeen: RunsReply | null = null;
  private _batch: BatchState | null = null;
  private _error: DslApiError | null = null;
  private _busy = false;
  private readonly _poll: ServerPoll;
}

/** Whether two states of a batch have the same runs finished (a run ending changes the counts). */
function sameProgress(a: BatchState, b: BatchState): boolean {
  const done = (s: BatchState): number =>
    s.runs.filter(r => r.state !== 'queued' && r.state !== 'running').length;
  return done(a) === done(b) && a.status === b.status;
}
