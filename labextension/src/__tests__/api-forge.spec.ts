/**
 * The client's forge calls (the link's Ask maintenance, opening a pull request) against a real HTTP
 * server on the loopback interface: the URL, method and body are observed on the wire.
 */
import http from 'http';
import { AddressInfo } from 'net';

import { ServerConnection } from '@jupyterlab/services';

import { DslApi, DslApiError } from '../api';
import { forgeName } from '../panel/ForgeActions';
import { LINK } from './samples';

interface IRecorded {
  method: string;
  target: string;
  body: string;
}

let server: http.Server;
let baseUrl: string;
let recorded: IRecorded[] = [];
let answers: { status: number; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
      recorded.push({
        method: request.method ?? '',
        target: request.url ?? '',
        body: Buffer.concat(chunks).toString('utf8')
      });
      const answer = answers.shift() ?? {
        status: 500,
        body: '{"message":"none queued"}'
      };
      response.writeHead(answer.status, { 'Content-Type': 'application/json' });
      response.end(answer.body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/user/dsl/`;
});

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()));
});

beforeEach(() => {
  recorded = [];
  answers = [];
});

const api = (): DslApi =>
  new DslApi(
    ServerConnection.makeSettings({
      baseUrl,
      wsUrl: baseUrl.replace('http', 'ws'),
      token: 'secret-token',
      appendToken: false
    })
  );

/** The request's path (ServerConnection adds a cache-busting query). */
function pathOf(request: IRecorded): string {
  return new URL(request.target, baseUrl).pathname;
}

describe('forge calls', () => {
  it('POSTs the issue number to links/{path}/prepare and returns the link to set', async () => {
    answers.push({
      status: 200,
      body: JSON.stringify({ link: LINK, offline_as_of: null })
    });
    const reply = await api().prepareLink('work/my nb.ipynb', 2);
    expect(reply.link).toEqual(LINK);
    expect(recorded[0].method).toBe('POST');
    expect(pathOf(recorded[0])).toBe(
      '/user/dsl/jupyter-dsl/links/work/my%20nb.ipynb/prepare'
    );
    expect(JSON.parse(recorded[0].body)).toEqual({ number: 2 });
  });

  it('refuses a number that is not an issue number before sending anything', async () => {
    await expect(api().prepareLink('nb.ipynb', 0)).rejects.toBeInstanceOf(DslApiError);
    expect(recorded).toEqual([]);
  });

  it("POSTs to pulls/{path} and passes the server's refusal on", async () => {
    answers.push({
      status: 400,
      body: JSON.stringify({
        message: 'the local tracker has no pull requests; use a forge',
        hint: null
      })
    });
    await expect(api().openPull('nb.ipynb')).rejects.toMatchObject({
      status: 400,
      message: 'the local tracker has no pull requests; use a forge'
    });
    expect(recorded[0].method).toBe('POST');
    expect(pathOf(recorded[0])).toBe('/user/dsl/jupyter-dsl/pulls/nb.ipynb');
    expect(JSON.parse(recorded[0].body)).toEqual({ draft: false });
  });

  it('names the forges and hides the local tracker', () => {
    expect(forgeName('github')).toBe('GitHub');
    expect(forgeName('gitlab')).toBe('GitLab');
    expect(forgeName('local')).toBeNull();
    expect(forgeName(null)).toBeNull();
  });
});
