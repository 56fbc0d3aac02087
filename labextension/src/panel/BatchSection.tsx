/**
 * The "Batch" section: rerun the notebook over a grid of parameter sets, each run in a fresh kernel.
 *
 * A grid editor (one field of values per parameter of the saved parameters cell; the project's grid
 * files load into it), a preview of the parameter sets and their count (asked from the server,
 * debounced: no request per keystroke), Run with N workers (a whole number from 1 to 64, checked
 * as typed), then the live progress of each run, and Cancel (asked first: running runs are
 * interrupted). All values are shown as text.
 */
import React from 'react';

import {
  BatchRequest,
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
import { ISidebarActions } from './context';
import { formatValue } from './format';
import { ProgressView } from './BatchProgress';
import { extrasOf, GridFilesPicker, LoadedGridNote, useGridEditor } from './GridFiles';

/** How long the editor waits after the last keystroke before asking for a preview, in ms. */
export const PREVIEW_DEBOUNCE_MS = 400;
/** Parameter sets the preview lists (it counts them all). */
export const PREVIEW_SHOWN = 20;
export const DEFAULT_WORKERS = 2;
/** The most workers a batch takes (the server refuses more). */
export const MAX_WORKERS = 64;

/** Why `text` is not a number of workers (null when it is one: a whole number from 1 to 64). */
export function workersProblem(text: string): string | null {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (/^\d+$/.test(trimmed) && value >= 1 && value <= MAX_WORKERS) {
    return null;
  }
  const shown = trimmed === '' ? 'empty' : `not ${JSON.stringify(trimmed)}`;
  return `Workers must be a whole number from 1 to ${MAX_WORKERS}, ${shown}`;
}

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

/** What a batch request holds besides the grid (a loaded grid file's fixed values and matrix). */
export type GridExtras = Pick<BatchRequest, 'parameters' | 'matrix'>;

/**
 * The preview of `grid` (with `extras`), asked `delay` ms after it last changed; stale answers
 * are dropped.
 */
export function useGridPreview(
  api: DslApi,
  path: string,
  grid: GridValues,
  delay = PREVIEW_DEBOUNCE_MS,
  extras: GridExtras = {}
): { preview: GridPreview | null; error: DslApiError | null; pending: boolean } {
  const empty = Object.keys(grid).length === 0 && (extras.matrix ?? []).length === 0;
  const key = empty ? '{}' : JSON.stringify({ ...extras, grid });
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
      const request = JSON.parse(key) as Omit<BatchRequest, 'path'>;
      api.previewBatch({ ...request, path }).then(
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
  const { values, onChange } = props;
  // a loaded grid file may name what the notebook does not have: shown, so it can be emptied
  const known = new Set(props.parameters.map(p => p.name));
  const unknown: NotebookParameter[] = Object.keys(values)
    .filter(name => !known.has(name) && values[name].trim() !== '')
    .map(name => ({
      name,
      type: 'not a parameter',
      default: '',
      help: 'The notebook has no such parameter',
      annotation: '',
      optional: true
    }));
  const parameters = [...props.parameters, ...unknown];
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
  /** Open a batch's runs as a full table in the main area. */
  onOpenTable?: (batchId: string) => void;
  /** The project's grid files (loaded into the editor, or opened to edit). */
  gridFiles?: IFetched<string[]>;
  onEditFile?: (path: string) => void;
  /** Asks before Cancel (running runs are interrupted); without it, Cancel does not ask. */
  confirm?: ISidebarActions['confirm'];
  /** The workers a batch starts with (the `defaultWorkers` setting). */
  defaultWorkers?: number;
}): JSX.Element {
  const { batches, path } = props;
  useSignal(batches.changed);
  const editor = useGridEditor(batches.dsl.api, path);
  const [workers, setWorkers] = React.useState(
    String(props.defaultWorkers ?? DEFAULT_WORKERS)
  );
  const grid = gridOf(editor.values);
  const extras = extrasOf(editor.loaded);
  const { preview, error, pending } = useGridPreview(
    batches.dsl.api,
    path,
    grid,
    PREVIEW_DEBOUNCE_MS,
    extras
  );
  const parameters = props.params.value?.parameters ?? [];
  const batch = batches.batch;
  const workersError = workersProblem(workers);
  const ready =
    preview !== null &&
    preview.errors.length === 0 &&
    preview.count > 0 &&
    workersError === null;
  const run = (): void => {
    void batches.start({ ...extras, grid, workers: Number(workers.trim()) });
  };
  const cancel = async (): Promise<void> => {
    const running = batch?.counts.running ?? 0;
    const queued = batch?.counts.queued ?? 0;
    const ok =
      props.confirm === undefined ||
      (await props.confirm({
        title: 'Cancel the batch',
        body: `Interrupt the ${running} running ${running === 1 ? 'run' : 'runs'} (recorded as interrupted; their work is lost) and leave the ${queued} queued ${queued === 1 ? 'set' : 'sets'} unstarted?`,
        accept: 'Cancel batch',
        warn: true
      }));
    if (ok) {
      await batches.cancel();
    }
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
          {props.gridFiles ? (
            <GridFilesPicker
              files={props.gridFiles}
              editor={editor}
              onEdit={file => props.onEditFile?.(file)}
            />
          ) : null}
          <GridEditor
            parameters={parameters}
            values={editor.values}
            onChange={editor.setValues}
          />
          <LoadedGridNote editor={editor} />
          <PreviewView preview={preview} error={error} pending={pending} />
          <div className="jp-dsl-actions">
            <label>
              Workers{' '}
              <input
                className="jp-mod-styled jp-dsl-workers"
                type="number"
                min={1}
                max={MAX_WORKERS}
                step={1}
                value={workers}
                aria-invalid={workersError !== null ? true : undefined}
                aria-describedby={
                  workersError !== null ? 'jp-dsl-batch-workers-error' : undefined
                }
                onChange={event => setWorkers(event.target.value)}
                data-testid="dsl-batch-workers"
              />
            </label>
            <button
              className="jp-mod-styled jp-mod-accept"
              onClick={run}
              disabled={!ready || batches.busy}
              aria-label={`Run the batch: ${preview?.count ?? 0} runs, ${workersError === null ? workers.trim() : '?'} at once`}
              data-testid="dsl-batch-start"
            >
              {batches.busy ? 'Starting…' : 'Run batch'}
            </button>
          </div>
          {workersError !== null ? (
            <div
              id="jp-dsl-batch-workers-error"
              className="jp-dsl-field-error"
              role="alert"
              data-testid="dsl-batch-workers-error"
            >
              {workersError}
            </div>
          ) : null}
        </>
      )}
      <ErrorBox error={batches.error} context="Batch" />
      {batch !== null ? (
        <ProgressView
          batch={batch}
          onCancel={() => void cancel()}
          onOpenRun={props.onOpenRun}
          onOpenTable={props.onOpenTable}
        />
      ) : null}
    </section>
  );
}
