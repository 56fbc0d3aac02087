/**
 * The sidebar model's run selection against a real HTTP server on the loopback interface: the
 * details of the selected run are fetched from `GET /jupyter-dsl/runs/{id}`, an answer that
 * arrives after another run was selected is dropped, and an error is kept for the view.
 */
import { NotebookTracker } from '@jupyterlab/notebook/lib/tracker';

import { DslModel } from '../model';
import { Loopback } from './loopback';

const wire = new Loopback();

beforeAll(() => wire.start());
afterAll(() => wire.stop());

let model: DslModel;

beforeEach(() => {
  wire.reset();
  // A real tracker with no notebook open: the model asks the server only for what a test selects.
  const tracker = new NotebookTracker({ namespace: 'model-runs-test' });
  model = new DslModel(tracker, wire.api());
});

afterEach(() => model.dispose());

const record = (id: string): object => ({
  run: { id, status: 'succeeded', metrics: { score: 0.6 } },
  output: null
});

describe('selecting a run', () => {
  it("fetches the selected run's record and clears it again", async () => {
    wire.answer('GET', 'runs/r1', 200, record('r1'));
    let changes = 0;
    model.changed.connect(() => changes++);

    const selecting = model.selection.select('r1');
    expect(model.selection.selected).toBe('r1');
    expect(model.selection.loading).toBe(true);
    await selecting;

    expect(wire.recorded.map(r => r.path)).toEqual(['/base/jupyter-dsl/runs/r1']);
    expect(model.selection.loading).toBe(false);
    expect(model.selection.run).toEqual({ value: record('r1'), error: null });
    expect(changes).toBeGreaterThanOrEqual(2); // loading, then loaded

    await model.selection.select(null);
    expect(model.selection.selected).toBeNull();
    expect(model.selection.run).toEqual({ value: null, error: null });
    expect(wire.recorded).toHaveLength(1);
  });

  it('drops the answer for a run that is no longer selected', async () => {
    let release = (): void => undefined;
    const released = new Promise<void>(resolve => (release = resolve));
    wire.answer('GET', 'runs/slow', 200, record('slow'), released);
    wire.answer('GET', 'runs/fast', 200, record('fast'));

    const first = model.selection.select('slow');
    await model.selection.select('fast');
    release();
    await first;

    expect(model.selection.selected).toBe('fast');
    expect(model.selection.run.value).toEqual(record('fast'));
    expect(model.selection.loading).toBe(false);
  });

  it('keeps the error of a failed fetch for the view', async () => {
    wire.answer('GET', 'runs/gone', 404, {
      message: "no run 'gone'",
      hint: 'List the runs.'
    });
    await model.selection.select('gone');
    expect(model.selection.selected).toBe('gone');
    expect(model.selection.run.value).toBeNull();
    expect(model.selection.run.error).toMatchObject({
      status: 404,
      message: "no run 'gone'",
      hint: 'List the runs.'
    });
  });
});
