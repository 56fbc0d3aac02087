/**
 * The Findings section's state: the goals of the linked issue, the summary of the saved notebook
 * (fetched again whenever it is saved), and completing the issue: first the dry run (exactly what
 * would be written, posted, closed and labelled), then the real thing. The notebook's completed
 * status is set through the open document's model, like a link.
 */
import { ISignal } from '@lumino/signaling';

import { INotebookModel } from '@jupyterlab/notebook';

import { DslApi, DslApiError } from './api';
import { ChangingModel } from './changingmodel';
import { ParsedLink } from './link';
import { applyLink } from './opennotebook';
import { IFetched, settled } from './fetched';
import {
  CompleteReply,
  CompleteRequest,
  FindingsReply,
  GoalsReply,
  SummaryFormat
} from './wire';

export type Outcome = NonNullable<CompleteRequest['outcome']>;

/** What the Findings section needs of the sidebar's model (DslModel; a fake in the unit tests). */
export interface IFindingsHost {
  readonly path: string | null;
  readonly link: ParsedLink;
  readonly reloaded: ISignal<unknown, void>;
  /** Settles when the model's own fetches of the latest refresh are in. */
  readonly loaded: Promise<void>;
  readonly changed: ISignal<unknown, void>;
  readonly api: Pick<
    DslApi,
    'getFindings' | 'getGoals' | 'addGoal' | 'tickGoal' | 'complete'
  >;
  /** The open notebook, or an error when it has unsaved changes. */
  requireSaved(what: string): {
    isDisposed: boolean;
    context: { localPath: string; model: INotebookModel };
  };
  refresh(): Promise<void>;
}

export class FindingsModel extends ChangingModel {
  constructor(
    readonly model: IFindingsHost,
    format: SummaryFormat = 'html'
  ) {
    super();
    this._format = format;
    model.reloaded.connect(this._onReloaded, this);
    model.changed.connect(this._onChanged, this);
    this._onReloaded();
  }

  get preview(): IFetched<FindingsReply> {
    return this._preview;
  }

  get goals(): IFetched<GoalsReply> {
    return this._goals;
  }

  get loading(): boolean {
    return this._loading;
  }

  /** The answer of the last completion (with its link to the result). */
  get result(): CompleteReply | null {
    return this._result;
  }

  get format(): SummaryFormat {
    return this._format;
  }

  set format(value: SummaryFormat) {
    if (value !== this._format) {
      this._format = value;
      void this.refresh();
    }
  }

  /** Fetch the goals and the summary again. */
  async refresh(): Promise<void> {
    const path = this.model.path;
    const generation = ++this._generation;
    if (path === null || this.model.link.kind !== 'linked') {
      this._preview = { value: null, error: null };
      this._goals = { value: null, error: null };
      this._loading = false;
      this.emitChanged();
      return;
    }
    this._loading = true;
    this.emitChanged();
    const [preview, goals] = await Promise.allSettled([
      this.model.api.getFindings(path, this._format),
      this.model.api.getGoals(path)
    ]);
    if (generation !== this._generation) {
      return;
    }
    this._loading = false;
    this._preview = settled(preview);
    this._goals = settled(goals);
    this.emitChanged();
  }

  async addGoal(question: string): Promise<void> {
    const text = question.trim();
    if (!text) {
      throw new DslApiError(0, 'a goal needs a question');
    }
    const panel = this.model.requireSaved('adding a goal');
    const reply = await this.model.api.addGoal(panel.context.localPath, text);
    this._setGoals(panel.context.localPath, reply);
  }

  async tickGoal(number: number, done: boolean): Promise<void> {
    const panel = this.model.requireSaved('ticking a goal');
    const reply = await this.model.api.tickGoal(panel.context.localPath, number, done);
    this._setGoals(panel.context.localPath, reply);
  }

  /** What completing would do, changing nothing. */
  plan(outcome?: Outcome): Promise<CompleteReply> {
    const panel = this.model.requireSaved('completing its issue');
    return this.model.api.complete(panel.context.localPath, { dry_run: true, outcome });
  }

  /** Complete the issue; the completed status goes into the open document (not saved for you). */
  async complete(outcome?: Outcome): Promise<CompleteReply> {
    const panel = this.model.requireSaved('completing its issue');
    const reply = await this.model.api.complete(panel.context.localPath, { outcome });
    if (reply.link !== null && !panel.isDisposed) {
      applyLink(panel.context.model, reply.link);
    }
    this._result = reply;
    this.emitChanged();
    void this.model.refresh();
    return reply;
  }

  private _setGoals(path: string, reply: GoalsReply): void {
    if (this.model.path === path) {
      this._goals = { value: reply, error: null };
      this.emitChanged();
      void this.refresh(); // the summary shows the goals too
    }
  }

  private _onReloaded(): void {
    if (this.model.path !== this._path) {
      this._path = this.model.path;
      this._result = null;
    }
    this._linked = this._linkedNumber();
    const path = this.model.path;
    ++this._generation; // an answer for the notebook before is not shown
    void this.model.loaded.then(() => {
      if (this.model.path === path) {
        void this.refresh();
      }
    });
  }

  /** A link set or removed in the document changes what there is to show. */
  private _onChanged(): void {
    if (this.model.path !== this._path) {
      return; // a switch to another notebook: _onReloaded fetches once its issue, params and runs are in
    }
    const linked = this._linkedNumber();
    if (linked !== this._linked) {
      this._linked = linked;
      void this.refresh();
    }
  }

  private _linkedNumber(): number | null {
    const link = this.model.link;
    return link.kind === 'linked' ? link.link.issue.number : null;
  }

  private _path: string | null = null;
  private _linked: number | null = null;
  private _format: SummaryFormat;
  private _preview: IFetched<FindingsReply> = { value: null, error: null };
  private _goals: IFetched<GoalsReply> = { value: null, error: null };
  private _loading = false;
  private _generation = 0;
  private _result: CompleteReply | null = null;
}
