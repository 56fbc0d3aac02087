/**
 * The "Batch" section: rerun the notebook over a grid of parameter sets, each run in a fresh kernel.
 *
 * A grid editor (one field of values per parameter of the saved parameters cell), a preview of the
 * parameter sets and their count (asked from the server, debounced: no request per keystroke), Run
 * with N workers, then the live progress of each run, and Cancel. All values are shown as text.
 */
import React from 'react';

import {
  DslApi,
  DslApiError,
  GridPreview,
  GridValues,
  NotebookParameter,
  ParamsReply
} from '../api';
import { BatchModel } from '../batchmodel';
import { DslModel } from '../model';
import { asApiError, IFetched } from '../fetched';
import { ErrorBox, useSignal } from './common';
import { formatValue } from './format';
import { ProgressView } from './BatchProgress';

/** How long the editor waits after the last keystroke before asking for a preview, in ms. */
export const PREVIEW_DEBOUNCE_MS = 400;
/** Parameter sets the preview lists (it counts them all). */
export const PREVIEW_SHOWN = 20;
export const DEFAULT_WORKERS = 2;

/** The grid the editor's fields describe: only the parameters given values. */
export function gridOf(values: Record<string, string>): GridValues {
  const grid: GridValues = {};
  for (const [name, text] of Object.entries(values)) {
    if (text.trim() !== '') {
      grid[name] = text;
    }
  }
  return grid;
}

/** The preview of `grid`, asked `delay` ms after it last changed; stale answers are dropped. */
export function useGridPreview(
  api: DslApi,
  path: string,
  grid: GridValues,
  delay = PREVIEW_DEBOUNCE_MS
): { preview: GridPreview | null; error: DslApiError | null; pending: boolean } {
  const key = JSON.stringify(grid);
  const [state, setState] = React.useState<{
    key: string;
    preview: GridPreview | null;
    error: DslApiError | null;
  }>({ key: '', preview: null, error: null });
  React.useEffect(() => {
    if (key === '{}') {
      setState({ key, preview: null, error: null });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api.previewBatch({ path, grid: JSON.parse(key) as GridValues }).then(
        preview => current && setState({ key, preview, error: null }),
        caught => current && setState({ key, preview: null, error: asApiError(caught) })
      );
    }, delay);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, path, key, delay]);
  const fresh = state.key === key;
  return {
    preview: fresh ? state.preview : null,
    error: fresh ? state.error : null,
    pending: !fresh && key !== '{}'
  };
}

export function GridEditor(props: {
  parameters: NotebookParameter[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  disabled?: boolean;
}): JSX.Element {
  const { parameters, values, onChange } = props;
  return (
    <fieldset className="jp-dsl-grid" data-testid="dsl-grid" disabled={props.disabled}>
      <legend>Values to try (comma-separated; empty: the default)</legend>
      {parameters.map(parameter => {
        const id = `jp-dsl-grid-${parameter.name}`;
        return (
          <div className="jp-dsl-grid-row" key={parameter.name}>
            <label htmlFor={id} title={parameter.help || undefined}>
              <code>{parameter.name}</code>{' '}
              <span className="jp-dsl-param-type">{parameter.type}</span>
            </label>
            <input
              id={id}
              className="jp-mod-styled"
              type="text"
              value={values[parameter.name] ?? ''}
              placeholder={parameter.default}
              aria-label={`Values of ${parameter.name}, separated by commas (default ${parameter.default})`}
              data-testid="dsl-grid-values"
              data-name={parameter.name}
              onChange={event =>
                onChange({ ...values, [parameter.name]: event.target.value })
              }
            />
          </div>
        );
      })}
    </fieldset>
  );
}

export function PreviewView(props: {
  preview: GridPreview | null;
  error: DslApiError | null;
  pending: boolean;
}): JSX.Element | null {
  const { preview, error, pending } = props;
  if (pending) {
    return (
      <p className="jp-dsl-muted" data-testid="dsl-batch-preview-pending">
        Checking the grid…
      </p>
    );
  }
  if (error !== null) {
    return <ErrorBox error={error} context="Could not check the grid" />;
  }
  if (preview === null) {
    return null;
  }
  if (preview.errors.length > 0) {
    return (
      <div className="jp-dsl-error" role="alert" data-testid="dsl-batch-preview-errors">
        <ul>
          {preview.errors.map(message => (
            <li key={message} data-testid="dsl-batch-preview-error">
              {message}
            </li>
          ))}
        </ul>
        {preview.hint ? <div className="jp-dsl-error-hint">{preview.hint}</div> : null}
      </div>
    );
  }
  const shown = preview.sets.slice(0, PREVIEW_SHOWN);
  return (
    <div className="jp-dsl-batch-preview" data-testid="dsl-batch-preview">
      <p aria-live="polite" data-testid="dsl-batch-count">
        {preview.count} parameter {preview.count === 1 ? 'set' : 'sets'}
      </p>
      <table aria-label="Parameter sets of the batch">
        <thead>
          <tr>
            <th scope="col">#</th>
            {preview.varying.map(name => (
              <th scope="col" key={name}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((set, index) => (
            <tr key={set.identity} data-testid="dsl-batch-preview-set">
              <td>{index + 1}</td>
              {preview.varying.map(name => (
                <td key={name}>{formatValue(set.parameters[name])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {preview.count > shown.length ? (
        <p className="jp-dsl-muted">and {preview.count - shown.length} more</p>
      ) : null}
    </div>
  );
}

/** The Batch section's model for the sidebar's lifetime (disposed with it). */
export function useBatchModel(model: DslModel): BatchModel {
  const batches = React.useMemo(() => new BatchModel(model), [model]);
  React.useEffect(() => () => batches.dispose(), [batches]);
  return batches;
}

export function BatchSection(props: {
  batches: BatchModel;
  path: string;
  params: IFetched<ParamsReply>;
  onOpenRun: (id: string) => void;
}): JSX.Element {
  const { batches, path } = props;
  useSignal(batches.changed);
  const [values, setValues] = React.useState<Record<string, string>>({});
  const [workers, setWorkers] = React.useState(DEFAULT_WORKERS);
  React.useEffect(() => setValues({}), [path]);
  const grid = gridOf(values);
  const { preview, error, pending } = useGridPreview(batches.dsl.api, path, grid);
  const parameters = props.params.value?.parameters ?? [];
  const batch = batches.batch;
  const ready = preview !== null && preview.errors.length === 0 && preview.count > 0;
  const run = (): void => {
    void batches.start({ grid, workers });
  };
  return (
    <section
      className="jp-dsl-section"
      data-testid="dsl-batch"
      aria-labelledby="jp-dsl-batch-title"
    >
      <h3 id="jp-dsl-batch-title">Batch</h3>
      {parameters.length === 0 ? (
        <p className="jp-dsl-muted" data-testid="dsl-batch-no-params">
          A batch varies the parameters of the cell tagged <code>parameters</code>; this
          notebook (as saved) has none.
        </p>
      ) : (
        <>
          <GridEditor parameters={parameters} values={values} onChange={setValues} />
          <PreviewView preview={preview} error={error} pending={pending} />
          <div className="jp-dsl-actions">
            <label>
              Workers{' '}
              <input
                className="jp-mod-styled jp-dsl-workers"
                type="number"
                min={1}
                max={64}
                value={workers}
                onChange={event =>
                  setWorkers(Math.max(1, Number(event.target.value) || 1))
                }
                data-testid="dsl-batch-workers"
              />
            </label>
            <button
              className="jp-mod-styled jp-mod-accept"
              onClick={run}
              disabled={!ready || batches.busy}
              aria-label={`Run the batch: ${preview?.count ?? 0} runs, ${workers} at once`}
              data-testid="dsl-batch-start"
            >
              {batches.busy ? 'Starting…' : 'Run batch'}
            </button>
          </div>
        </>
      )}
      <ErrorBox error={batches.error} context="Batch" />
      {batch !== null ? (
        <ProgressView
          batch={batch}
          onCancel={() => void batches.cancel()}
          onOpenRun={props.onOpenRun}
        />
      ) : null}
    </section>
  );
}
