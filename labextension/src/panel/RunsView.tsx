/**
 * The "Parameters" and "Runs" sections of the sidebar: the saved notebook's parameters cell and
 * its latest recorded runs (status, start, the parameters that vary between them, the metrics).
 * Every value is data from the notebook or the run index and is rendered as text.
 */
import React from 'react';

import { ParamsReply, RunsReply, RunSummary } from '../api';
import { IFetched } from '../model';
import { ErrorBox } from './common';

/** `text` as one shell word (POSIX quoting only when needed). */
export function shellQuote(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** A parameter or metric value the way `jupyter dsl runs` prints it (floats with 6 digits). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) {
    return 'None';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? String(value)
      : String(Number(value.toPrecision(6)));
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  return JSON.stringify(value);
}

/** An ISO start time, compactly, as "MM-DD HH:MM" (as recorded; no time zone arithmetic). */
export function formatStart(iso: string): string {
  const match = /^\d{4}-(\d\d-\d\d)[T ](\d\d:\d\d)/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}

function typeText(type: string, optional: boolean): string {
  return optional && type !== 'None' && type !== 'any' ? `${type} or None` : type;
}

export function ParamsSection(props: {
  path: string;
  params: IFetched<ParamsReply>;
}): JSX.Element {
  const { path } = props;
  const { value, error } = props.params;
  let body: JSX.Element | null = null;
  if (value !== null && value.cell === null) {
    body = (
      <p className="jp-dsl-muted" data-testid="dsl-params-none">
        No cell is tagged <code>parameters</code>. Tag the cell that assigns the
        defaults:{' '}
        <code data-testid="dsl-params-hint">
          jupyter dsl params {shellQuote(path)} --tag-cell N
        </code>{' '}
        (N counts cells from 1), or add the tag in the property inspector.
      </p>
    );
  } else if (value !== null && value.parameters.length === 0) {
    body = (
      <p className="jp-dsl-muted" data-testid="dsl-params-empty">
        The parameters cell (cell {(value.cell ?? 0) + 1}) assigns no parameters.
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
    </section>
  );
}

function RunRow(props: { run: RunSummary; reply: RunsReply }): JSX.Element {
  const { run, reply } = props;
  return (
    <tr data-testid="dsl-run" data-id={run.id}>
      <td>
        <span
          className={`jp-dsl-run-status jp-dsl-run-${run.status}`}
          data-testid="dsl-run-status"
          title={run.id}
        >
          {run.status}
        </span>
      </td>
      <td data-testid="dsl-run-started" title={run.started_at}>
        {formatStart(run.started_at)}
      </td>
      {reply.varying_parameters.map(name => (
        <td key={`p:${name}`} data-testid={`dsl-run-param-${name}`}>
          {name in run.parameters ? formatValue(run.parameters[name]) : ''}
        </td>
      ))}
      {reply.metrics.map(name => (
        <td key={`m:${name}`} data-testid={`dsl-run-metric-${name}`}>
          {name in run.metrics ? formatValue(run.metrics[name]) : ''}
        </td>
      ))}
    </tr>
  );
}

export function RunsSection(props: {
  path: string;
  runs: IFetched<RunsReply>;
  loading: boolean;
  onRefresh: () => void;
}): JSX.Element {
  const { path, loading } = props;
  const { value, error } = props.runs;
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
    body = (
      <div className="jp-dsl-runs-table">
        <table data-testid="dsl-runs-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Started</th>
              {value.varying_parameters.map(name => (
                <th key={`p:${name}`} data-testid="dsl-runs-param-column">
                  {name}
                </th>
              ))}
              {value.metrics.map(name => (
                <th
                  key={`m:${name}`}
                  className="jp-dsl-metric"
                  data-testid="dsl-runs-metric-column"
                >
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {value.runs.map(run => (
              <RunRow key={run.id} run={run} reply={value} />
            ))}
          </tbody>
        </table>
      </div>
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
      </div>
    </section>
  );
}
