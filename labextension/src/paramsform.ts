/**
 * The parameters form of the active notebook: the values the user typed (text, read by the server
 * like `-p NAME TEXT`), the config files picked (the project's grid files are listed apart, for
 * the Batch section), the server's check of them (debounced: no request per keystroke), and the
 * runs started from it (polled until they finish; then the Runs list is fetched again). Nothing is
 * parsed or type-checked here: the core does that on the server.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { DslApi, DslApiError, NotebookParameter, ParamsReply } from './api';
import { asApiError, IFetched } from './fetched';
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

export class ParamsFormModel implements IDisposable {
  constructor(
    readonly model: IFormHost,
    options: IParamsFormOptions = {}
  ) {
    this._checkDelay = options.checkDelayMs ?? CHECK_DELAY_MS;
    this._pollMs = options.pollMs ?? POLL_MS;
    model.reloaded.connect(this._onReloaded, this);
    this._onReloaded();
  }

  get changed(): ISignal<this, void> {
    return this._changed;
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
    return this._timer !== null || this._checking;
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

  /** Check now (the debounced check calls this). */
  async checkNow(): Promise<void> {
    this._clearTimer();
    const path = this.model.path;
    if (path === null) {
      return;
    }
    const generation = ++this._checkGeneration;
    this._checking = true;
    this._changed.emit();
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
        this._changed.emit();
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
      this._changed.emit();
      void this.model.refreshRuns(); // its `running` record is in the run index already
      this._schedulePoll();
    }
    return job;
  }

  /** Fetch the jobs of the notebook again (and keep polling while one runs). */
  async refreshJobs(): Promise<void> {
    const path = this.model.path;
    if (path === null) {
      return;
    }
    let jobs: Job[];
    try {
      jobs = await this.model.api.listJobs(path);
    } catch {
      return; // the next poll or refresh tries again
    }
    if (this.model.path !== path || this._disposed) {
      return;
    }
    const finished = jobs.some(
      job =>
        job.state !== 'running' &&
        this._jobs.some(old => old.id === job.id && old.state === 'running')
    );
    this._jobs = jobs;
    this._changed.emit();
    if (finished) {
      void this.model.refreshRuns();
    }
    if (this.running) {
      this._schedulePoll();
    }
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._clearTimer();
    if (this._poll !== null) {
      clearTimeout(this._poll);
    }
    this.model.reloaded.disconnect(this._onReloaded, this);
    Signal.clearData(this);
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
      this._clearTimer();
      if (path !== null) {
        void this.model.loaded.then(() => {
          if (this.model.path === path) {
            void this._loadConfigs(path);
            void this.refreshJobs();
          }
        });
      }
      this._changed.emit();
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
    this._changed.emit();
  }

  private _scheduleCheck(): void {
    this._clearTimer();
    this._timer = setTimeout(() => {
      this._timer = null;
      void this.checkNow();
    }, this._checkDelay);
    this._changed.emit();
  }

  private _schedulePoll(): void {
    if (this._poll !== null || this._disposed) {
      return;
    }
    this._poll = setTimeout(() => {
      this._poll = null;
      void this.refreshJobs();
    }, this._pollMs);
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
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
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _poll: ReturnType<typeof setTimeout> | null = null;
  private _jobs: Job[] = [];
  private _disposed = false;
  private readonly _checkDelay: number;
  private readonly _pollMs: number;
  private readonly _changed = new Signal<this, void>(this);
}
