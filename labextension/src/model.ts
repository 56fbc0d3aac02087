/**
 * State and signals for the active notebook: its link (read from the open document model), its
 * issue and the branch (`IssueState`), its saved parameters cell and runs (`SavedState`), and the
 * run whose details are shown (`selection`).
 *
 * Widgets only read this model and call its actions; those that change the link edit the open
 * notebook's document model, never the file (opennotebook.ts). Its parts are ChangingModels too.
 *
 * Switching to a notebook shows what the panel last showed for it (`PanelSnapshots`, prefetched
 * for notebooks opened in the background) in the same frame as the notebook, then the server's
 * fresh answers: `refreshing` is true until they are in.
 */
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { PromiseDelegate } from '@lumino/coreutils';
import { ISignal, Signal } from '@lumino/signaling';

import {
  CreatedIssueReply,
  DslApi,
  DslApiError,
  InitReply,
  Issue,
  IssueQuery,
  IssueReply,
  NewIssueRequest,
  NotebookLink,
  ParamsReply,
  RunsReply,
  TemplatesReply
} from './api';
import { DiskModified, followSwitch, ISwitched, openNotebooks } from './branchfollow';
import { ChangingModel } from './changingmodel';
import { IFetched } from './fetched';
import { IssueState } from './issuestate';
import { METADATA_KEY, ParsedLink, parseLink, statusText } from './link';
import {
  applyLink,
  applyLinkIfOpen,
  requireOpen,
  requireSavedPanel
} from './opennotebook';
import { prefetchWhenIdle } from './prefetch';
import { RunSelection } from './runselection';
import { SavedState } from './savedstate';
import { PanelSnapshots } from './snapshots';
import { PullReply } from './wire';

export class DslModel extends ChangingModel {
  constructor(
    private readonly tracker: INotebookTracker,
    readonly api: DslApi,
    /** Where a branch switch looks up the open notebooks' files (none: nothing is reverted). */
    private readonly disk: DiskModified | null = null
  ) {
    super();
    this._issue = this.own(new IssueState(api, this._snapshots));
    this._saved = this.own(new SavedState(api, this._snapshots));
    this.selection = this.own(new RunSelection(api, () => this.path));
    const parts = [this._issue, this._saved, this.selection];
    parts.forEach(part => part.changed.connect(this.emitChanged, this)); // what it shows
    tracker.currentChanged.connect(this._onCurrentChanged, this);
    tracker.widgetAdded.connect(this._onWidgetAdded, this);
    tracker.forEach(panel => this._onWidgetAdded(tracker, panel));
    this._setPanel(tracker.currentWidget);
  }

  /** The run whose details are shown. */
  readonly selection: RunSelection;

  /**
   * Emitted when what the saved notebook holds may have changed: another notebook, a save, a
   * rename, a refresh. The sections that read the saved file fetch again on it.
   */
  get reloaded(): ISignal<this, void> {
    return this._reloaded;
  }

  /** Whether the open notebook has unsaved changes (the server reads the saved file). */
  get dirty(): boolean {
    return this._panel !== null && this._panel.context.model.dirty;
  }

  /** An error for actions that read the saved file, when the notebook has unsaved changes. */
  requireSaved(what: string): NotebookPanel {
    return requireSavedPanel(this._panel, what);
  }

  /**
   * Switch git to the notebook's DSLP branch (created from the base branch when missing); then
   * revert the open notebooks the switch changed on disk, naming those with unsaved changes.
   */
  async switchBranch(force = false): Promise<ISwitched> {
    const panel = this.requireSaved('switching to its branch');
    const result = await this.api.switchBranch(panel.context.localPath, force);
    const open = openNotebooks(this.tracker);
    const followUp = this.disk === null ? null : await followSwitch(open, this.disk);
    void this._refreshIssue();
    return { ...result, followUp };
  }

  /** Emitted when a command asks the sidebar to show the new-issue form. */
  get newIssueRequested(): ISignal<this, void> {
    return this._newIssueRequested;
  }

  get panel(): NotebookPanel | null {
    return this._panel;
  }

  /** The notebook's Jupyter API path (relative to the server root), or null. */
  get path(): string | null {
    return this._panel ? this._panel.context.localPath : null;
  }

  get link(): ParsedLink {
    return this._link;
  }

  /** The issue and its Ask, fresh from the tracker (null until loaded or when not linked). */
  get details(): IssueReply | null {
    return this._issue.details;
  }

  /** The last error of a refresh (actions throw theirs to the caller instead). */
  get error(): DslApiError | null {
    return this._issue.error;
  }

  /** Why the notebook is in no DSLP project (the server's answer, with its hint), or null. */
  get noProject(): DslApiError | null {
    return this._issue.noProject;
  }

  /**
   * Make `folder` (an API path) a DSLP project, as `jupyter dsl init` does; then fetch everything
   * again (the sections that need a project appear).
   */
  async makeProject(folder: string, templates: boolean): Promise<InitReply> {
    const reply = await this.api.initProject(folder, templates);
    await this.refresh();
    return reply;
  }

  /** The project's tracker kind ("local", "github", "gitlab"...), once known. */
  get trackerKind(): string | null {
    return this._issue.trackerKind;
  }

  get currentBranch(): string | null {
    return this._issue.currentBranch;
  }

  /** Whether the issue is being fetched with nothing kept to show meanwhile. */
  get loading(): boolean {
    return this._issue.loading;
  }

  /** Whether content kept from before is shown while the server is asked again. */
  get refreshing(): boolean {
    return this._issue.refreshing || this._saved.refreshing;
  }

  /** The saved notebook's parameters cell. */
  get params(): IFetched<ParamsReply> {
    return this._saved.params;
  }

  /** The latest runs of the notebook (at most `RUNS_LIMIT`). */
  get runs(): IFetched<RunsReply> {
    return this._saved.runs;
  }

  /** Whether the parameters and runs are being fetched with nothing kept to show meanwhile. */
  get runsLoading(): boolean {
    return this._saved.loading;
  }

  /** `#12 Explore · explore/12-churn-by-region`: the link and its DSLP branch. */
  get statusText(): string {
    if (this._panel === null) {
      return '';
    }
    const text = statusText(this._link);
    const branch =
      this._link.kind === 'linked'
        ? this._issue.details?.link.branch || this._link.link.branch
        : '';
    return branch ? `${text} · ${branch}` : text;
  }

  dispose(): void {
    if (!this.isDisposed) {
      this._setPanel(null); // the signals of the tracker and the panel are disconnected below
    }
    super.dispose();
  }

  requestNewIssue(): void {
    this._newIssueRequested.emit();
  }

  /** Fetch everything the sidebar shows again. */
  async refresh(): Promise<void> {
    const loaded = new PromiseDelegate<void>();
    this._loaded = loaded.promise; // before refreshRuns tells the other sections to reload
    const done = Promise.all([this._refreshIssue(), this.refreshRuns()]);
    void done.then(
      () => loaded.resolve(),
      () => loaded.resolve()
    );
    await done;
  }

  /**
   * Settles when the issue, the parameters and the runs of the latest refresh are in: the other
   * sections wait for it, so switching notebooks shows these first instead of competing with them.
   */
  get loaded(): Promise<void> {
    return this._loaded;
  }

  /** Fetch the parameters cell and the latest runs again. */
  async refreshRuns(): Promise<void> {
    this._reloaded.emit();
    if (await this._saved.fetch(this.path)) {
      await this.selection.fetch(); // a running run may have finished meanwhile
    }
  }

  /** Fetch the issue and its Ask, and (on its own) the current branch, again. */
  private _refreshIssue(): Promise<void> {
    const link = this._link;
    return this._issue.fetch(
      this.path,
      link.kind === 'linked' ? link.link.issue.number : null
    );
  }

  /**
   * Link the active notebook to issue `number`: the server lists the issue in its Ask (as
   * `jupyter dsl link` does) and answers the link, set in the open document only.
   */
  async linkTo(number: number): Promise<NotebookLink> {
    const panel = requireOpen(this._panel);
    const reply = await this.api.prepareLink(panel.context.localPath, number);
    applyLinkIfOpen(panel, reply.link);
    return reply.link;
  }

  /** Push the saved notebook's branch and open (or reuse) its pull request; the issue is fetched again. */
  async openPull(): Promise<PullReply> {
    const panel = this.requireSaved('opening a pull request');
    const reply = await this.api.openPull(panel.context.localPath);
    void this._refreshIssue();
    return reply;
  }

  /** When the forge was unreachable, the time of the cached issue shown (else null). */
  get offlineAsOf(): string | null {
    return this._issue.details?.offline_as_of ?? null;
  }

  /** Create an issue from its template in the active notebook's project; `link` links it. */
  async createIssue(
    request: Omit<NewIssueRequest, 'path'>,
    link = true
  ): Promise<CreatedIssueReply> {
    const panel = requireOpen(this._panel);
    const reply = await this.api.createIssue({
      ...request,
      path: panel.context.localPath
    });
    if (link) {
      applyLinkIfOpen(panel, reply.link);
    }
    return reply;
  }

  /** Remove the active notebook's link (edits the open document only). */
  unlink(): void {
    applyLink(requireOpen(this._panel).context.model, null);
  }

  /** The issue types and templates (fetched once). */
  templates(): Promise<TemplatesReply> {
    if (this._templates === null) {
      this._templates = this.api.templates().catch(error => {
        this._templates = null; // a failed fetch is retried next time
        throw error;
      });
    }
    return this._templates;
  }

  /** Issues of the active notebook's project. */
  listIssues(query: Omit<IssueQuery, 'path'> = {}): Promise<Issue[]> {
    return this.api.listIssues({ ...query, path: this.path ?? undefined });
  }

  private _onCurrentChanged(_: INotebookTracker, panel: NotebookPanel | null): void {
    this._setPanel(panel);
  }

  private _onWidgetAdded(_: INotebookTracker, panel: NotebookPanel): void {
    prefetchWhenIdle(panel, {
      api: this.api,
      snapshots: this._snapshots,
      isShown: shown => shown === this._panel
    });
  }

  private _setPanel(panel: NotebookPanel | null): void {
    if (panel === this._panel) {
      return;
    }
    if (this._panel !== null) {
      this._listen(this._panel, 'disconnect');
    }
    this._panel = panel;
    if (panel !== null) {
      this._listen(panel, 'connect');
      if (!panel.context.isReady) {
        // Its content is not loaded yet: read the link again once it is (once, not on every switch).
        void panel.context.ready.then(() => {
          if (this._panel === panel) {
            this._readLink(true);
          }
        });
      }
    }
    // What the panel last showed for this notebook, until the fresh answers replace it.
    this._saved.show(this.path);
    this.selection.reset();
    this._readLink(true);
  }

  /** Follow (or stop following) what happens to `panel`'s document. */
  private _listen(panel: NotebookPanel, how: 'connect' | 'disconnect'): void {
    panel.context.model.metadataChanged[how](this._onMetadataChanged, this);
    panel.context.pathChanged[how](this._onPathChanged, this);
    panel.context.fileChanged[how](this._onFileChanged, this);
    panel.disposed[how](this._onPanelDisposed, this);
    panel.context.model.stateChanged[how](this._onStateChanged, this);
  }

  private _onStateChanged(_: unknown, change: { name: string }): void {
    if (change.name === 'dirty') {
      this.emitChanged();
    }
  }

  private _onPanelDisposed(): void {
    this._setPanel(this.tracker.currentWidget);
  }

  private _onPathChanged(): void {
    void this.refresh();
  }

  /** Saved (or reverted): the parameters cell on disk may have changed. */
  private _onFileChanged(): void {
    void this.refreshRuns();
  }

  private _onMetadataChanged(): void {
    this._readLink(false);
  }

  /**
   * Re-read the link from the document; refresh from the server when it points elsewhere
   * (everything when `force`: another notebook; the issue only otherwise).
   */
  private _readLink(force: boolean): void {
    const value: unknown = this._panel
      ? this._panel.context.model.getMetadata(METADATA_KEY)
      : undefined;
    const parsed = parseLink(value);
    const before = this._link;
    this._link = parsed;
    const number = (p: ParsedLink): number | null =>
      p.kind === 'linked' ? p.link.issue.number : null;
    if (force) {
      void this.refresh();
    } else if (parsed.kind !== before.kind || number(parsed) !== number(before)) {
      void this._refreshIssue();
    } else {
      this.emitChanged();
    }
  }

  private _panel: NotebookPanel | null = null;
  private _link: ParsedLink = { kind: 'none' };
  private readonly _snapshots = new PanelSnapshots();
  private readonly _issue: IssueState;
  private readonly _saved: SavedState;
  private _templates: Promise<TemplatesReply> | null = null;
  private _loaded: Promise<void> = Promise.resolve();
  private readonly _newIssueRequested = new Signal<this, void>(this);
  private readonly _reloaded = new Signal<this, void>(this);
}
