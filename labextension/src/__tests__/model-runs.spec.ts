/**
 * The sidebar model's run selection against a real HTTP server on the loopback interface: the
 * details of the selected run are fetched from `GET /jupyter-dsl/runs/{id}`, an answer that
 * arrives after another run was selected is dropped, and an error is kept for the view.
 */
import http from 'http';
import { AddressInfo } from 'net';

import { NotebookTracker } from '@jupyterlab/notebook/lib/tracker';
import { ServerConnection } from '@jupyterlab/services';

import { DslApi } from '../api';
import { DslModel } from '../model';

/** What the server answers for a path: a status and a JSON body, once `release` resolves. */
interface IAnswer {
  status: number;
  body: unknown;
  release?: Promise<void>;
}

let server: http.Server;
let baseUrl: string;
let answers: Map<string, IAnswer>;
let asked: string[];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '', 'http://x').pathname;
    asked.push(path);
    const answer = answers.get(path) ?? {
      status: 500,
      body: { message: 'unexpected' }
    };
    void (answer.release ?? Promise.resolve()).then(() => {
      response.writeHead(answer.status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/`;
});

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()));
});

let model: DslModel;

beforeEach(() => {
  answers = new Map();
  asked = [];
  // A real tracker with no notebook open: the model asks the server only for what a test selects.
  const tracker = new NotebookTracker({ namespace: 'model-runs-test' });
  const api = new DslApi(
    ServerConnection.makeSettings({ baseUrl, wsUrl: baseUrl.replace('http', 'ws') })
  );
  model = new DslModel(tracker, api);
});

afterEach(() => model.dispose());

const record = (id: string): object => ({
  run: { id, status: 'succeeded', metrics: { score: 0.6 } },
  output: null
});

describe('selecting a run', () => {
  it("fetches the selected run's record and clears it again", async () => {
    answers.set('/jupyter-dsl/runs/r1', { status: 200, body: record('r1') });
    let changes = 0;
    model.changed.connect(() => changes++);

    const selecting = model.selection.select('r1');
    expect(model.selection.selected).toBe('r1');
    expect(model.selection.loading).toBe(true);
    await selecting;

    expect(asked).toEqual(['/jupyter-dsl/runs/r1']);
    expect(model.selection.loading).toBe(false);
    expect(model.selection.run).toEqual({ value: record('r1'), error: null });
    expect(changes).toBeGreaterThanOrEqual(2); // loading, then loaded

    await model.selection.select(null);
    expect(model.selection.selected).toBeNull();
    expect(model.selection.run).toEqual({ value: null, error: null });
    expect(asked).toHaveLength(1);
  });

  it('drops the answer for a run that is no longer selected', async () => {
    let release = (): void => undefined;
    answers.set('/jupyter-dsl/runs/slow', {
      status: 200,
      body: record('slow'),
      release: new Promise<void>(resolve => (release = resolve))
    });
    answers.set('/jupyter-dsl/runs/fast', { status: 200, body: record('fast') });

    const first = model.selection.select('slow');
    await model.selection.select('fast');
    release();
    await first;

    expect(model.selection.selected).toBe('fast');
    expect(model.selection.run.value).toEqual(record('fast'));
    expect(model.selection.loading).toBe(false);
  });

  it('keeps the error of a failed fetch for the view', async () => {
    answers.set('/jupyter-dsl/runs/gone', {
      status: 404,
      body: { message: "no run 'gone'", hint: 'List the runs.' }
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
