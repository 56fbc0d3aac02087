/**
 * The main-area runs table: a notebook's runs (or one batch's) with every parameter and metric as
 * a column, sortable by any of them, filtered with the `--where` syntax of `jupyter dsl runs`; a
 * row's checkbox picks it to compare, a click shows its details (and its output notebook opens
 * read-only from there). Rows are windowed (VirtualTable): thousands of runs stay responsive.
 * Every value is data from the run index and is rendered as text.
 */
import React from 'react';

import { RunSummary } from '../api';
import { ErrorBox, useSignal } from '../panel/common';
import { formatStart, RUN_DETAILS_ID } from '../panel/format';
import { RunDetails } from '../panel/RunDetails';
import { cellText, IRunColumn, SortHeader } from '../panel/RunsView';
import { VirtualTable } from '../panel/VirtualTable';
import { RunsTableModel } from './model';
import { CompareView, TableChart } from './RunsCompare';

function TableRow(props: {
  run: RunSummary;
  index: number;
  columns: IRunColumn[];
  selected: boolean;
  compared: boolean;
  onSelect: (id: string | null) => void;
  onCompare: (id: string) => void;
}): JSX.Element {
  const { run, columns, selected } = props;
  return (
    <tr
      className={`jp-dsl-run-row jp-dsl-vrow${selected ? ' jp-mod-selected' : ''}`}
      aria-rowindex={props.index + 2}
      data-testid="dsl-rtable-run"
      data-id={run.id}
      onClick={() => props.onSelect(selected ? null : run.id)}
    >
      <td onClick={event => event.stopPropagation()}>
        <input
          type="checkbox"
          checked={props.compared}
          onChange={() => props.onCompare(run.id)}
          aria-label={`Compare run ${run.id}`}
          data-testid="dsl-rtable-compare"
        />
      </td>
      <td>
        <button
          type="button"
          className="jp-dsl-run-open"
          aria-expanded={selected}
          aria-controls={selected ? RUN_DETAILS_ID : undefined}
          aria-label={`${selected ? 'Hide' : 'Show'} the details of run ${run.id} (${run.status})`}
          data-testid="dsl-rtable-open"
        >
          <span className={`jp-dsl-run-status jp-dsl-run-${run.status}`}>
            {run.status}
          </span>
        </button>
      </td>
      <td title={run.id} data-testid="dsl-rtable-id">
        <code>{run.id}</code>
      </td>
      {columns.map(column => (
        <td
          key={`${column.kind}:${column.name}`}
          className={column.kind === 'metric' ? 'jp-dsl-metric' : undefined}
          data-testid={`dsl-rtable-${column.kind}-${column.name}`}
        >
          {cellText(run, column)}
        </td>
      ))}
      <td title={run.started_at}>{formatStart(run.started_at)}</td>
    </tr>
  );
}

function FilterForm(props: { model: RunsTableModel }): JSX.Element {
  const { model } = props;
  const [text, setText] = React.useState(model.where);
  return (
    <form
      className="jp-dsl-rtable-filter"
      role="search"
      onSubmit={event => {
        event.preventDefault();
        void model.filter(text);
      }}
    >
      <label>
        Where{' '}
        <input
          className="jp-mod-styled"
          value={text}
          onChange={event => setText(event.currentTarget.value)}
          placeholder="auc>0.9, loss<=0.2"
          aria-describedby="jp-dsl-rtable-where-help"
          data-testid="dsl-rtable-where"
        />
      </label>
      <button type="submit" className="jp-mod-styled" data-testid="dsl-rtable-filter">
        Filter
      </button>
      {model.where !== '' ? (
        <button
          type="button"
          className="jp-mod-styled"
          onClick={() => {
            setText('');
            void model.filter('');
          }}
          data-testid="dsl-rtable-clear"
        >
          Show all
        </button>
      ) : null}
      <span id="jp-dsl-rtable-where-help" className="jp-dsl-muted">
        metric conditions as <code>jupyter dsl runs --where</code> takes them, separated
        by commas; every one must hold
      </span>
    </form>
  );
}

function totalText(model: RunsTableModel): string {
  const reply = model.runs.value;
  if (reply === null) {
    return '';
  }
  const shown =
    reply.runs.length < reply.total
      ? `latest ${reply.runs.length} of ${reply.total} runs`
      : `${reply.total} run${reply.total === 1 ? '' : 's'}`;
  return model.where !== '' ? `${shown} where ${model.where}` : shown;
}

export function RunsTableView(props: {
  model: RunsTableModel;
  onOpenNotebook: (id: string) => void;
}): JSX.Element {
  const { model } = props;
  useSignal(model.changed);
  const { path, batch } = model.source;
  const reply = model.runs.value;
  const rows = model.rows;
  const columns = model.columns;
  const compared = new Set(model.compared);
  const comparison = model.comparison;
  const sort = model.sort;
  const onSort = (key: string): void => model.sortBy(key);
  let body: JSX.Element | null = null;
  if (reply !== null && rows.length === 0) {
    body = (
      <p className="jp-dsl-muted" data-testid="dsl-rtable-none">
        {model.where !== '' ? 'No run matches.' : 'No runs recorded yet.'}
      </p>
    );
  } else if (reply !== null) {
    const header = (
      <tr aria-rowindex={1}>
        <th scope="col">Compare</th>
        <SortHeader sortKey="status" sort={sort} onSort={onSort}>
          Status
        </SortHeader>
        <th scope="col">Run</th>
        {columns.map(column => (
          <SortHeader
            key={`${column.kind}:${column.name}`}
            sortKey={`${column.kind}:${column.name}`}
            sort={sort}
            onSort={onSort}
            className={column.kind === 'metric' ? 'jp-dsl-metric' : undefined}
            title={column.kind === 'metric' ? 'metric' : 'parameter'}
            testid={`dsl-rtable-${column.kind}-column`}
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
        count={rows.length}
        header={header}
        columns={columns.length + 4}
        label={batch === null ? `Runs of ${path}` : `Runs of batch ${batch}`}
        testid="dsl-rtable-table"
        renderRow={index => (
          <TableRow
            key={rows[index].id}
            index={index}
            run={rows[index]}
            columns={columns}
            selected={rows[index].id === model.selection.selected}
            compared={compared.has(rows[index].id)}
            onSelect={id => void model.selection.select(id)}
            onCompare={id => model.toggleCompare(id)}
          />
        )}
      />
    );
  }
  return (
    <div className="jp-dsl-rtable" data-testid="dsl-rtable">
      <header className="jp-dsl-rtable-header">
        <h2>
          Runs of <code>{path}</code>
          {batch !== null ? (
            <>
              {' '}
              in batch <code data-testid="dsl-rtable-batch">{batch}</code>
            </>
          ) : null}
        </h2>
        <span
          className="jp-dsl-muted"
          aria-live="polite"
          data-testid="dsl-rtable-total"
        >
          {totalText(model)}
        </span>
      </header>
      <FilterForm model={model} />
      <ErrorBox error={model.runs.error} context="Could not list the runs" />
      {model.loading ? (
        <p className="jp-dsl-muted" data-testid="dsl-rtable-loading">
          Loading…
        </p>
      ) : null}
      {body}
      <div className="jp-dsl-rtable-below">
        {model.selection.selected !== null ? (
          <RunDetails
            id={model.selection.selected}
            run={model.selection.run}
            loading={model.selection.loading}
            onClose={() => void model.selection.select(null)}
            onOpenNotebook={props.onOpenNotebook}
          />
        ) : null}
        {comparison.runs.length > 0 ? (
          <CompareView
            runs={comparison.runs}
            rows={comparison.rows}
            onRemove={id => model.toggleCompare(id)}
            onClear={() => model.clearCompare()}
          />
        ) : null}
        <TableChart
          columns={columns}
          axes={model.axes}
          chart={model.chart}
          onAxes={axes => model.setAxes(axes)}
        />
      </div>
    </div>
  );
}
