/**
 * "Make this the parameters cell" on a real JupyterLab NotebookModel: the tag moves, other tags
 * and every source stay, a markdown cell is refused, and the document becomes dirty.
 */
import { NotebookModel } from '@jupyterlab/notebook/lib/model';

import { makeParametersCell, parametersCellIndex } from '../paramcell';

function model(): NotebookModel {
  const nb = new NotebookModel();
  nb.fromJSON({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', id: 'm', metadata: {}, source: '# Title' },
      {
        cell_type: 'code',
        id: 'a',
        metadata: { tags: ['parameters', 'keep'] },
        source: 'alpha = 1',
        execution_count: null,
        outputs: []
      },
      {
        cell_type: 'code',
        id: 'b',
        metadata: { collapsed: true },
        source: 'beta = 2',
        execution_count: null,
        outputs: []
      }
    ]
  });
  nb.dirty = false;
  return nb;
}

describe('makeParametersCell', () => {
  it('moves the tag to the chosen code cell and leaves everything else', () => {
    const nb = model();
    const before = nb.toJSON().cells;
    expect(parametersCellIndex(nb)).toBe(1);
    expect(makeParametersCell(nb, 2)).toEqual({ changed: true, movedFrom: [1] });
    const after = nb.toJSON().cells;
    expect(after[1].metadata).toEqual({ tags: ['keep'] });
    expect(after[2].metadata).toEqual({ ...before[2].metadata, tags: ['parameters'] });
    expect(after[2].metadata).toMatchObject({ collapsed: true });
    expect(after.map(c => c.source)).toEqual(before.map(c => c.source));
    expect(after[0]).toEqual(before[0]);
    expect(parametersCellIndex(nb)).toBe(2);
    expect(nb.dirty).toBe(true);
  });

  it('changes nothing when the cell is already the parameters cell', () => {
    const nb = model();
    expect(makeParametersCell(nb, 1)).toEqual({ changed: false, movedFrom: [] });
    expect(nb.dirty).toBe(false);
  });

  it('refuses a markdown cell and a cell that does not exist', () => {
    const nb = model();
    expect(() => makeParametersCell(nb, 0)).toThrow('cell 1 is a markdown cell');
    expect(() => makeParametersCell(nb, 7)).toThrow('the notebook has no cell 8');
    expect(parametersCellIndex(nb)).toBe(1);
  });
});
