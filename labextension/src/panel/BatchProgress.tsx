/**
 * A batch's live progress: each parameter set with its state (queued, running, succeeded, failed
 * with its error, interrupted...), time and output notebook, in a windowed table; below it each
 * error in full (a table row is one line high); Cancel.
 */
import React from 'react';

import { BATCH_RUN_STATES, BatchRun, BatchState } from '../api';
import { formatDuration, formatValue } from './format';
import { VirtualTable } from './VirtualTable';

/** Errors listed in full below the table (the rows show the start of each). */
export const ERRORS_SHOWN = 20;

/** The runs of a batch that have an error, each with it in full (wrapped, never cut). */
export function ErrorList(props: { runs: BatchRun[] }): JSX.Element | null {
  const failed = props.runs.filter(run => run.error);
  if (failed.length === 0) {
    return null;
  }
  const shown = failed.slice(0, ERRORS_SHOWN);
  return (
    <div className="jp-dsl-batch-errors" data-testid="dsl-batch-errors">
      <ul aria-label="Errors of the batch's runs">
        {shown.map(run => (
          <li key={run.identity} data-testid="dsl-batch-error">
            <span className="jp-dsl-muted">
              #{run.position + 1} {run.state}:
            </span>{' '}
            <span className="jp-dsl-batch-error-text">{run.error}</span>
          </li>
        ))}
      </ul>
      {failed.length > shown.length ? (
        <p className="jp-dsl-muted">
          and {failed.length - shown.length} more (each row&apos;s state shows its error
          on hover)
        </p>
      ) : null}
    </div>
  );
}

export function ProgressView(props: {
  batch: BatchState;
  onCancel: () => void;
  onOpenRun: (id: string) => void;
  /** Open the batch's runs as a full table in the main area; none: no button. */
  onOpenTable?: (batchId: string) => void;
}): JSX.Element {
  const { batch, onCancel, onOpenRun, onOpenTable } = props;
  const varying = batch.varying;
  const counts = BATCH_RUN_STATES.filter(state => batch.counts[state])
    .map(state => `${batch.counts[state]} ${state}`)
    .join(', ');
  const running = batch.status === 'running';
  const header = (
    <tr aria-rowindex={1}>
      <th scope="col">#</th>
      <th scope="col">State</th>
      {varying.map(name => (
        <th scope="col" key={name}>
          {name}
        </th>
      ))}
      <th scope="col">Time</th>
      <th scope="col">Output</th>
    </tr>
  );
  const row = (index: number): JSX.Element => {
    const run = batch.runs[index];
    return (
      <tr
        key={run.identity}
        className="jp-dsl-vrow"
        aria-rowindex={index + 2}
        data-testid="dsl-batch-run"
        data-state={run.state}
      >
        <td>{run.position + 1}</td>
        <td>
          <span
            className={`jp-dsl-run-status jp-dsl-run-${run.state}`}
            data-testid="dsl-batch-run-state"
            title={run.error ?? undefined}
          >
            {run.state}
          </span>
          {run.error ? (
            <span className="jp-dsl-batch-error" data-testid="dsl-batch-run-error">
              {' '}
              {run.error}
            </span>
          ) : null}
        </td>
        {varying.map(name => (
          <td key={name}>{formatValue(run.parameters[name])}</td>
        ))}
        <td>{formatDuration(run.duration_s)}</td>
        <td>
          {run.run_id !== null && run.state !== 'running' ? (
            <button
              type="button"
              className="jp-dsl-link-button"
              onClick={() => onOpenRun(run.run_id as string)}
              aria-label={`Open the output notebook of run ${run.run_id}`}
              data-testid="dsl-batch-run-open"
            >
              open
            </button>
          ) : null}
        </td>
      </tr>
    );
  };
  return (
    <div
      className="jp-dsl-batch-progress"
      data-testid="dsl-batch-progress"
      data-batch={batch.id}
    >
      <p aria-live="polite">
        Batch <code data-testid="dsl-batch-id">{batch.id}</code>{' '}
        <span
          className={`jp-dsl-batch-status jp-dsl-run-${batch.status}`}
          data-testid="dsl-batch-status"
        >
          {batch.status}
          {running && batch.cancel_requested ? ' (cancelling…)' : ''}
        </span>
        : <span data-testid="dsl-batch-counts">{counts}</span>
      </p>
      <VirtualTable
        count={batch.runs.length}
        header={header}
        columns={varying.length + 4}
        label={`Runs of batch ${batch.id}`}
        testid="dsl-batch-runs"
        renderRow={row}
      />
      <ErrorList runs={batch.runs} />
      <div className="jp-dsl-actions">
        {running ? (
          <button
            className="jp-mod-styled jp-mod-warn"
            onClick={onCancel}
            disabled={batch.cancel_requested}
            data-testid="dsl-batch-cancel"
          >
            Cancel batch
          </button>
        ) : null}
        {onOpenTable ? (
          <button
            className="jp-mod-styled"
            onClick={() => onOpenTable(batch.id)}
            title="The batch's runs with every parameter and metric: sort, filter, compare, chart"
            data-testid="dsl-batch-open-main"
          >
            Open in main area
          </button>
        ) : null}
      </div>
    </div>
  );
}
