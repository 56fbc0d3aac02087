/**
 * The run whose details the Runs section shows: its id and its full record, fetched when selected.
 * An answer that arrives after another run was selected (or none) is dropped.
 */
import { DslApi, RunReply } from './api';
import { ChangingModel } from './changingmodel';
import { IFetched, settled } from './fetched';

const NOTHING: IFetched<never> = { value: null, error: null };

export class RunSelection extends ChangingModel {
  /** `path`: the notebook the runs belong to (the server resolves run ids within its project). */
  constructor(
    private readonly api: Pick<DslApi, 'getRun'>,
    private readonly path: () => string | null
  ) {
    super();
  }

  /** The id of the run whose details are shown, or null. */
  get selected(): string | null {
    return this._selected;
  }

  /** The selected run's full record (null while loading or when none is selected). */
  get run(): IFetched<RunReply> {
    return this._run;
  }

  get loading(): boolean {
    return this._loading;
  }

  /** Show the details of run `id` (fetching its full record), or none with null. */
  async select(id: string | null): Promise<void> {
    this._selected = id;
    this._run = NOTHING;
    if (id === null) {
      ++this._generation; // drop the answer of a fetch still under way
      this._loading = false;
      this.emitChanged();
      return;
    }
    await this.fetch();
  }

  /** Fetch the selected run's record again (a running run may have finished meanwhile). */
  async fetch(): Promise<void> {
    const id = this._selected;
    if (id === null) {
      return;
    }
    const generation = ++this._generation;
    this._loading = true;
    this.emitChanged();
    const [reply] = await Promise.allSettled([
      this.api.getRun(id, this.path() ?? undefined)
    ]);
    if (generation !== this._generation) {
      return; // another run was selected meanwhile
    }
    this._loading = false;
    this._run = settled(reply);
    this.emitChanged();
  }

  /** Select nothing, quietly (another notebook is shown; the model emits its own change). */
  reset(): void {
    ++this._generation;
    this._selected = null;
    this._run = NOTHING;
    this._loading = false;
  }

  private _selected: string | null = null;
  private _run: IFetched<RunReply> = NOTHING;
  private _loading = false;
  private _generation = 0;
}
