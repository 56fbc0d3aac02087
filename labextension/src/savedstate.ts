/**
 * What the saved notebook holds for the sidebar: its parameters cell and its latest runs, read by
 * the server from the file and the run index (not from the open document).
 *
 * `show(path)` puts what the panel last showed for that notebook on screen at once; `fetch(path)`
 * asks the server again, keeping that content in place meanwhile (`refreshing`) or, with nothing
 * kept, `loading`.
 */
import { DslApi, ParamsReply, RunsReply } from './api';
import { ChangingModel } from './changingmodel';
import { IFetched, settled } from './fetched';
import { PanelSnapshots } from './snapshots';

/** How many runs the sidebar lists (the runs table is virtualized: thousands stay responsive). */
export const RUNS_LIMIT = 5000;

const NOTHING: IFetched<never> = { value: null, error: null };

/** The saved notebook `path`'s parameters cell and latest runs, as the server answers them now. */
export function fetchSaved(
  api: Pick<DslApi, 'getParams' | 'listRuns'>,
  path: string
): Promise<[PromiseSettledResult<ParamsReply>, PromiseSettledResult<RunsReply>]> {
  return Promise.allSettled([
    api.getParams(path),
    api.listRuns({ path, limit: RUNS_LIMIT })
  ]);
}

export class SavedState extends ChangingModel {
  constructor(
    private readonly api: Pick<DslApi, 'getParams' | 'listRuns'>,
    private readonly snapshots: PanelSnapshots
  ) {
    super();
  }

  /** The saved notebook's parameters cell. */
  get params(): IFetched<ParamsReply> {
    return this._params;
  }

  /** The latest runs of the notebook (at most `RUNS_LIMIT`). */
  get runs(): IFetched<RunsReply> {
    return this._runs;
  }

  /** Whether they are being fetched with nothing kept to show meanwhile. */
  get loading(): boolean {
    return this._loading;
  }

  /** Whether the content kept from before is shown while it is fetched again. */
  get refreshing(): boolean {
    return this._refreshing;
  }

  /** Show what the panel last showed for notebook `path` (nothing when none is kept). */
  show(path: string | null): void {
    const kept = path === null ? undefined : this.snapshots.get(path);
    this._params = kept?.params ? { value: kept.params, error: null } : NOTHING;
    this._runs = kept?.runs ? { value: kept.runs, error: null } : NOTHING;
  }

  /** Fetch notebook `path`'s parameters cell and latest runs; false when a newer fetch took over. */
  async fetch(path: string | null): Promise<boolean> {
    const generation = ++this._generation;
    if (path === null) {
      this._params = this._runs = NOTHING;
      this._loading = this._refreshing = false;
      this.emitChanged();
      return true;
    }
    const kept = this._params.value !== null || this._runs.value !== null;
    this._loading = !kept;
    this._refreshing = kept;
    this.emitChanged();
    const [params, runs] = await fetchSaved(this.api, path);
    if (generation !== this._generation) {
      return false;
    }
    this._loading = this._refreshing = false;
    this._params = settled(params);
    this._runs = settled(runs);
    this.snapshots.update(path, { params: this._params.value, runs: this._runs.value });
    this.emitChanged();
    return true;
  }

  private _params: IFetched<ParamsReply> = NOTHING;
  private _runs: IFetched<RunsReply> = NOTHING;
  private _loading = false;
  private _refreshing = false;
  private _generation = 0;
}
