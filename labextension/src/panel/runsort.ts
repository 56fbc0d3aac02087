/**
 * Sorting the runs table by a column: the status, the start, a metric or a parameter. Runs without
 * a value in that column come last either way; equal values keep the server's order (newest first).
 */
import { RunSummary } from '../api';

/** `status`, `started`, `metric:NAME` or `param:NAME`. */
export interface IRunSort {
  key: string;
  descending: boolean;
}

/** The server's order: newest first. */
export const NEWEST_FIRST: IRunSort = { key: 'started', descending: true };

function valueOf(run: RunSummary, key: string): unknown {
  if (key === 'status') {
    return run.status;
  }
  if (key === 'started') {
    return run.started_at;
  }
  const [kind, ...rest] = key.split(':');
  const name = rest.join(':');
  const values: Record<string, unknown> =
    kind === 'metric' ? run.metrics : run.parameters;
  return name in values ? values[name] : undefined;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (typeof a === 'number') {
    return -1; // numbers before other kinds of values
  }
  if (typeof b === 'number') {
    return 1;
  }
  const [x, y] = [
    typeof a === 'string' ? a : JSON.stringify(a),
    typeof b === 'string' ? b : JSON.stringify(b)
  ];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The runs ordered by `sort` (a new array; the input is left as it is). */
export function sortRuns(runs: RunSummary[], sort: IRunSort): RunSummary[] {
  const indexed = runs.map((run, index) => ({
    run,
    index,
    value: valueOf(run, sort.key)
  }));
  const missing = (v: unknown): boolean => v === undefined || v === null;
  indexed.sort((p, q) => {
    if (missing(p.value) || missing(q.value)) {
      return missing(p.value) === missing(q.value)
        ? p.index - q.index
        : missing(p.value)
          ? 1
          : -1;
    }
    const order = compare(p.value, q.value);
    return order === 0 ? p.index - q.index : sort.descending ? -order : order;
  });
  return indexed.map(item => item.run);
}

/** The next sort when a column's header is clicked: its natural order, then the reverse. */
export function nextSort(current: IRunSort, key: string): IRunSort {
  if (current.key === key) {
    return { key, descending: !current.descending };
  }
  return { key, descending: key === 'started' || key.startsWith('metric:') };
}
