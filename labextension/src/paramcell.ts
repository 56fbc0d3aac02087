/**
 * "Make this the parameters cell": the papermill `parameters` tag moved onto one code cell, through
 * the open notebook's model (the cells' metadata), never by writing the file behind the editor.
 * Only the `tags` of the chosen cell and of the cell that had the tag change.
 */
import { INotebookModel } from '@jupyterlab/notebook';

import { DslApiError } from './api';

export const PARAMETERS_TAG = 'parameters';

interface ICellLike {
  type: string;
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: unknown): void;
  deleteMetadata(key: string): void;
}

function cellAt(model: INotebookModel, index: number): ICellLike {
  return model.cells.get(index) as unknown as ICellLike;
}

/** A cell's tags (a copy; non-string entries dropped). */
export function tagsOf(cell: ICellLike): string[] {
  const tags = cell.getMetadata('tags');
  return Array.isArray(tags)
    ? tags.filter((t): t is string => typeof t === 'string')
    : [];
}

/** The index of the first cell tagged `parameters`, or null. */
export function parametersCellIndex(model: INotebookModel): number | null {
  for (let i = 0; i < model.cells.length; i++) {
    if (tagsOf(cellAt(model, i)).includes(PARAMETERS_TAG)) {
      return i;
    }
  }
  return null;
}

export interface IRetagged {
  changed: boolean;
  /** The cells that lost the tag. */
  movedFrom: number[];
}

function setTags(cell: ICellLike, tags: string[]): void {
  if (tags.length === 0) {
    cell.deleteMetadata('tags');
  } else {
    cell.setMetadata('tags', tags);
  }
}

/** Tag code cell `index` (from 0) `parameters`, taking the tag off any other cell. */
export function makeParametersCell(model: INotebookModel, index: number): IRetagged {
  if (index < 0 || index >= model.cells.length) {
    throw new DslApiError(0, `the notebook has no cell ${index + 1}`);
  }
  const chosen = cellAt(model, index);
  if (chosen.type !== 'code') {
    throw new DslApiError(
      0,
      `cell ${index + 1} is a ${chosen.type} cell`,
      'The parameters cell is a code cell that assigns the defaults.'
    );
  }
  const movedFrom: number[] = [];
  for (let i = 0; i < model.cells.length; i++) {
    const cell = cellAt(model, i);
    const tags = tagsOf(cell);
    if (i !== index && tags.includes(PARAMETERS_TAG)) {
      setTags(
        cell,
        tags.filter(t => t !== PARAMETERS_TAG)
      );
      movedFrom.push(i);
    }
  }
  const tags = tagsOf(chosen);
  if (!tags.includes(PARAMETERS_TAG)) {
    setTags(chosen, [...tags, PARAMETERS_TAG]);
    return { changed: true, movedFrom };
  }
  return { changed: movedFrom.length > 0, movedFrom };
}
