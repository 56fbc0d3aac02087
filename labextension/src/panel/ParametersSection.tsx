/**
 * The Parameters section as a form: one field per parameter of the saved parameters cell (its
 * default as written until the user types), the project's config files to pick (and open in the
 * editor), the server's check of it all shown beside each field (debounced), and Run: one recorded
 * run started by the server, its progress, and the run in the Runs section when it is done.
 */
import React from 'react';

import { NotebookParameter } from '../api';
import { asApiError } from '../fetched';
import { ParamsFormModel } from '../paramsform';
import { Job } from '../wire';
import { ErrorBox, useSignal } from './common';
import { ISidebarContext } from './context';
import { ParamsSection } from './RunsView';

function ParameterField(props: {
  form: ParamsFormModel;
  parameter: NotebookParameter;
}): JSX.Element {
  const { form, parameter } = props;
  const id = `jp-dsl-param-input-${parameter.name}`;
  const error = form.check?.errors[parameter.name];
  const coerced = form.check?.coerced[parameter.name];
  const source = form.check?.sources[parameter.name];
  const bool = parameter.type === 'bool';
  const text = form.textOf(parameter);
  return (
    <div className="jp-dsl-param-field">
      <label htmlFor={id} className="jp-dsl-visually-hidden">
        Value of {parameter.name} ({parameter.type})
      </label>
      {bool ? (
        <select
          id={id}
          className="jp-mod-styled"
          value={text}
          aria-invalid={error ? true : undefined}
          data-testid="dsl-param-input"
          onChange={e => form.setText(parameter.name, e.target.value)}
        >
          {['True', 'False', ...(['True', 'False'].includes(text) ? [] : [text])].map(
            value => (
              <option key={value} value={value}>
                {value}
              </option>
            )
          )}
        </select>
      ) : (
        <input
          id={id}
          className="jp-mod-styled"
          type="text"
          inputMode={['int', 'float'].includes(parameter.type) ? 'decimal' : undefined}
          value={text}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          data-testid="dsl-param-input"
          onChange={e => form.setText(parameter.name, e.target.value)}
        />
      )}
      {error ? (
        <div
          id={`${id}-error`}
          className="jp-dsl-field-error"
          role="alert"
          data-testid="dsl-param-error"
        >
          {error}
        </div>
      ) : null}
      {!error && source && source !== 'the form' ? (
        <div className="jp-dsl-muted" data-testid="dsl-param-source">
          from {source}
        </div>
      ) : null}
      {coerced ? <div className="jp-dsl-muted">{coerced}</div> : null}
    </div>
  );
}

function ConfigPicker(props: { context: ISidebarContext }): JSX.Element | null {
  const { form } = props.context;
  const { value, error } = form.available;
  if (error) {
    return <ErrorBox error={error} context="Could not list the config files" />;
  }
  if (value === null || value.length === 0) {
    return value === null ? null : (
      <p className="jp-dsl-muted" data-testid="dsl-configs-none">
        No YAML config files in the project.
      </p>
    );
  }
  return (
    <fieldset className="jp-dsl-configs" data-testid="dsl-configs">
      <legend>Config files (later wins; typed values win over files)</legend>
      {value.map(path => {
        const problem = form.check?.config_errors[path];
        return (
          <div key={path} className="jp-dsl-config" data-testid="dsl-config">
            <label>
              <input
                type="checkbox"
                checked={form.configs.includes(path)}
                data-testid="dsl-config-pick"
                onChange={() => form.toggleConfig(path)}
              />{' '}
              <code>{path}</code>
            </label>{' '}
            <button
              type="button"
              className="jp-dsl-link-button"
              aria-label={`Edit ${path}`}
              data-testid="dsl-config-edit"
              onClick={() => props.context.actions.openFile(path)}
            >
              edit
            </button>
            {problem ? (
              <div
                className="jp-dsl-field-error"
                role="alert"
                data-testid="dsl-config-error"
              >
                {problem}
              </div>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}

function JobLine(props: { job: Job; now: number }): JSX.Element {
  const { job, now } = props;
  const started = Date.parse(job.started_at);
  const end = job.finished_at ? Date.parse(job.finished_at) : now;
  const seconds = Number.isFinite(started) ? Math.max(0, (end - started) / 1000) : 0;
  const text =
    job.state === 'running'
      ? `Running… ${seconds.toFixed(0)} s`
      : job.state === 'done'
        ? `Run ${job.run?.id ?? ''} ${job.run?.status ?? ''} in ${seconds.toFixed(1)} s: see Runs`
        : `The run could not be recorded: ${job.error?.message ?? ''}`;
  return (
    <div
      className={`jp-dsl-job jp-dsl-job-${job.state}`}
      role="status"
      data-testid="dsl-job"
      data-state={job.state}
    >
      {job.state === 'running' ? <span className="jp-dsl-spinner" aria-hidden /> : null}
      {text}
    </div>
  );
}

function useClock(active: boolean): number {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    if (!active) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function ParametersSection(props: {
  context: ISidebarContext;
}): JSX.Element | null {
  const { model, form, actions } = props.context;
  useSignal(model.changed);
  useSignal(form.changed);
  const [error, setError] = React.useState<ReturnType<typeof asApiError> | null>(null);
  const [starting, setStarting] = React.useState(false);
  const now = useClock(form.running);
  const path = model.path;
  if (path === null) {
    return null;
  }
  const params = model.params.value;
  const check = form.check;
  const run = async (): Promise<void> => {
    setError(null);
    setStarting(true);
    try {
      await form.run();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setStarting(false);
    }
  };
  const latest = form.jobs[0];
  return (
    <ParamsSection
      path={path}
      params={model.params}
      field={
        params
          ? parameter => <ParameterField form={form} parameter={parameter} />
          : undefined
      }
    >
      <div className="jp-dsl-actions">
        <button
          className="jp-mod-styled"
          onClick={() => actions.makeParametersCell()}
          title="Tag the notebook's active cell `parameters` (the tag leaves any other cell)"
          aria-label="Make the notebook's active cell the parameters cell"
          data-testid="dsl-make-params-cell"
        >
          Make this the parameters cell
        </button>
      </div>
      {params !== null && params.cell !== null && model.noProject === null ? (
        <form
          className="jp-dsl-form"
          aria-label="Run with these values"
          onSubmit={e => {
            e.preventDefault();
            void run();
          }}
        >
          <ConfigPicker context={props.context} />
          {check && !check.valid ? (
            <div
              className="jp-dsl-field-error"
              role="alert"
              data-testid="dsl-values-invalid"
            >
              {check.message}
            </div>
          ) : null}
          <ErrorBox error={form.checkError} context="Could not check the values" />
          {model.dirty ? (
            <p className="jp-dsl-muted" data-testid="dsl-save-first">
              The notebook has unsaved changes: save it before a run (the run uses the
              saved file).
            </p>
          ) : null}
          <div className="jp-dsl-actions">
            <button
              type="submit"
              className="jp-mod-styled jp-mod-accept"
              disabled={starting || (check !== null && !check.valid)}
              data-testid="dsl-run-button"
            >
              Run
            </button>
            <button
              type="button"
              className="jp-mod-styled"
              onClick={() => form.reset()}
              data-testid="dsl-values-reset"
            >
              Defaults
            </button>
            {form.checking ? (
              <span className="jp-dsl-muted" data-testid="dsl-values-checking">
                checking…
              </span>
            ) : null}
          </div>
          <ErrorBox error={error} context="Could not start the run" />
          {latest ? <JobLine job={latest} now={now} /> : null}
        </form>
      ) : null}
    </ParamsSection>
  );
}
