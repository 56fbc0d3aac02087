/**
 * The details of one recorded run, below the runs table: status, timings, the error (with its
 * traceback folded away), every parameter and metric, and a way to open the output notebook
 * read-only. Every value is data from the run index and is rendered as text.
 */
import React from 'react';

import { RunRecord, RunReply } from '../api';
import { IFetched } from '../fetched';
import { ErrorBox } from './common';
import { formatDuration, formatTime, formatValue, RUN_DETAILS_ID } from './format';
import { RunInputs } from './RunInputs';

function Values(props: {
  values: Record<string, unknown>;
  testid: string;
  empty: string;
}): JSX.Element {
  const names = Object.keys(props.values).sort();
  if (names.length === 0) {
    return <span className="jp-dsl-muted">{props.empty}</span>;
  }
  return (
    <dl className="jp-dsl-values" data-testid={props.testid}>
      {names.map(name => (
        <div key={name} className="jp-dsl-value">
          <dt>{name}</dt>
          <dd data-name={name}>{formatValue(props.values[name])}</dd>
        </div>
      ))}
    </dl>
  );
}

function Row(props: {
  label: string;
  testid: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <div className="jp-dsl-row" data-testid={props.testid}>
      <span className="jp-dsl-label">{props.label}</span>
      <span className="jp-dsl-row-value">{props.children}</span>
    </div>
  );
}

/** A reason of `RunRecord.unreproducible` in words. */
const REASONS: Record<string, string> = {
  untracked: 'untracked',
  ignored: 'git-ignored',
  modified: 'uncommitted changes',
  'no-git': 'no git repository'
};

function ErrorPart(props: { run: RunRecord }): JSX.Element | null {
  const { error } = props.run;
  if (error === null) {
    return null;
  }
  return (
    <div className="jp-dsl-run-error" data-testid="dsl-run-error">
      <div data-testid="dsl-run-error-summary">
        <strong>{error.ename}</strong>
        {error.evalue ? `: ${error.evalue}` : ''}
      </div>
      {error.cell !== null ? (
        <div className="jp-dsl-muted" data-testid="dsl-run-error-cell">
          in cell {error.cell}
          {error.execution_count !== null
            ? ` (execution ${error.execution_count})`
            : ''}
        </div>
      ) : null}
      {error.traceback.length > 0 ? (
        <details data-testid="dsl-run-traceback">
          <summary>Traceback</summary>
          <pre>{error.traceback.join('\n')}</pre>
        </details>
      ) : null}
    </div>
  );
}

function RecordView(props: {
  reply: RunReply;
  onOpenNotebook: (id: string) => void;
}): JSX.Element {
  const { run } = props.reply;
  const git = run.git;
  return (
    <>
      <Row label="Status" testid="dsl-run-details-status">
        <span className={`jp-dsl-run-status jp-dsl-run-${run.status}`}>
          {run.status}
        </span>
      </Row>
      <ErrorPart run={run} />
      <Row label="Started" testid="dsl-run-details-started">
        {formatTime(run.started_at)}
      </Row>
      {run.finished_at !== null ? (
        <Row label="Finished" testid="dsl-run-details-finished">
          {formatTime(run.finished_at)}
          {run.duration_s !== null ? ` (${formatDuration(run.duration_s)})` : ''}
        </Row>
      ) : null}
      {git !== null && git.commit !== null ? (
        <Row label="Git" testid="dsl-run-details-git">
          <code>{git.commit.slice(0, 7)}</code>
          {git.branch ? ` on ${git.branch}` : ''}
          {git.dirty ? ' (uncommitted changes)' : ''}
        </Row>
      ) : null}
      {run.unreproducible !== null && run.unreproducible.length > 0 ? (
        <Row label="Provenance" testid="dsl-run-details-unreproducible">
          not reproducible from {git !== null ? 'its commit' : 'a commit'}:{' '}
          {run.unreproducible
            .map(file => `${file.path} (${REASONS[file.reason] ?? file.reason})`)
            .join(', ')}
        </Row>
      ) : null}
      <h4>Metrics</h4>
      <Values
        values={run.metrics}
        testid="dsl-run-details-metrics"
        empty="No metrics recorded."
      />
      <h4>Parameters</h4>
      <Values
        values={run.parameters}
        testid="dsl-run-details-params"
        empty="The notebook's defaults."
      />
      <RunInputs inputs={run.inputs} />
      {run.warnings.length > 0 ? (
        <ul className="jp-dsl-notes" data-testid="dsl-run-warnings">
          {run.warnings.map((warning, index) => (
            <li key={index}>{warning}</li>
          ))}
        </ul>
      ) : null}
      <div className="jp-dsl-actions">
        {run.output_notebook !== null ? (
          <button
            type="button"
            className="jp-dsl-link-button"
            onClick={() => props.onOpenNotebook(run.id)}
            data-testid="dsl-run-open-notebook"
          >
            Open output notebook
          </button>
        ) : (
          <span className="jp-dsl-muted" data-testid="dsl-run-no-notebook">
            The run wrote no output notebook.
          </span>
        )}
      </div>
    </>
  );
}

export function RunDetails(props: {
  id: string;
  run: IFetched<RunReply>;
  loading: boolean;
  onClose: () => void;
  onOpenNotebook: (id: string) => void;
}): JSX.Element {
  const { id, run, loading } = props;
  return (
    <section
      id={RUN_DETAILS_ID}
      className="jp-dsl-run-details"
      aria-label={`Run ${id}`}
      data-testid="dsl-run-details"
      data-id={id}
    >
      <div className="jp-dsl-run-details-head">
        <span>
          Run <code data-testid="dsl-run-details-id">{id}</code>
        </span>
        <button
          type="button"
          className="jp-dsl-close"
          aria-label="Close the run details"
          title="Close"
          onClick={props.onClose}
          data-testid="dsl-run-details-close"
        >
          ×
        </button>
      </div>
      <ErrorBox error={run.error} context={`Could not read run ${id}`} />
      {loading ? <div className="jp-dsl-muted">Loading…</div> : null}
      {run.value !== null ? (
        <RecordView reply={run.value} onOpenNotebook={props.onOpenNotebook} />
      ) : null}
    </section>
  );
}
