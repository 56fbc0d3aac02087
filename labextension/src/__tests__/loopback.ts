/**
 * A real HTTP server on the loopback interface for client tests: it records each request and
 * answers what the test queued for it (or 500), so URLs, bodies and errors are observed on the wire.
 */
import http from 'http';
import { AddressInfo } from 'net';

import { ServerConnection } from '@jupyterlab/services';

import { DslApi } from '../api';

export interface IRecorded {
  method: string;
  path: string;
  query: [string, string][];
  body: string;
}

export class Loopback {
  recorded: IRecorded[] = [];
  /** Answers by `METHOD path`, used in order; a path without one gets a 500. */
  answers = new Map<string, { status: number; body: unknown }[]>();
  baseUrl = '';

  async start(): Promise<void> {
    this._server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', chunk => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '', 'http://x');
        const record = {
          method: request.method ?? '',
          path: url.pathname,
          // without the client's cache-busting parameter (a bare number key)
          query: [...url.searchParams.entries()].filter(
            ([key, value]) => !(value === '' && /^\d+$/.test(key))
          ),
          body: Buffer.concat(chunks).toString('utf8')
        };
        this.recorded.push(record);
        const queue = this.answers.get(`${record.method} ${record.path}`) ?? [];
        const answer = queue.length > 1 ? queue.shift() : queue[0];
        response.writeHead(answer?.status ?? 500, {
          'Content-Type': 'application/json'
        });
        response.end(JSON.stringify(answer?.body ?? { message: 'no answer queued' }));
      });
    });
    await new Promise<void>(resolve => this._server?.listen(0, '127.0.0.1', resolve));
    const { port } = this._server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}/base/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => this._server?.close(() => resolve()));
  }

  /** Queue an answer for `METHOD route` (route relative to the extension's namespace). */
  answer(method: string, route: string, status: number, body: unknown): void {
    const key = `${method} /base/jupyter-dsl/${route}`;
    this.answers.set(key, [...(this.answers.get(key) ?? []), { status, body }]);
  }

  reset(): void {
    this.recorded = [];
    this.answers.clear();
  }

  api(): DslApi {
    return new DslApi(
      ServerConnection.makeSettings({
        baseUrl: this.baseUrl,
        wsUrl: this.baseUrl.replace('http', 'ws')
      })
    );
  }

  private _server: http.Server | null = null;
}
