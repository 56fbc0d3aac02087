/**
 * A fake of the REST client's reads whose answers the test releases one by one, to observe what the
 * sidebar shows while a fetch is under way and which of two overlapping answers wins.
 */
import { PromiseDelegate } from '@lumino/coreutils';

import { IssueReply, ParamsReply, ProjectInfo, RunsReply } from '../api';
import { settle } from './fakes';

/** A fake client: each call returns a promise the test resolves or rejects. */
export class PendingApi {
  pending: { method: string; args: unknown[]; answer: PromiseDelegate<unknown> }[] = [];

  private call<T>(method: string, ...args: unknown[]): Promise<T> {
    const answer = new PromiseDelegate<unknown>();
    this.pending.push({ method, args, answer });
    return answer.promise as Promise<T>;
  }

  /** Answer the oldest pending call to `method`. */
  async answer(method: string, value: unknown): Promise<void> {
    const index = this.pending.findIndex(call => call.method === method);
    if (index < 0) {
      throw new Error(`no pending call to ${method}`);
    }
    const [call] = this.pending.splice(index, 1);
    if (value instanceof Error) {
      call.answer.reject(value);
    } else {
      call.answer.resolve(value);
    }
    await settle(); // promise callbacks only, no timer: the same under jest's fake timers
  }

  getIssue(number: number, path?: string): Promise<IssueReply> {
    return this.call('getIssue', number, path);
  }
  project(path?: string): Promise<ProjectInfo> {
    return this.call('project', path);
  }
  getParams(path: string): Promise<ParamsReply> {
    return this.call('getParams', path);
  }
  listRuns(query: object): Promise<RunsReply> {
    return this.call('listRuns', query);
  }
}
