/**
 * The REST client against a real HTTP server on the loopback interface: real `fetch`, real
 * `ServerConnection`, real request bytes. The server records each request and answers what
 * the test told it to, so URL building, bodies, headers and error parsing are all observed
 * on the wire.
 */
import http from 'http';
import { AddressInfo } from 'net';

import { ServerConnection } from '@jupyterlab/services';

import {
  DslApi,
  DslApiError,
  encodeApiPath,
  errorFromBody,
  Issue,
  ParamsReply,
  queryString,
  RunsReply
} from '../api';
import { IRecorded, Loopback } from './loopback';
import { LINK } from './samples';

const wire = new Loopback('/user/dsl/');
let recorded: IRecorded[] = [];

function answerJson(status: number, value: unknown): void {
  wire.answerNextJson(status, value);
}

beforeAll(() => wire.start());
afterAll(() => wire.stop());

beforeEach(() => {
  wire.reset();
  recorded = wire.recorded;
});

function makeApi(): DslApi {
  return wire.api({ token: 'secret-token', appendToken: false });
}

/** The path and query of a recorded request (without the client's cache-busting parameter). */
function parsed(request: IRecorded): { path: string; query: [string, string][] } {
  return { path: request.path, query: request.query };
}

const ISSUE: Issue = {
  tracker: 'local',
  number: 2,
  title: 'Churn by region',
  body: '## Overview\n',
  state: 'open',
  labels: ['Explore'],
  url: '',
  state_reason: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  closed_at: null,
  author: 'me',
  comments: 0,
  type: 'Explore',
  ask: 1
};

describe('URL building', () => {
  it('encodes each path segment and keeps the slashes', () => {
    expect(encodeApiPath('my dir/Ünïcode #1?.ipynb')).toBe(
      'my%20dir/%C3%9Cn%C3%AFcode%20%231%3F.ipynb'
    );
    expect(encodeApiPath('/a//b/')).toBe('a/b');
  });

  it('repeats array values and leaves empty ones out of the query', () => {
    expect(
      queryString({
        type: 'Explore',
        label: ['on hold', 'failed'],
        path: '',
        state: undefined
      })
    ).toBe('?type=Explore&label=on+hold&label=failed');
    expect(queryString({ path: null })).toBe('');
  });
});

describe('requests on the wire', () => {
  it('GETs a link status with the notebook path encoded and the token sent', async () => {
    const status = {
      path: 'my dir/Ünïcode notebook #1.ipynb',
      link: LINK,
      issue: ISSUE,
      ask: null,
      branch: { current: 'main', expected: LINK.branch, matches: false },
      issue_error: null
    };
    answerJson(200, status);
    const reply = await makeApi().getLink('my dir/Ünïcode notebook #1.ipynb');
    expect(reply).toEqual(status);
    const [request] = recorded;
    expect(request.method).toBe('GET');
    expect(parsed(request).path).toBe(
      '/user/dsl/jupyter-dsl/links/my%20dir/%C3%9Cn%C3%AFcode%20notebook%20%231.ipynb'
    );
    expect(decodeURIComponent(parsed(request).path)).toBe(
      '/user/dsl/jupyter-dsl/links/my dir/Ünïcode notebook #1.ipynb'
    );
    expect(request.headers.authorization).toBe('token secret-token');
  });

  it('sends the _xsrf cookie as X-XSRFToken when there is no token (cookie login)', async () => {
    document.cookie = '_xsrf=xsrf-from-cookie';
    answerJson(200, { version: '0.1.0' });
    const api = new DslApi(
      ServerConnection.makeSettings({
        baseUrl: wire.baseUrl,
        wsUrl: wire.baseUrl.replace('http', 'ws'),
        token: '',
        appendToken: false
      })
    );
    expect(await api.version()).toEqual({ version: '0.1.0' });
    expect(recorded[0].headers['x-xsrftoken']).toBe('xsrf-from-cookie');
    expect(recorded[0].headers.authorization).toBeUndefined();
  });

  it('lists issues with every filter in the query', async () => {
    answerJson(200, { issues: [ISSUE] });
    const issues = await makeApi().listIssues({
      path: 'sub dir/nb.ipynb',
      type: 'Explore',
      state: 'all',
      label: ['on hold', 'failed']
    });
    expect(issues).toEqual([ISSUE]);
    const { path, query } = parsed(recorded[0]);
    expect(path).toBe('/user/dsl/jupyter-dsl/issues');
    expect(query).toEqual([
      ['path', 'sub dir/nb.ipynb'],
      ['type', 'Explore'],
      ['state', 'all'],
      ['label', 'on hold'],
      ['label', 'failed']
    ]);
  });

  it('asks for one issue with the notebook path that locates the project', async () => {
    answerJson(200, { issue: ISSUE, ask: null, link: LINK });
    const reply = await makeApi().getIssue(2, 'nb.ipynb');
    expect(reply.link).toEqual(LINK);
    expect(parsed(recorded[0])).toEqual({
      path: '/user/dsl/jupyter-dsl/issues/2',
      query: [['path', 'nb.ipynb']]
    });
  });

  it('POSTs a new issue as the documented JSON body', async () => {
    answerJson(201, { issue: ISSUE, link: LINK });
    const reply = await makeApi().createIssue({
      path: 'nb.ipynb',
      type: 'Explore',
      title: 'Churn by region',
      ask: 1,
      sections: { Overview: 'Why churn differs by region.' }
    });
    expect(reply).toEqual({ issue: ISSUE, link: LINK });
    const [request] = recorded;
    expect(request.method).toBe('POST');
    expect(parsed(request).path).toBe('/user/dsl/jupyter-dsl/issues');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      path: 'nb.ipynb',
      type: 'Explore',
      title: 'Churn by region',
      ask: 1,
      sections: { Overview: 'Why churn differs by region.' }
    });
  });

  it('PUTs {"number": n} and DELETEs a link for a notebook that is not open', async () => {
    const status = {
      path: 'a b.ipynb',
      link: null,
      issue: null,
      ask: null,
      branch: { current: null, expected: null, matches: false },
      issue_error: null
    };
    answerJson(200, { ...status, link: LINK });
    answerJson(200, status);
    const api = makeApi();
    await api.putLink('a b.ipynb', 2);
    await api.deleteLink('a b.ipynb');
    expect(recorded.map(r => [r.method, parsed(r).path, r.body])).toEqual([
      ['PUT', '/user/dsl/jupyter-dsl/links/a%20b.ipynb', '{"number":2}'],
      ['DELETE', '/user/dsl/jupyter-dsl/links/a%20b.ipynb', '']
    ]);
  });

  it('refuses a number that is not an issue number without asking the server', async () => {
    await expect(makeApi().getIssue(0)).rejects.toMatchObject({
      name: 'DslApiError',
      status: 400
    });
    await expect(makeApi().putLink('nb.ipynb', 2.5)).rejects.toBeInstanceOf(
      DslApiError
    );
    expect(recorded).toEqual([]);
  });
});

const PARAMS: ParamsReply = {
  path: 'runs dir/tune #1.ipynb',
  cell: 2,
  cell_index: 1,
  parameters: [
    {
      name: 'alpha',
      type: 'float',
      default: '0.5',
      help: 'learning rate',
      annotation: '',
      optional: false
    }
  ],
  notes: []
};

const RUNS: RunsReply = {
  runs: [
    {
      id: '20260101-120001-bbbbbb',
      notebook: 'runs dir/tune #1.ipynb',
      status: 'failed',
      issue: 2,
      batch_id: null,
      started_at: '2026-01-01T12:00:01+00:00',
      duration_s: 1.5,
      parameters: { alpha: 0.3, region: 'north' },
      defaults: {},
      metrics: { score: null },
      error: { cell: 2, cell_index: 1, ename: 'ValueError', evalue: 'bad alpha' }
    },
    {
      id: '20260101-120000-aaaaaa',
      notebook: 'runs dir/tune #1.ipynb',
      status: 'succeeded',
      issue: null,
      batch_id: 'batch-1',
      started_at: '2026-01-01T12:00:00+00:00',
      duration_s: null,
      parameters: { alpha: 0.1, region: 'north' },
      defaults: {},
      metrics: { score: 0.2 },
      error: null
    }
  ],
  varying_parameters: ['alpha'],
  metrics: ['score'],
  total: 7
};

describe('parameters and runs', () => {
  it('GETs the parameters cell with the notebook path encoded', async () => {
    answerJson(200, PARAMS);
    expect(await makeApi().getParams('runs dir/tune #1.ipynb')).toEqual(PARAMS);
    expect(parsed(recorded[0])).toEqual({
      path: '/user/dsl/jupyter-dsl/params/runs%20dir/tune%20%231.ipynb',
      query: []
    });
    expect(recorded[0].method).toBe('GET');
  });

  it('lists runs with the notebook path, status and limit in the query', async () => {
    answerJson(200, RUNS);
    const reply = await makeApi().listRuns({
      path: 'runs dir/tune #1.ipynb',
      status: 'failed',
      limit: 10
    });
    expect(reply).toEqual(RUNS); // null metrics (NaN on the server) come through as null
    expect(parsed(recorded[0])).toEqual({
      path: '/user/dsl/jupyter-dsl/runs',
      query: [
        ['path', 'runs dir/tune #1.ipynb'],
        ['status', 'failed'],
        ['limit', '10']
      ]
    });
  });

  it('sends limit 0 (all runs) and leaves out what is not given', async () => {
    answerJson(200, { ...RUNS, runs: [] });
    answerJson(200, RUNS);
    const api = makeApi();
    await api.listRuns({ path: 'a.ipynb', limit: 0 });
    await api.listRuns({ path: 'a.ipynb' });
    expect(recorded.map(r => parsed(r).query)).toEqual([
      [
        ['path', 'a.ipynb'],
        ['limit', '0']
      ],
      [['path', 'a.ipynb']]
    ]);
  });

  it('GETs one run by id, with the path that locates the project', async () => {
    const reply = { run: RUNS.runs[1], output: 'runs/out.ipynb' };
    answerJson(200, reply);
    expect(await makeApi().getRun('20260101-120000-aaaaaa', 'a b.ipynb')).toEqual(
      reply
    );
    expect(parsed(recorded[0])).toEqual({
      path: '/user/dsl/jupyter-dsl/runs/20260101-120000-aaaaaa',
      query: [['path', 'a b.ipynb']]
    });
  });

  it("GETs a run's output notebook from its own route, with the project path", async () => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { papermill: { parameters: { alpha: 0.3 } } },
      cells: [
        {
          cell_type: 'code',
          source: 'alpha = 0.3',
          metadata: { tags: ['injected-parameters'] },
          outputs: [{ output_type: 'stream', name: 'stdout', text: '0.6\n' }],
          execution_count: 1
        }
      ]
    };
    answerJson(200, notebook);
    expect(
      await makeApi().getRunNotebook('20260101-120000-aaaaaa', 'runs dir/a.ipynb')
    ).toEqual(notebook);
    expect(recorded[0].method).toBe('GET');
    expect(parsed(recorded[0])).toEqual({
      path: '/user/dsl/jupyter-dsl/runs/20260101-120000-aaaaaa/notebook',
      query: [['path', 'runs dir/a.ipynb']]
    });
  });

  it('carries a refused output notebook as an error with its status', async () => {
    answerJson(403, {
      message: "the output notebook of run r1 is not in the project's artifact store",
      hint: "Only files inside the run's own folder are served."
    });
    await expect(makeApi().getRunNotebook('r1')).rejects.toMatchObject({
      status: 403,
      message: "the output notebook of run r1 is not in the project's artifact store",
      hint: "Only files inside the run's own folder are served."
    });
    expect(parsed(recorded[0]).path).toBe('/user/dsl/jupyter-dsl/runs/r1/notebook');
  });

  it('refuses a bad limit or run id without asking the server', async () => {
    const api = makeApi();
    await expect(api.listRuns({ path: 'a.ipynb', limit: -1 })).rejects.toMatchObject({
      status: 400,
      message: '-1 is not a number of runs'
    });
    await expect(api.listRuns({ path: 'a.ipynb', limit: 2.5 })).rejects.toBeInstanceOf(
      DslApiError
    );
    for (const id of ['', '..', '../issues', 'a/b', 'a?b']) {
      await expect(api.getRun(id)).rejects.toMatchObject({ status: 400 });
      await expect(api.getRunNotebook(id)).rejects.toMatchObject({ status: 400 });
    }
    expect(recorded).toEqual([]);
  });

  it('carries the message and hint of a runs error', async () => {
    answerJson(400, {
      message: "unknown run status 'done'",
      hint: 'Use one of running, succeeded'
    });
    await expect(
      makeApi().listRuns({ path: 'a.ipynb', limit: 10 })
    ).rejects.toMatchObject({
      status: 400,
      message: "unknown run status 'done'",
      hint: 'Use one of running, succeeded'
    });
  });
});

describe('errors', () => {
  it('carries the status, message, hint and action of an error answer', async () => {
    answerJson(404, {
      message: 'issue #99 not found',
      hint: 'The list of all issues, closed ones too, shows their numbers.',
      action: { name: 'list_issues', args: { state: 'all' } }
    });
    const error = await makeApi()
      .getIssue(99)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DslApiError);
    expect(error).toMatchObject({
      status: 404,
      message: 'issue #99 not found',
      hint: 'The list of all issues, closed ones too, shows their numbers.',
      action: { name: 'list_issues', args: { state: 'all' } }
    });
  });

  it('reads a tornado error page (reason, no hint)', async () => {
    answerJson(403, { message: '', reason: 'Forbidden' });
    await expect(makeApi().templates()).rejects.toMatchObject({
      status: 403,
      message: 'Forbidden',
      hint: null
    });
  });

  it('says the server extension may be missing when a route answers a 404 page', async () => {
    wire.answerNext(404, '<html><body>404 : Not Found</body></html>');
    await expect(makeApi().version()).rejects.toMatchObject({
      status: 404,
      message: 'the server answered 404 Not Found',
      hint: expect.stringContaining('jupyter server extension list')
    });
  });

  it('keeps a short plain-text error body as the message', async () => {
    wire.answerNext(502, 'tracker timed out');
    await expect(makeApi().listIssues()).rejects.toMatchObject({
      status: 502,
      message: 'tracker timed out'
    });
  });

  it('refuses a 200 answer that is not JSON', async () => {
    wire.answerNext(200, '<html></html>');
    await expect(makeApi().version()).rejects.toMatchObject({
      status: 200,
      message: expect.stringContaining('not JSON')
    });
  });

  it('turns a refused connection into status 0 with a hint', async () => {
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>(resolve => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/`;
    const api = new DslApi(
      ServerConnection.makeSettings({ baseUrl: url, wsUrl: url.replace('http', 'ws') })
    );
    await expect(api.version()).rejects.toMatchObject({
      status: 0,
      message: expect.stringContaining('cannot reach the Jupyter server'),
      hint: 'Check that the server is running.'
    });
  });

  it('parses bodies without a server too', () => {
    expect(
      errorFromBody(409, '{"message": "already linked", "hint": null}')
    ).toMatchObject({
      status: 409,
      message: 'already linked',
      hint: null,
      action: null
    });
    expect(
      errorFromBody(404, '{"message": "m", "hint": "h", "action": {"name": "link"}}')
        .action
    ).toBeNull(); // an action without its arguments is not one
    expect(errorFromBody(500, '', 'Internal Server Error').message).toBe(
      'the server answered 500 Internal Server Error'
    );
  });
});
