/**
 * A real HTTP server on the loopback interface for client tests: it records each request (method,
 * target, headers, body) and answers what the test queued, so URLs, bodies, headers and error
 * parsing are observed on the wire.
 *
 * Answers are looked up by route first (`answer`: JSON, used in order, the last one repeating), then
 * taken from one queue for any route (`answerNext`: any body and content type, each used once);
 * without either the server answers 500. An answer can wait for a `release` promise.
 */
import http from 'http';
import { AddressInfo } from 'net';

import { ServerConnection } from '@jupyterlab/services';

import { DslApi } from '../api';

export interface IRecorded {
  method: string;
  /** The raw request target, as the client sent it. */
  target: string;
  path: string;
  /** The query, without the client's cache-busting parameter (a bare number key). */
  query: [string, string][];
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface IAnswer {
  status: number;
  body: string;
  contentType?: string;
  /** The answer is sent once this settles. */
  release?: Promise<void>;
}

export class Loopback {
  /** `basePath`: the Jupyter server's base URL path the client is given (it ends with `/`). */
  constructor(readonly basePath = '/base/') {}

  recorded: IRecorded[] = [];
  /** Answers by `METHOD path`, used in order (the last one repeats). */
  answers = new Map<string, IAnswer[]>();
  /** Answers for any route without its own, each used once. */
  queue: IAnswer[] = [];
  baseUrl = '';

  async start(): Promise<void> {
    this._server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', chunk => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '', 'http://x');
        const record: IRecorded = {
          method: request.method ?? '',
          target: request.url ?? '',
          path: url.pathname,
          query: [...url.searchParams.entries()].filter(
            ([key, value]) => !(value === '' && /^\d+$/.test(key))
          ),
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8')
        };
        this.recorded.push(record);
        const routed = this.answers.get(`${record.method} ${record.path}`) ?? [];
        const answer = (routed.length > 1 ? routed.shift() : routed[0]) ??
          this.queue.shift() ?? {
            status: 500,
            body: JSON.stringify({ message: 'no answer queued' }),
            contentType: 'application/json'
          };
        void (answer.release ?? Promise.resolve()).then(() => {
          response.writeHead(answer.status, {
            'Content-Type': answer.contentType ?? 'text/plain'
          });
          response.end(answer.body);
        });
      });
    });
    await new Promise<void>(resolve => this._server?.listen(0, '127.0.0.1', resolve));
    const { port } = this._server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}${this.basePath}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => this._server?.close(() => resolve()));
  }

  /** Queue a JSON answer for `METHOD route` (route relative to the extension's namespace). */
  answer(
    method: string,
    route: string,
    status: number,
    body: unknown,
    release?: Promise<void>
  ): void {
    const key = `${method} ${this.basePath}jupyter-dsl/${route}`;
    const answer = {
      status,
      body: JSON.stringify(body),
      contentType: 'application/json',
      release
    };
    this.answers.set(key, [...(this.answers.get(key) ?? []), answer]);
  }

  /** Queue an answer for the next request of any route without its own: `body` as is. */
  answerNext(status: number, body: string, contentType = 'text/plain'): void {
    this.queue.push({ status, body, contentType });
  }

  /** Queue a JSON answer for the next request of any route without its own. */
  answerNextJson(status: number, value: unknown): void {
    this.answerNext(status, JSON.stringify(value), 'application/json');
  }

  reset(): void {
    this.recorded = [];
    this.answers.clear();
    this.queue = [];
  }

  /** A client of this server (`settings` add to or override the base URL's). */
  api(settings: Partial<ServerConnection.ISettings> = {}): DslApi {
    return new DslApi(
      ServerConnection.makeSettings({
        baseUrl: this.baseUrl,
        wsUrl: this.baseUrl.replace('http', 'ws'),
        ...settings
      })
    );
  }

  private _server: http.Server | null = null;
}
