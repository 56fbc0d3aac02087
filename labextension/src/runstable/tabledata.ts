/**
 * What the main-area runs table computes from the runs the server listed: every parameter and
 * metric as a column, the `--where` text as the server's `where` filters, two or more runs side
 * by side (differing values marked), and the points of a metric against a parameter. Pure
 * functions: the model (model.ts) keeps the state, the views draw it.
 */
import { ChartData, RunsReply, RunSummary } from '../api';
import { formatStart, formatValue } from '../panel/format';
import type { IRunColumn } from '../panel/RunsView';

/** A run with every parameter it used: its notebook's defaults under the values it was given. */
export function withUsedParameters(run: RunSummary): RunSummary {
  return { ...run, parameters: { ...run.defaults, ...run.parameters } };
}

/** The reply with every run's used parameters (what the table shows and sorts by). */
export function usedReply(reply: RunsReply): RunsReply {
  return { ...reply, runs: reply.runs.map(withUsedParameters) };
}

/** Every name in `records`, in the order the names first appear. */
function namesOf(records: Record<string, unknown>[]): string[] {
  const names = new Set<string>();
  for (const record of records) {
    for (const name of Object.keys(record)) {
      names.add(name);
    }
  }
  return [...names];
}

/** Every metric, then every parameter any of the runs has (not only those that vary). */
export function allColumns(runs: RunSummary[]): IRunColumn[] {
  return [
    ...namesOf(runs.map(run => run.metrics)).map(name => ({
      kind: 'metric' as const,
      name
    })),
    ...namesOf(runs.map(run => run.parameters)).map(name => ({
      kind: 'param' as const,
      name
    }))
  ];
}

/**
 * The filters of a `--where` text: `auc>0.9, loss<=0.2` is two (every one must hold), each as
 * `jupyter dsl runs --where` takes it. The server reads them (an unreadable one is its 400).
 */
export function whereFilters(text: string): string[] {
  return text
    .split(',')
    .map(part => part.trim())
    .filter(part => part !== '');
}

/** One line of the comparison: a column and each compared run's value, and whether they differ. */
export interface ICompareRow {
  key: string;
  label: string;
  kind: 'status' | 'started' | 'metric' | 'param';
  texts: string[];
  differs: boolean;
}

function textIn(run: RunSummary, column: IRunColumn): string {
  const values: Record<string, unknown> =
    column.kind === 'metric' ? run.metrics : run.parameters;
  return column.name in values ? formatValue(values[column.name]) : '—';
}

/** The compared runs side by side: status, start, every parameter, then every metric. */
export function compareRows(runs: RunSummary[]): ICompareRow[] {
  const row = (
    key: string,
    label: string,
    kind: ICompareRow['kind'],
    texts: string[]
  ): ICompareRow => ({ key, label, kind, texts, differs: new Set(texts).size > 1 });
  const columns = allColumns(runs);
  return [
    row(
      'status',
      'status',
      'status',
      runs.map(run => run.status)
    ),
    row(
      'started',
      'started',
      'started',
      runs.map(run => formatStart(run.started_at))
    ),
    ...[
      ...columns.filter(c => c.kind === 'param'),
      ...columns.filter(c => c.kind === 'metric')
    ].map(column =>
      row(
        `${column.kind}:${column.name}`,
        column.name,
        column.kind,
        runs.map(run => textIn(run, column))
      )
    )
  ];
}

function byX(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  const [x, y] = [formatValue(a), formatValue(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Metric `y` against parameter `x` over the runs that have both (a finite number for `y`), as the
 * server's chart route answers it: one series per combination of the other parameters that vary
 * among them (labelled `name=value, ...`), each series' points in the order of `x`.
 */
export function chartData(runs: RunSummary[], x: string, y: string): ChartData {
  const charted: { run: RunSummary; value: number }[] = [];
  for (const run of runs) {
    const value = run.metrics[y];
    if (x in run.parameters && typeof value === 'number' && Number.isFinite(value)) {
      charted.push({ run, value });
    }
  }
  const others = namesOf(charted.map(({ run }) => run.parameters)).filter(
    name =>
      name !== x &&
      new Set(charted.map(({ run }) => formatValue(run.parameters[name]))).size > 1
  );
  const series = new Map<string, [unknown, number][]>();
  for (const { run, value } of charted) {
    const label = others
      .map(name => `${name}=${formatValue(run.parameters[name])}`)
      .join(', ');
    const points = series.get(label) ?? [];
    points.push([run.parameters[x], value]);
    series.set(label, points);
  }
  return {
    x,
    y,
    title: `${y} by ${x} (${charted.length} runs)`,
    series: [...series.entries()].map(([label, points]) => ({
      label,
      points: points.sort((p, q) => byX(p[0], q[0]))
    }))
  };
}

/**
 * The axes the chart starts with: the parameter with the most distinct values (the one that
 * varied most) and the first metric; null when the runs have none.
 */
export function defaultAxes(runs: RunSummary[]): { x: string; y: string } | null {
  const columns = allColumns(runs);
  const metric = columns.find(c => c.kind === 'metric');
  let best: string | null = null;
  let most = 0;
  for (const column of columns.filter(c => c.kind === 'param')) {
    const distinct = new Set(runs.map(run => formatValue(run.parameters[column.name])))
      .size;
    if (distinct > most) {
      [best, most] = [column.name, distinct];
    }
  }
  return metric && best !== null ? { x: best, y: metric.name } : null;
}
