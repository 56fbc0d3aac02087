/**
 * What the sidebar last showed for each notebook, so that switching back to one shows it in the
 * same frame as the notebook itself while the server is asked again (stale-while-revalidate).
 *
 * Only successful answers are kept, and the issue only with the number it was fetched for: a
 * notebook linked elsewhere since then starts from empty. The oldest notebook is dropped past
 * `capacity`, so a long session keeps a bounded amount.
 */
import { IssueReply, ParamsReply, RunsReply } from './api';

export interface IPanelSnapshot {
  /** The issue and its Ask, and the issue number they were fetched for. */
  issue: { number: number; reply: IssueReply } | null;
  params: ParamsReply | null;
  runs: RunsReply | null;
}

export class PanelSnapshots {
  constructor(readonly capacity = 16) {}

  /** The snapshot of `path`, or undefined (a read makes it the most recently used). */
  get(path: string): IPanelSnapshot | undefined {
    const found = this._byPath.get(path);
    if (found !== undefined) {
      this._byPath.delete(path);
      this._byPath.set(path, found);
    }
    return found;
  }

  /** The issue kept for `path` if it was fetched for issue `number`, else null. */
  issue(path: string, number: number): IssueReply | null {
    const issue = this._byPath.get(path)?.issue;
    return issue && issue.number === number ? issue.reply : null;
  }

  /** Keep `part` of what `path` shows now (the rest of its snapshot stays). */
  update(path: string, part: Partial<IPanelSnapshot>): void {
    const before = this._byPath.get(path) ?? { issue: null, params: null, runs: null };
    this._byPath.delete(path);
    this._byPath.set(path, { ...before, ...part });
    while (this._byPath.size > this.capacity) {
      const oldest = this._byPath.keys().next().value as string;
      this._byPath.delete(oldest);
    }
  }

  /** Forget `path` (its notebook was closed or renamed). */
  delete(path: string): void {
    this._byPath.delete(path);
  }

  get size(): number {
    return this._byPath.size;
  }

  private readonly _byPath = new Map<string, IPanelSnapshot>();
}
