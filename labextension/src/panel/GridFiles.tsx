/**
 * The project's grid files in the Batch section (a top-level `grid:`, `matrix:` or `parameters:`:
 * the server tells them apart from config files), each to load into the grid editor or to edit,
 * and the editor's state: the values typed or loaded, and what a loaded file holds that the
 * fields cannot (the fixed values a matrix entry also sets, the matrix), sent with the grid.
 */
import React from 'react';

import { DslApi, DslApiError, GridFile } from '../api';
import { asApiError, IFetched } from '../fetched';
import { ErrorBox } from './common';
import { formatValue } from './format';

/** What a loaded grid file adds to the editor's fields. */
export interface ILoadedGrid {
  path: string;
  parameters: Record<string, unknown>;
  matrix: Record<string, unknown>[];
}

/** The part of a batch request a loaded grid file adds (nothing when it adds nothing). */
export function extrasOf(loaded: ILoadedGrid | null): {
  parameters?: Record<string, unknown>;
  matrix?: Record<string, unknown>[];
} {
  const extras: {
    parameters?: Record<string, unknown>;
    matrix?: Record<string, unknown>[];
  } = {};
  if (loaded !== null && Object.keys(loaded.parameters).length > 0) {
    extras.parameters = loaded.parameters;
  }
  if (loaded !== null && loaded.matrix.length > 0) {
    extras.matrix = loaded.matrix;
  }
  return extras;
}

export interface IGridEditorState {
  values: Record<string, string>;
  setValues: (values: Record<string, string>) => void;
  loaded: ILoadedGrid | null;
  loadError: DslApiError | null;
  loading: boolean;
  /** Replace the editor's values with a grid file's. */
  load: (file: string) => Promise<void>;
  /** Empty every field and forget the loaded file. */
  clear: () => void;
}

/** The grid editor's state for notebook `path` (emptied when another notebook is active). */
export function useGridEditor(
  api: Pick<DslApi, 'loadGridFile'>,
  path: string
): IGridEditorState {
  const [values, setValues] = React.useState<Record<string, string>>({});
  const [loaded, setLoaded] = React.useState<ILoadedGrid | null>(null);
  const [loadError, setLoadError] = React.useState<DslApiError | null>(null);
  const [loading, setLoading] = React.useState(false);
  const current = React.useRef(path);
  const clear = React.useCallback(() => {
    setValues({});
    setLoaded(null);
    setLoadError(null);
  }, []);
  React.useEffect(() => {
    current.current = path;
    clear();
  }, [path, clear]);
  const load = async (file: string): Promise<void> => {
    setLoading(true);
    setLoadError(null);
    try {
      const grid: GridFile = await api.loadGridFile(file);
      if (current.current === path) {
        setValues({ ...grid.grid });
        setLoaded({
          path: grid.path,
          parameters: grid.parameters,
          matrix: grid.matrix
        });
      }
    } catch (caught) {
      if (current.current === path) {
        setLoadError(asApiError(caught));
      }
    } finally {
      setLoading(false);
    }
  };
  return { values, setValues, loaded, loadError, loading, load, clear };
}

/** The grid files to load into the editor (or open in the editor of files). */
export function GridFilesPicker(props: {
  files: IFetched<string[]>;
  editor: IGridEditorState;
  onEdit: (path: string) => void;
}): JSX.Element | null {
  const { files, editor, onEdit } = props;
  const list = files.value ?? [];
  if (list.length === 0) {
    return null;
  }
  return (
    <div className="jp-dsl-grid-files" data-testid="dsl-grid-files">
      <div className="jp-dsl-muted">Grid files of the project</div>
      <ul>
        {list.map(file => (
          <li key={file} data-testid="dsl-grid-file" data-path={file}>
            <code>{file}</code>{' '}
            <button
              type="button"
              className="jp-dsl-link-button"
              disabled={editor.loading}
              aria-label={`Load ${file} into the grid editor`}
              data-testid="dsl-grid-file-load"
              onClick={() => void editor.load(file)}
            >
              load
            </button>{' '}
            <button
              type="button"
              className="jp-dsl-link-button"
              aria-label={`Edit ${file}`}
              data-testid="dsl-grid-file-edit"
              onClick={() => onEdit(file)}
            >
              edit
            </button>
          </li>
        ))}
      </ul>
      <ErrorBox error={editor.loadError} context="Could not load the grid file" />
    </div>
  );
}

/** Which file the editor holds, what of it the fields do not show, and Clear. */
export function LoadedGridNote(props: {
  editor: IGridEditorState;
}): JSX.Element | null {
  const { editor } = props;
  const { loaded } = editor;
  const empty = Object.values(editor.values).every(text => text.trim() === '');
  if (loaded === null && empty) {
    return null;
  }
  const fixed = Object.entries(loaded?.parameters ?? {});
  const matrix = loaded?.matrix ?? [];
  return (
    <div className="jp-dsl-grid-loaded" data-testid="dsl-grid-loaded">
      {loaded !== null ? (
        <span className="jp-dsl-muted">
          From <code data-testid="dsl-grid-loaded-path">{loaded.path}</code>
          {fixed.length > 0
            ? `; fixed: ${fixed.map(([name, value]) => `${name} = ${formatValue(value)}`).join(', ')}`
            : ''}
          {matrix.length > 0
            ? `; with each of its ${matrix.length} matrix ${matrix.length === 1 ? 'set' : 'sets'}`
            : ''}
          .{' '}
        </span>
      ) : null}
      <button
        type="button"
        className="jp-dsl-link-button"
        data-testid="dsl-grid-clear"
        onClick={editor.clear}
      >
        Clear
      </button>
    </div>
  );
}
