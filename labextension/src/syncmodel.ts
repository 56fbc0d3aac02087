/**
 * The sidebar's issue sync (`jupyter dsl sync`): whether the project of the active notebook can
 * sync its issues with a git remote and when it last did, the sync itself, and what it brought.
 * After a sync that succeeded, `onSynced` fetches the issue again.
 */
import { DslApi, DslApiError } from './api';
import { ChangingModel } from './changingmodel';
import { asApiError } from './fetched';
import { SyncReply, SyncStatus } from './wire';

export class SyncModel extends ChangingModel {
  constructor(
    private readonly api: Pick<DslApi, 'syncStatus' | 'sync'>,
    private readonly onSynced: () => Promise<void>
  ) {
    super();
  }

  /** The status of the project last loaded (null until known, or when it failed). */
  get status(): SyncStatus | null {
    return this._status;
  }

  /** What the last sync did (null before one, or when it failed). */
  get result(): SyncReply | null {
    return this._result;
  }

  get error(): DslApiError | null {
    return this._error;
  }

  get busy(): boolean {
    return this._busy;
  }

  /** Fetch the sync status of the project that holds `path`; a sync's result is forgotten. */
  async load(path: string): Promise<void> {
    const generation = ++this._generation;
    this._path = path;
    this._result = null;
    this._error = null;
    try {
      const status = await this.api.syncStatus(path);
      if (generation === this._generation) {
        this._status = status;
      }
    } catch {
      // no project, or an older server: no sync bar
      if (generation === this._generation) {
        this._status = null;
      }
    }
    this.emitChanged();
  }

  /** Sync the issues of the project last loaded; the error, if any, is kept in `error`. */
  async sync(): Promise<void> {
    const path = this._path;
    if (path === null || this._busy) {
      return;
    }
    const generation = ++this._generation;
    this._busy = true;
    this._error = null;
    this.emitChanged();
    try {
      const result = await this.api.sync(path);
      if (generation === this._generation) {
        this._result = result;
        if (this._status !== null) {
          this._status = { ...this._status, last_sync: result.last_sync };
        }
        await this.onSynced();
      }
    } catch (caught) {
      if (generation === this._generation) {
        this._error = asApiError(caught);
      }
    } finally {
      this._busy = false;
      if (!this.isDisposed) {
        this.emitChanged();
      }
    }
  }

  private _path: string | null = null;
  private _status: SyncStatus | null = null;
  private _result: SyncReply | null = null;
  private _error: DslApiError | null = null;
  private _busy = false;
  private _generation = 0;
}

/** What a sync did, in a few words: "2 in, 1 out, #3 is now #4", or "already in sync". */
export function syncSummary(result: SyncReply): string {
  const parts: string[] = [];
  if (result.came_in.length > 0) {
    parts.push(`${result.came_in.length} in`);
  }
  if (result.went_out.length > 0) {
    parts.push(`${result.went_out.length} out`);
  }
  for (const move of result.renumbered) {
    parts.push(`#${move.old} is now #${move.new}`);
  }
  if (result.refused.length > 0) {
    parts.push(`${result.refused.length} refused`);
  }
  return parts.length > 0 ? parts.join(', ') : `already in sync with ${result.remote}`;
}
