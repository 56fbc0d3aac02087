/**
 * The issue a notebook is linked to, with its Ask, fresh from the tracker; and the project's
 * current git branch and tracker kind, which come in on their own (off the issue's path).
 *
 * While the issue is fetched again, the issue the panel last showed for this notebook and number
 * stays on screen (`refreshing`); with nothing kept, `loading` is true instead.
 */
import { DslApi, DslApiError, IssueReply } from './api';
import { ChangingModel } from './changingmodel';
import { asApiError } from './fetched';
import { PanelSnapshots } from './snapshots';

export class IssueState extends ChangingModel {
  constructor(
    private readonly api: Pick<DslApi, 'getIssue' | 'project'>,
    private readonly snapshots: PanelSnapshots
  ) {
    super();
  }

  /** The issue and its Ask (null until loaded or when not linked). */
  get details(): IssueReply | null {
    return this._details;
  }

  /** The last error of a fetch: the issue's, else the project's. */
  get error(): DslApiError | null {
    return this._issueError ?? this._projectError;
  }

  /** Why the notebook has no project (the server's 404 and its hint), or null. */
  get noProject(): DslApiError | null {
    return this._projectError?.status === 404 ? this._projectError : null;
  }

  /** The project's tracker kind ("local", "github", "gitlab"...), once known. */
  get trackerKind(): string | null {
    return this._trackerKind;
  }

  get currentBranch(): string | null {
    return this._currentBranch;
  }

  /** Whether the issue is being fetched with nothing kept to show meanwhile. */
  get loading(): boolean {
    return this._loading;
  }

  /** Whether the issue kept from before is shown while it is fetched again. */
  get refreshing(): boolean {
    return this._refreshing;
  }

  /** Fetch issue `number` (none: null) of notebook `path` and the current branch again. */
  async fetch(path: string | null, number: number | null): Promise<void> {
    const generation = ++this._generation;
    if (path !== this._projectPath) {
      // Another notebook: whether it has a project is what was last seen for it, until the answer.
      this._projectPath = path;
      this._projectError = path === null ? null : (this._missing.get(path) ?? null);
    }
    const kept =
      path !== null && number !== null ? this.snapshots.issue(path, number) : null;
    this._details = kept;
    this._issueError = null;
    this._loading = path !== null && number !== null && kept === null;
    this._refreshing = kept !== null;
    this.emitChanged();
    if (path === null) {
      return;
    }
    const owns = (): boolean => generation === this._generation; // else a newer fetch owns it
    await Promise.all([
      (async () => {
        const [details] = await Promise.allSettled([
          number !== null ? this.api.getIssue(number, path) : Promise.resolve(null)
        ]);
        if (!owns()) {
          return;
        }
        this._loading = this._refreshing = false;
        this._details = details.status === 'fulfilled' ? details.value : null;
        this._issueError =
          details.status === 'rejected' ? asApiError(details.reason) : null;
        if (number !== null) {
          const reply = this._details;
          this.snapshots.update(path, {
            issue: reply === null ? null : { number, reply }
          });
        }
        this.emitChanged();
      })(),
      (async () => {
        const [project] = await Promise.allSettled([this.api.project(path)]);
        if (!owns()) {
          return;
        }
        if (project.status === 'fulfilled') {
          this._currentBranch = project.value.branch.current;
          this._trackerKind = project.value.tracker.kind;
          this._projectError = null;
          this._missing.delete(path);
        } else {
          this._currentBranch = null;
          this._projectError = asApiError(project.reason);
          if (this._projectError.status === 404) {
            this._missing.set(path, this._projectError);
          }
        }
        this.emitChanged();
      })()
    ]);
  }

  private _details: IssueReply | null = null;
  private _issueError: DslApiError | null = null;
  private _projectError: DslApiError | null = null;
  private _projectPath: string | null = null;
  /** The notebooks last seen in no project (their 404), by path. */
  private readonly _missing = new Map<string, DslApiError>();
  private _currentBranch: string | null = null;
  private _trackerKind: string | null = null;
  private _loading = false;
  private _refreshing = false;
  private _generation = 0;
}
