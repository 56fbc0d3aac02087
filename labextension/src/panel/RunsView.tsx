/**
 * The "Parameters" and "Runs" sections of the sidebar: the saved notebook's parameters cell and
 * its latest recorded runs (status, the metrics, then the parameters that vary between them, and
 * the start). A row opens the run's details. Every value is data from the notebook or the run
 * index and is rendered as text.
 */
import React from 'react';

import {
  DslApiError,
  NotebookParameter,
  ParamsReply,
  RunReply,
  RunsReply,
  RunSummary
} from '../api';
import { asApiError, IFetched } from '../fetched';
import { ErrorBox } from './common';
import { formatStart, formatValue, RUN_DETAILS_ID } from './format';
import { RunDetails } from './RunDetails';
import { IRunSort, NEWEST_FIRST, nextSort, sortRuns } from './runsort';
import { VirtualTable } from './VirtualTable';

/** `text` as one shell word (POSIX quoting only when needed). */
export function shellQuote(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

function typeText(type: string, optional: boolean): string {
  return optional && type !== 'None' && type !== 'any' ? `${type} or None` : type;
}

export function ParamsSection(props: {
  path: string;
  params: IFetched<ParamsReply>;
  /** The form's field of a parameter (shown under its line), when the section is a form. */
  field?: (parameter: NotebookParameter) => JSX.Element;
  /** What follows the list (the form's config files and Run button). */
  children?: React.ReactNode;
}): JSX.Element {
  const { value, error } = props.params;
  let body: JSX.Element | null = null;
  if (value !== null && value.cell === null) {
    body = (
      <p className="jp-dsl-muted" data-testid="dsl-params-none">
        No cell is tagged <code>parameters</code>. Select the cell that assigns the
        defaults and choose{' '}
        <strong data-testid="dsl-params-hint">Make this the Parameters Cell</strong>{' '}
        (notebook toolbar or cell menu), or add the tag in the property inspector.
      </p>
    );
  } else if (value !== null && value.parameters.length === 0) {
    body = (
      <p className="jp-dsl-muted" data-testid="dsl-params-empty">
        The parameters cell (cell {value.cell}) assigns no parameters.
      </p>
    );
  } else if (value !== null) {
    body = (
      <ul className="jp-dsl-params" data-testid="dsl-params-list">
        {value.parameters.map(parameter => (
          <li
            key={parameter.name}
            className="jp-dsl-param"
            data-testid="dsl-param"
            data-name={parameter.name}
          >
            <code data-testid="dsl-param-name">{parameter.name}</code>
            <span className="jp-dsl-param-type" data-testid="dsl-param-type">
              {typeText(parameter.type, parameter.optional)}
            </span>
            <span>=</span>
            <code data-testid="dsl-param-default">{parameter.default}</code>
            {parameter.help ? (
              <div className="jp-dsl-param-help" data-testid="dsl-param-help">
                {parameter.help}
              </div>
            ) : null}
            {props.field ? props.field(parameter) : null}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section className="jp-dsl-section" data-testid="dsl-params">
      <h3>Parameters</h3>
      <ErrorBox error={error} context="Could not read the parameters" />
      {body}
      {value !== null && value.notes.length > 0 ? (
        <ul className="jp-dsl-notes" data-testid="dsl-params-notes">
          {value.notes.map((note, index) => (
            <li key={index}>{note}</li>
          ))}
        </ul>
      ) : null}
      {props.children}
    </section>
  );
}

/** A value column of the runs table: a metric or a parameter that varies between the runs. */
export interface IRunColumn {
  kind: 'metric' | 'param';
  name: string;
}

/** The value columns, metrics first (what a reader compares), then the varying parameters. */
export function runColumns(reply: RunsReply): IRunColumn[] {
  return [
    ...reply.metrics.map(name => ({ kind: 'metric' as const, name })),
    ...reply.varying_parameters.map(name => ({ kind: 'param' as const, name }))
  ];
}

/** A run's value in a column, as text ('' when the run has none). */
export function cellText(run: RunSummary, column: IRunColumn): string {
  const values: Record<string, unknown> =
    column.kind === 'metric' ? run.metrics : run.parameters;
  return column.name in values ? formatValue(values[column.name]) : '';
}

function RunRow(props: {
  run: RunSummary;
  columns: IRunColumn[];
  selected: boolean;
  onSelect: (id: string | null) => void;
  index: number;
}): JSX.Element {
  const { run, columns, selected, onSelect } = props;
  // The whole row answers a click; its first cell is a real button, so the keyboard (Tab, then
  // Enter or Space) reaches it and a screen reader announces it. Its click bubbles to the row.
  return (
    <tr
      className={`jp-dsl-run-row jp-dsl-vrow${selected ? ' jp-mod-selected' : ''}`}
      aria-rowindex={props.index + 2}
      data-testid="dsl-run"
      data-id={run.id}
      onClick={() => onSelect(selected ? null : run.id)}
    >
      <td>
        <button
          type="button"
          className="jp-dsl-run-open"
          aria-expanded={selected}
          aria-controls={selected ? RUN_DETAILS_ID : undefined}
          aria-label={`${selected ? 'Hide' : 'Show'} the details of run ${run.id} (${run.status})`}
          title={run.id}
          data-testid="dsl-run-open"
        >
          <span
            className={`jp-dsl-run-status jp-dsl-run-${run.status}`}
            data-testid="dsl-run-status"
          >
            {run.status}
          </span>
        </button>
      </td>
      {columns.map(column => (
        <td
          key={`${column.kind}:${column.name}`}
          className={column.kind === 'metric' ? 'jp-dsl-metric' : undefined}
          data-testid={`dsl-run-${column.kind}-${column.name}`}
        >
          {cellText(run, column)}
        </td>
      ))}
      <td data-testid="dsl-run-started" title={run.started_at}>
        {formatStart(run.started_at)}
      </td>
    </tr>
  );
}

/** What the runs section shows of the selected run, and how to change the selection. */
export interface IRunSelection {
  selected: string | null;
  run: IFetched<RunReply>;
  loading: boolean;
  onSelect: (id: string | null) => void;
  onOpenNotebook: (id: string) => void;
}

/** A sortable column header: a button that announces the order it sorts by. */
export function SortHeader(props: {
  sortKey: string;
  sort: IRunSort;
  onSort: (key: string) => void;
  className?: string;
  title?: string;
  testid?: string;
  children: React.ReactNode;
}): JSX.Element {
  const { sortKey, sort, onSort } = props;
  const active = sort.key === sortKey;
  const order = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
  return (
    <th
      scope="col"
      aria-sort={order}
      className={props.className}
      title={props.title}
      data-testid={props.testid}
    >
      <button
        type="button"
        className={`jp-dsl-sort${active ? ` jp-dsl-sort-${order}` : ''}`}
        onClick={() => onSort(sortKey)}
        data-sort-key={sortKey}
      >
        {props.children}
      </button>
    </th>
  );
}

/** Rerun the selected run: a button, its progress and its error. */
function RerunAction(props: {
  id: string;
  onRerun: (id: string) => Promise<unknown>;
}): JSX.Element {
  const [busy, setBusy] = React.useState<string | null>(null);
  const [error, setError] = React.useState<DslApiError | null>(null);
  const rerun = (): void => {
    const id = props.id;
    setBusy(id);
    setError(null);
    props.onRerun(id).then(
      () => setBusy(null),
      caught => {
        setBusy(null);
        setError(asApiError(caught));
      }
    );
  };
  return (
    <>
      <button
        className="jp-mod-styled"
        onClick={rerun}
        disabled={busy !== null}
        aria-label={`Rerun run ${props.id} with its parameters in a fresh kernel`}
        data-testid="dsl-run-rerun"
      >
        {busy !== null ? 'Rerunning…' : 'Rerun'}
      </button>
      <ErrorBox error={error} context="Could not rerun" />
    </>
  );
}

export function RunsSection(props: {
  path: string;
  runs: IFetched<RunsReply>;
  loading: boolean;
  onRefresh: () => void;
  selection: IRunSelection;
  /** Rerun a run (the selected one's button); none: no button. */
  onRerun?: (id: string) => Promise<unknown>;
  /** Open the runs as a full table in the main area; none: no button. */
  onOpenInMainArea?: () => void;
  /** Shown under the table (the chart). */
  children?: React.ReactNode;
}): JSX.Element {
  const { path, loading, selection } = props;
  const { value, error } = props.runs;
  const [sort, setSort] = React.useState<IRunSort>(NEWEST_FIRST);
  const sorted = React.useMemo(
    () => (value === null ? [] : sortRuns(value.runs, sort)),
    [value, sort]
  );
  const onSort = (key: string): void => setSort(current => nextSort(current, key));
  let body: JSX.Element | null = null;
  if (value !== null && value.runs.length === 0) {
    body = (
      <p className="jp-dsl-muted" data-testid="dsl-runs-none">
        No runs recorded yet. Record one with{' '}
        <code>jupyter dsl run {shellQuote(path)}</code> in a terminal or{' '}
        <code>%dsl run</code> in the notebook.
      </p>
    );
  } else if (value !== null) {
    const columns = runColumns(value);
    const header = (
      <tr aria-rowindex={1}>
        <SortHeader sortKey="status" sort={sort} onSort={onSort}>
          Status
        </SortHeader>
        {columns.map(column => (
          <SortHeader
            key={`${column.kind}:${column.name}`}
            sortKey={`${column.kind}:${column.name}`}
            sort={sort}
            onSort={onSort}
            className={column.kind === 'metric' ? 'jp-dsl-metric' : undefined}
            title={column.kind === 'metric' ? 'metric' : 'parameter'}
            testid={`dsl-runs-${column.kind}-column`}
          >
            {column.name}
          </SortHeader>
        ))}
        <SortHeader sortKey="started" sort={sort} onSort={onSort}>
          Started
        </SortHeader>
      </tr>
    );
    body = (
      <VirtualTable
        count={sorted.length}
        header={header}
        columns={columns.length + 2}
        label="Recorded runs"
        testid="dsl-runs-table"
        renderRow={index => (
          <RunRow
            key={sorted[index].id}
            index={index}
            run={sorted[index]}
            columns={columns}
            selected={sorted[index].id === selection.selected}
            onSelect={selection.onSelect}
          />
        )}
      />
    );
  }
  return (
    <section className="jp-dsl-section" data-testid="dsl-runs">
      <h3>
        Runs{' '}
        {value !== null ? (
          <span className="jp-dsl-muted" data-testid="dsl-runs-total">
            {value.runs.length < value.total
              ? `(latest ${value.runs.length} of ${value.total})`
              : `(${value.total})`}
          </span>
        ) : null}
      </h3>
      <ErrorBox error={error} context="Could not list the runs" />
      {body}
      {selection.selected !== null ? (
        <RunDetails
          id={selection.selected}
          run={selection.run}
          loading={selection.loading}
          onClose={() => selection.onSelect(null)}
          onOpenNotebook={selection.onOpenNotebook}
        />
      ) : null}
      {loading ? (
        <div className="jp-dsl-muted" data-testid="dsl-runs-loading">
          Loading…
        </div>
      ) : null}
      <div className="jp-dsl-actions">
        <button
          className="jp-mod-styled"
          onClick={props.onRefresh}
          data-testid="dsl-runs-refresh"
        >
          Refresh runs
        </button>
        {props.onOpenInMainArea ? (
          <button
            className="jp-mod-styled"
            onClick={props.onOpenInMainArea}
            title="Every parameter and metric, sort, filter, compare, chart"
            data-testid="dsl-runs-open-main"
          >
            Open in main area
          </button>
        ) : null}
        {props.onRerun && selection.selected !== null ? (
          <RerunAction
            key={selection.selected}
            id={selection.selected}
            onRerun={props.onRerun}
          />
        ) : null}
      </div>
      {props.children}
    </section>
  );
}
