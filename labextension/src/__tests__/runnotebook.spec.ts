/**
 * The model behind the read-only output notebook tab, on a real JupyterLab `NotebookModel`:
 * the run's cells and outputs as the server sent them, read-only, clean, and untrusted even when
 * the file claims trust.
 */
import { INotebookContent } from '@jupyterlab/nbformat';

import { readOnlyModel, runNotebookId } from '../panel/RunNotebook';

const OUTPUT: INotebookContent = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { papermill: { parameters: { alpha: 0.3 } } },
  cells: [
    { cell_type: 'markdown', id: 'title', metadata: {}, source: '# Tune alpha' },
    {
      cell_type: 'code',
      id: 'record',
      metadata: { trusted: true },
      source: 'jupyter_dsl.record("score", alpha * 2)',
      execution_count: 3,
      outputs: [
        {
          output_type: 'display_data',
          metadata: {},
          data: {
            'text/html': '<script>alert(1)</script><b>score</b>',
            'text/plain': 'score = 0.6'
          }
        }
      ]
    }
  ]
};

describe('readOnlyModel', () => {
  it("holds the run's cells and outputs, read-only, clean and untrusted", () => {
    const model = readOnlyModel(OUTPUT);
    expect(model.readOnly).toBe(true);
    expect(model.dirty).toBe(false);
    const cells = model.toJSON().cells;
    expect(cells.map(cell => cell.source)).toEqual([
      '# Tune alpha',
      'jupyter_dsl.record("score", alpha * 2)'
    ]);
    expect(cells[1].outputs).toEqual(OUTPUT.cells[1].outputs);
    expect([...model.cells].map(cell => cell.trusted)).toEqual([false, false]);
    model.dispose();
  });

  it('names the tab of a run after the run', () => {
    expect(runNotebookId('20260101-120000-aaaaaa')).toBe(
      'jupyter-dsl-run-notebook-20260101-120000-aaaaaa'
    );
  });
});
