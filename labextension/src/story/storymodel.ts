/**
 * The model of one "Story of Ask #N" tab: the story as the server tells it, fetched when the tab
 * opens and polled while it is open (polls.ts: stands by while the browser tab is hidden, backs off
 * while the server fails), so the tab stays current as issues and runs change. It emits `changed`
 * only when the story (or its error) did change, so an unchanged poll re-renders nothing.
 */
import { DslApiError } from '../api';
import { ChangingModel } from '../changingmodel';
import { asApiError } from '../fetched';
import { ServerPoll, serverPoll, startPoll } from '../polls';
import { StoryLink, StoryReply } from './storywire';

/** How often an open story is fetched again, in ms. */
export const STORY_POLL_MS = 5000;

/** What the model needs of the API client (DslApi). */
export interface IStorySource {
  getStory(number: number, path?: string): Promise<StoryReply>;
}

/** What a click on a link does: open a file, a run's output notebook, or a web page; or nothing. */
export type LinkTarget =
  | { kind: 'file'; path: string }
  | { kind: 'run'; id: string }
  | { kind: 'web'; url: string }
  | { kind: 'none' };

/** How a story's link opens in Lab: a run's output notebook (read-only) before its file, then a
 * file of the server root, then a web page (only http and https). */
export function linkTarget(link: StoryLink): LinkTarget {
  if (link.run) {
    return { kind: 'run', id: link.run };
  }
  if (link.path) {
    return { kind: 'file', path: link.path };
  }
  if (link.url && /^https?:\/\//i.test(link.url)) {
    return { kind: 'web', url: link.url };
  }
  return { kind: 'none' };
}

export class StoryModel extends ChangingModel {
  /** `path` locates the project (an API path: the notebook or folder the story was opened from). */
  constructor(
    private readonly source: IStorySource,
    readonly number: number,
    readonly path: string,
    interval = STORY_POLL_MS
  ) {
    super();
    this._poll = this.own(serverPoll('story', interval, () => this.refresh()));
  }

  /** The last story the server told (kept while a later fetch fails). */
  get reply(): StoryReply | null {
    return this._reply;
  }

  /** The error of the last fetch (null once one succeeded again). */
  get error(): DslApiError | null {
    return this._error;
  }

  /** Whether the first fetch is still under way. */
  get loading(): boolean {
    return this._reply === null && this._error === null;
  }

  /** Fetch the story now, then keep polling it. */
  start(): Promise<void> {
    const first = this.refresh().catch(() => undefined);
    void startPoll(this._poll);
    return first;
  }

  /** Fetch the story once; a failure is shown (and thrown, so a poll backs off). */
  async refresh(): Promise<void> {
    let reply: StoryReply;
    try {
      reply = await this.source.getStory(this.number, this.path);
    } catch (error) {
      this._set(this._reply, asApiError(error));
      throw error;
    }
    this._set(reply, null);
  }

  private _set(reply: StoryReply | null, error: DslApiError | null): void {
    if (this.isDisposed) {
      return;
    }
    const text = JSON.stringify(reply);
    const errorText = error ? `${error.status} ${error.message}` : null;
    if (text === this._text && errorText === this._errorText) {
      return;
    }
    this._reply = reply;
    this._error = error;
    this._text = text;
    this._errorText = errorText;
    this.emitChanged();
  }

  private readonly _poll: ServerPoll;
  private _reply: StoryReply | null = null;
  private _error: DslApiError | null = null;
  private _text = 'null';
  private _errorText: string | null = null;
}
