/**
 * The parameters form of the active notebook: the values the user typed (text, read by the server
 * like `-p NAME TEXT`), the config files picked (the project's grid files are listed apart, for
 * the Batch section), the server's check of them (debounced: no request per keystroke), and the
 * runs started from it (polled until they finish; then the Runs list is fetched again). Nothing is
 * parsed or type-checked here: the core does that on the server.
 */
import { Debouncer } from '@lumino/polling';
import { ISignal } from '@lumino/signaling';

import { DslApi, DslApiError, NotebookParameter, ParamsReply } from './api';
import { ChangingModel } from './changingmodel';
import { asApiError, IFetched } from './fetched';
import { ServerPoll, serverPoll, startPoll } from './polls';
import { Job, RunValues, ValuesReply } from './wire';

export const CHECK_DELAY_MS = 400;
export const POLL_MS = 1000;

export interface IParamsFormOptions {
  checkDelayMs?: number;
  pollMs?: number;
}

/** What the form needs of the sidebar's model (DslModel; a fake in the unit tests). */
export interface IFormHost {
  readonly path: string | null;
  readonly params: IFetched<ParamsReply>;
  readonly reloaded: ISignal<unknown, void>;
  /** Settles when the model's own fetches of the latest refresh are in. */
  readonly loaded: Promise<void>;
  readonly api: Pick<DslApi, 'checkValues' | 'startRun' | 'listJobs' | 'listConfigs'>;
  /** The open notebook, or an error when it has unsaved changes. */
  requireSaved(what: string): { context: { localPath: string } };
  refreshRuns(): Promise<void>;
}

export class ParamsFormModel extends ChangingModel {
  constructor(
    readonly model: IFormHost,
    options: IParamsFormOptions = {}
  ) {
    super();
    const delay = options.checkDelayMs ?? CHECK_DELAY_MS;
    this._checker = this.own(new Debouncer(() => this._runCheck(), delay));
    const pollMs = options.pollMs ?? POLL_MS;
    this._jobsPoll = this.own(serverPoll('jobs', pollMs, () => this._pollJobs()));
    model.reloaded.connect(this._onReloaded, this);
    this._onReloaded();
  }

  /** What the user typed, by parameter name (a name not here shows its default). */
  get texts(): Readonly<Record<string, string>> {
    return this._texts;
  }

  /** The config files picked, in the order they apply (later wins). */
  get configs(): readonly string[] {
    return this._configs;
  }

  /** The project's config files to pick from. */
  get available(): IFetched<string[]> {
    return this._available;
  }

  /** The project's grid files (for the Batch section: a run cannot take them). */
  get gridFiles(): IFetched<string[]> {
    return this._grids;
  }

  /** The server's check of the current values (null before the first one). */
  get check(): ValuesReply | null {
    return this._check;
  }

  get checkError(): DslApiError | null {
    return this._checkError;
  }

  get checking(): boolean {
    return this._checkDue || this._checking;
  }

  /** The runs the server started for this notebook, newest first. */
  get jobs(): readonly Job[] {
    return this._jobs;
  }

  get running(): boolean {
    return this._jobs.some(job => job.state === 'running');
  }

  /** The text a field shows: what was typed, else the default as written in the cell. */
  textOf(parameter: NotebookParameter): string {
    return this._texts[parameter.name] ?? parameter.default;
  }

  /** The values to send: only the fields whose text differs from the cell's default. */
  values(): RunValues {
    const defaults = new Map(
      (this.model.params.value?.parameters ?? []).map(p => [p.name, p.default])
    );
    const set: Record<string, string> = {};
    for (const [name, text] of Object.entries(this._texts)) {
      if (defaults.get(name) !== text) {
        set[name] = text;
      }
    }
    return { set, config: [...this._configs] };
  }

  setText(name: string, text: string): void {
    this._texts = { ...this._texts, [name]: text };
    this._scheduleCheck();
  }

  /** Pick (or drop) a config file. */
  toggleConfig(path: string): void {
    this._configs = this._configs.includes(path)
      ? this._configs.filter(p => p !== path)
      : [...this._configs, path];
    this._scheduleCheck();
  }

  /** Forget what was typed and picked. */
  reset(): void {
    this._texts = {};
    this._configs = [];
    this._scheduleCheck();
  }

  /** Check now (instead of the check due after typing). */
  async checkNow(): Promise<void> {
    this._cancelCheck();
    await this._runCheck();
  }

  private async _runCheck(): Promise<void> {
    this._checkDue = false;
    const path = this.model.path;
    if (path === null) {
      return;
    }
    const generation = ++this._checkGeneration;
    this._checking = true;
    this.emitChanged();
    try {
      const reply = await this.model.api.checkValues(path, this.values());
      if (generation === this._checkGeneration) {
        this._check = reply;
        this._checkError = null;
      }
    } catch (error) {
      if (generation === this._checkGeneration) {
        this._check = null;
        this._checkError = asApiError(error);
      }
    } finally {
      if (generation === this._checkGeneration) {
        this._checking = false;
        this.emitChanged();
      }
    }
  }

  /** Start a recorded run of the saved notebook with these values. */
  async run(): Promise<Job> {
    const panel = this.model.requireSaved('a run');
    const path = panel.context.localPath;
    const job = await this.model.api.startRun(path, this.values());
    if (this.model.path === path) {
      this._jobs = [job, ...this._jobs.filter(j => j.id !== job.id)];
      this.emitChanged();
      void this.model.refreshRuns(); // its `running` record is in the run index already
      void startPoll(this._jobsPoll);
    }
    return job;
  }

  /** Fetch the jobs of the notebook again now (and keep polling while one runs). */
  refreshJobs(): Promise<void> {
    return this._jobsPoll.refresh();
  }

  /** One tick of the jobs' poll; it stops when none runs (a failure backs it off). */
  private async _pollJobs(): Promise<void> {
    const path = this.model.path;
    if (path === null) {
      void this._jobsPoll.stop();
      return;
    }
    const jobs = await this.model.api.listJobs(path);
    if (this.model.path !== path || this.isDisposed) {
      return;
    }
    const finished = jobs.some(
      job =>
        job.state !== 'running' &&
        this._jobs.some(old => old.id === job.id && old.state === 'running')
    );
    this._jobs = jobs;
    this.emitChanged();
    if (finished) {
      void this.model.refreshRuns();
    }
    if (!this.running) {
      void this._jobsPoll.stop();
    }
  }

  private _onReloaded(): void {
    const path = this.model.path;
    if (path !== this._path) {
      this._path = path;
      this._texts = {};
      this._configs = [];
      this._check = null;
      this._checkError = null;
      this._jobs = [];
      this._available = { value: null, error: null };
      this._grids = { value: null, error: null };
      ++this._checkGeneration;
      this._cancelCheck();
      void this._jobsPoll.stop();
      if (path !== null) {
        void this.model.loaded.then(() => {
          if (this.model.path === path) {
            void this._loadConfigs(path);
            void this.refreshJobs();
          }
        });
      }
      this.emitChanged();
    } else if (path !== null) {
      if (this._available.error !== null) {
        void this._loadConfigs(path); // e.g. the folder has just become a project
      }
      if (this._check !== null || this._configs.length > 0) {
        this._scheduleCheck(); // saved: the parameters cell may have changed
      }
    }
  }

  private async _loadConfigs(path: string): Promise<void> {
    try {
      const files = await this.model.api.listConfigs(path);
      if (this.model.path === path) {
        this._available = { value: files.configs, error: null };
        this._grids = { value: files.grids, error: null };
      }
    } catch (error) {
      if (this.model.path === path) {
        this._available = { value: null, error: asApiError(error) };
        this._grids = { value: null, error: this._available.error };
      }
    }
    this.emitChanged();
  }

  /** Check once the user has stopped typing for the check delay. */
  private _scheduleCheck(): void {
    this._checkDue = true;
    void this._checker.invoke().catch(() => undefined); // a cancelled check is no error
    this.emitChanged();
  }

  private _cancelCheck(): void {
    if (this._checkDue) {
      this._checkDue = false;
      void this._checker.stop();
    }
  }

  private _path: string | null = null;
  private _texts: Record<string, string> = {};
  private _configs: string[] = [];
  private _available: IFetched<string[]> = { value: null, error: null };
  private _grids: IFetched<string[]> = { value: null, error: null };
  private _check: ValuesReply | null = null;
  private _checkError: DslApiError | null = null;
  private _checking = false;
  private _checkGeneration = 0;
  private _checkDue = false;
  private _jobs: Job[] = [];
  private readonly _checker: Debouncer<void, unknown, []>;
  private readonly _jobsPoll: ServerPoll;
}
