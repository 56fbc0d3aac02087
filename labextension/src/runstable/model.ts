/**
 * The model of the main-area runs table: a notebook's runs, or one batch's, as the server lists
 * them with the `--where` filters typed; the sort, the runs picked to compare, the chart's axes and
 * the run whose details are shown. It stays current as the sidebar's Runs section does: a
 * `RunsWatcher` polls the notebook's run stamp and fetches the runs again when it moved.
 */
import { ChartData, DslApi, RunsReply, RunSummary } from '../api';
import { ChangingModel } from '../changingmodel';
import { IFetched, settled } from '../fetched';
import type { IRunColumn } from '../panel/RunsView';
import { IRunSort, NEWEST_FIRST, nextSort, sortRuns } from '../panel/runsort';
import { RunSelection } from '../runselection';
import { RunsWatcher, RUNS_POLL_MS } from '../runswatch';
import { RUNS_LIMIT } from '../savedstate';
import {
  allColumns,
  chartData,
  compareRows,
  defaultAxes,
  ICompareRow,
  usedReply,
  whereFilters
} from './tabledata';

/** What the table shows: a notebook's runs (API path), or only those of one of its batches. */
export interface IRunsTableSource {
  path: string;
  batch: string | null;
}

/** The routes the table reads. */
export type RunsTableApi = Pick<DslApi, 'listRuns' | 'runStamp' | 'getRun'>;

export interface IChartAxes {
  x: string;
  y: string;
}

const NOTHING: IFetched<never> = { value: null, error: null };

export class RunsTableModel extends ChangingModel {
  constructor(
    readonly api: RunsTableApi,
    readonly source: IRunsTableSource,
    options: { pollInterval?: number; poll?: boolean } = {}
  ) {
    super();
    this.selection = this.own(new RunSelection(api, () => source.path));
    this.selection.changed.connect(this.emitChanged, this);
    if (options.poll ?? true) {
      this.own(new RunsWatcher(this, options.pollInterval ?? RUNS_POLL_MS));
    }
  }

  /** The run whose details are shown (clicking a row). */
  readonly selection: RunSelection;

  /** The notebook (what the run watcher polls the stamp of). */
  get path(): string {
    return this.source.path;
  }

  /** The runs as the server listed them, each with every parameter it used. */
  get runs(): IFetched<RunsReply> {
    return this._runs;
  }

  /** Whether the first answer is still awaited. */
  get loading(): boolean {
    return this._loading;
  }

  /** The `--where` text of the runs shown ('' for none). */
  get where(): string {
    return this._where;
  }

  get sort(): IRunSort {
    return this._sort;
  }

  /** The runs in the table's order. */
  get rows(): RunSummary[] {
    if (this._sorted === null) {
      this._sorted = sortRuns(this._runs.value?.runs ?? [], this._sort);
    }
    return this._sorted;
  }

  /** Every metric and every parameter of the runs shown. */
  get columns(): IRunColumn[] {
    return allColumns(this._runs.value?.runs ?? []);
  }

  /** The ids of the runs picked to compare, in the order they were picked. */
  get compared(): readonly string[] {
    return this._compared;
  }

  /** The picked runs that are shown, side by side (status, start, parameters, metrics). */
  get comparison(): { runs: RunSummary[]; rows: ICompareRow[] } {
    const byId = new Map((this._runs.value?.runs ?? []).map(run => [run.id, run]));
    const runs = this._compared
      .map(id => byId.get(id))
      .filter((run): run is RunSummary => run !== undefined);
    return { runs, rows: runs.length > 0 ? compareRows(runs) : [] };
  }

  /** The chart's axes: those chosen, or the parameter that varies most and the first metric. */
  get axes(): IChartAxes | null {
    return this._axes ?? defaultAxes(this._runs.value?.runs ?? []);
  }

  /** The chart of the runs shown (the filter applies to it too); null without axes. */
  get chart(): ChartData | null {
    const axes = this.axes;
    return axes === null
      ? null
      : chartData(this._runs.value?.runs ?? [], axes.x, axes.y);
  }

  /** Sort by `key` (`status`, `started`, `metric:NAME`, `param:NAME`): its natural order, then the reverse. */
  sortBy(key: string): void {
    this._sort = nextSort(this._sort, key);
    this._sorted = null;
    this.emitChanged();
  }

  /** Show only the runs `text` lets through (`auc>0.9, loss<=0.2`; '' for all). An unreadable
   * filter is the server's error; the runs shown before stay. */
  async filter(text: string): Promise<void> {
    this._where = whereFilters(text).join(', ');
    await this.refreshRuns();
  }

  /** Pick run `id` to compare, or put it back. */
  toggleCompare(id: string): void {
    this._compared = this._compared.includes(id)
      ? this._compared.filter(other => other !== id)
      : [...this._compared, id];
    this.emitChanged();
  }

  clearCompare(): void {
    this._compared = [];
    this.emitChanged();
  }

  setAxes(axes: IChartAxes): void {
    this._axes = axes;
    this.emitChanged();
  }

  /** Fetch the runs again (the watcher calls it when a run was recorded or finished). */
  async refreshRuns(): Promise<void> {
    const generation = ++this._generation;
    const where = this._where;
    this._loading = this._runs.value === null;
    this.emitChanged();
    const [reply] = await Promise.allSettled([
      this.api.listRuns({
        path: this.source.path,
        batch: this.source.batch ?? undefined,
        where: whereFilters(where),
        limit: RUNS_LIMIT
      })
    ]);
    if (generation !== this._generation || this.isDisposed) {
      return; // a newer fetch (another filter) took over
    }
    const fetched = settled(reply);
    this._loading = false;
    this._runs =
      fetched.value !== null
        ? { value: usedReply(fetched.value), error: null }
        : { value: this._runs.value, error: fetched.error };
    this._sorted = null;
    this.emitChanged();
    if (this.selection.selected !== null && fetched.value !== null) {
      void this.selection.fetch(); // a running run may have finished
    }
  }

  private _runs: IFetched<RunsReply> = NOTHING;
  private _loading = false;
  private _where = '';
  private _sort: IRunSort = NEWEST_FIRST;
  private _sorted: RunSummary[] | null = null;
  private _compared: string[] = [];
  private _axes: IChartAxes | null = null;
  private _generation = 0;
}
