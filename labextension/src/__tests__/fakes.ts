/**
 * A fake of the REST client for the model tests: it records every call and answers what the test
 * queued (the real client is tested against a real HTTP server in api.spec.ts).
 */
import { NotebookModel } from '@jupyterlab/notebook/lib/model';
import { ISignal, Signal } from '@lumino/signaling';

import {
  BatchListItem,
  BatchRequest,
  BatchState,
  ConfigFiles,
  DslApiError,
  GridFile,
  GridPreview,
  NotebookLink,
  ParamsReply,
  ProjectInfo
} from '../api';
import { ParsedLink } from '../link';
import { DslModel } from '../model';
import { IFetched } from '../fetched';
import {
  CompleteReply,
  CompleteRequest,
  FindingsReply,
  GoalsReply,
  Job,
  RunValues,
  SummaryFormat,
  SyncReply,
  SyncStatus,
  ValuesReply
} from '../wire';

export interface ICall {
  method: string;
  args: unknown[];
  /** When it was called (`Date.now()`: the fake clock's time under fake timers). */
  at: number;
}

/** Records calls; each method answers the next queued value for its name (or rejects). */
export class FakeApi {
  calls: ICall[] = [];
  answers = new Map<string, unknown[]>();

  queue(method: string, ...values: unknown[]): void {
    this.answers.set(method, [...(this.answers.get(method) ?? []), ...values]);
  }

  private answer<T>(method: string, ...args: unknown[]): Promise<T> {
    this.calls.push({ method, args, at: Date.now() });
    const queued = this.answers.get(method) ?? [];
    if (queued.length === 0) {
      return Promise.reject(new DslApiError(500, `no answer queued for ${method}`));
    }
    const value = queued.length > 1 ? queued.shift() : queued[0];
    return value instanceof Error ? Promise.reject(value) : Promise.resolve(value as T);
  }

  called(method: string): ICall[] {
    return this.calls.filter(call => call.method === method);
  }

  checkValues(path: string, values: RunValues): Promise<ValuesReply> {
    return this.answer('checkValues', path, values);
  }
  startRun(path: string, values: RunValues): Promise<Job> {
    return this.answer('startRun', path, values);
  }
  listJobs(path?: string): Promise<Job[]> {
    return this.answer('listJobs', path);
  }
  listConfigs(path: string): Promise<ConfigFiles> {
    return this.answer('listConfigs', path);
  }
  getFindings(path: string, to?: SummaryFormat): Promise<FindingsReply> {
    return this.answer('getFindings', path, to);
  }
  getGoals(path: string): Promise<GoalsReply> {
    return this.answer('getGoals', path);
  }
  addGoal(path: string, question: string): Promise<GoalsReply> {
    return this.answer('addGoal', path, question);
  }
  tickGoal(path: string, number: number, done: boolean): Promise<GoalsReply> {
    return this.answer('tickGoal', path, number, done);
  }
  complete(path: string, request: CompleteRequest): Promise<CompleteReply> {
    return this.answer('complete', path, request);
  }
  loadGridFile(path: string): Promise<GridFile> {
    return this.answer('loadGridFile', path);
  }
  previewBatch(request: BatchRequest): Promise<GridPreview> {
    return this.answer('previewBatch', request);
  }
  startBatch(request: BatchRequest): Promise<BatchState> {
    return this.answer('startBatch', request);
  }
  listBatches(path: string): Promise<BatchListItem[]> {
    return this.answer('listBatches', path);
  }
  getBatch(id: string, path?: string): Promise<BatchState> {
    return this.answer('getBatch', id, path);
  }
  cancelBatch(id: string, path?: string): Promise<BatchState> {
    return this.answer('cancelBatch', id, path);
  }
  project(path?: string): Promise<ProjectInfo> {
    return this.answer('project', path);
  }
  runStamp(path: string): Promise<string> {
    return this.answer('runStamp', path);
  }
  syncStatus(path: string): Promise<SyncStatus> {
    return this.answer('syncStatus', path);
  }
  sync(path: string): Promise<SyncReply> {
    return this.answer('sync', path);
  }
}

/** The part of DslModel the form and findings models use, over a real notebook model. */
export class FakeHost {
  constructor(
    readonly api: FakeApi,
    public path: string | null = 'tune.ipynb'
  ) {
    this.notebook.fromJSON({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: []
    });
    this.notebook.dirty = false;
  }

  notebook = new NotebookModel();
  params: IFetched<ParamsReply> = { value: null, error: null };
  link: ParsedLink = { kind: 'none' };
  /** The notebook is in a project (the sidebar's no-project notice is not shown). */
  noProject: DslApiError | null = null;
  loaded: Promise<void> = Promise.resolve();
  refreshes = 0;
  runRefreshes = 0;

  get dirty(): boolean {
    return this.notebook.dirty;
  }
  get reloaded(): ISignal<this, void> {
    return this._reloaded;
  }
  get changed(): ISignal<this, void> {
    return this._changed;
  }
  emitReloaded(): void {
    this._reloaded.emit();
  }
  setLink(link: NotebookLink): void {
    this.link = { kind: 'linked', link };
    this._changed.emit();
  }

  requireSaved(what: string): {
    isDisposed: boolean;
    context: { localPath: string; model: NotebookModel };
  } {
    if (this.path === null) {
      throw new DslApiError(0, 'no notebook is active');
    }
    if (this.notebook.dirty) {
      throw new DslApiError(0, `save the notebook first: ${what} uses the saved file`);
    }
    return {
      isDisposed: false,
      context: { localPath: this.path, model: this.notebook }
    };
  }
  refresh(): Promise<void> {
    this.refreshes++;
    return Promise.resolve();
  }
  refreshRuns(): Promise<void> {
    this.runRefreshes++;
    return Promise.resolve();
  }

  private readonly _reloaded = new Signal<this, void>(this);
  private readonly _changed = new Signal<this, void>(this);
}

/** The part of DslModel the Batch section's model uses: notebook tune.ipynb, its runs in. */
export function batchHost(api: FakeApi): DslModel {
  const host = {
    api,
    path: 'tune.ipynb',
    changed: new Signal<object, void>({}),
    runs: { value: { runs: [], varying_parameters: [], metrics: [], total: 0 } },
    refreshRuns: async () => undefined
  };
  return host as unknown as DslModel;
}

/** Let queued promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
}

/** Type into a React-controlled input the way a user does (value setter, then an input event). */
export function typeInto(input: HTMLInputElement, text: string): void {
  const setter = Object.getOwnPropertyDescriptor(
    HTMLInputElement.prototype,
    'value'
  )?.set;
  setter?.call(input, text);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Wait until `check()` holds: React renders on its own schedule, which a test can only observe.
 * The bound is generous (a loaded machine renders late); the failure names what never came.
 */
export async function until(
  check: () => boolean,
  what = 'the condition'
): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  if (!check()) {
    throw new Error(`gave up waiting for ${what}`);
  }
}
