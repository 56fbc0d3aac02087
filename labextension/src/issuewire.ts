/**
 * Wire types of the issue, link and project routes (docs/rest-api.md): what the server answers and
 * the client (api.ts, which re-exports them) sends. Nothing here computes.
 */
export const ISSUE_TYPES = ['Ask', 'Data', 'Explore', 'Experiment', 'Model'] as const;

export type IssueType = (typeof ISSUE_TYPES)[number];
export type IssueState = 'open' | 'closed';
export type StateFilter = IssueState | 'all';
export type LinkStatusValue = 'active' | 'complete';

/** `jupyter_dsl.trackers.Issue.to_json()`. */
export interface Issue {
  tracker: string;
  number: number;
  title: string;
  body: string;
  state: IssueState;
  labels: string[];
  url: string;
  state_reason: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  author: string;
  comments: number;
  type: IssueType | null;
  ask: number | null;
}

/** The `issue` part of a notebook link. */
export interface IssueRef {
  tracker: string;
  number: number;
  type: IssueType | null;
  title: string;
  url: string;
}

/** What `metadata.jupyter_dsl` of a notebook holds (`NotebookLink.to_json()`). */
export interface NotebookLink {
  issue: IssueRef;
  ask: number | null;
  branch: string;
  status: LinkStatusValue;
  completed_at: string | null;
}

/** `jupyter_dsl.links.LinkStatus.to_json()`. */
export interface LinkStatus {
  path: string;
  link: NotebookLink | null;
  issue: Issue | null;
  ask: Issue | null;
  /** The issue names an Ask the tracker does not have. */
  ask_missing: boolean;
  branch: {
    current: string | null;
    /** The branch recorded in the link: the notebook's branch. */
    expected: string | null;
    matches: boolean;
    /** The issue's title now names another branch; the recorded one keeps its name. */
    title_changed: boolean;
  };
  issue_error: string | null;
}

export interface ProjectInfo {
  root: string;
  name: string;
  config: string | null;
  tracker: { kind: string; repo: string | null };
  branch: { current: string | null; base: string; issue: number | null };
}

/** What making a folder a DSLP project did (`POST /jupyter-dsl/project`, `jupyter dsl init --json`). */
export interface InitReport {
  /** The folder's API path. */
  root: string | null;
  created: string[];
  overwritten: string[];
  /** Files that exist and differ: left as they are. */
  kept: string[];
  /** Patterns added to .gitignore. */
  ignored: string[];
  git_initialized: boolean;
  /** The commit of the files it wrote (only in a repository it made), or null. */
  committed: string | null;
  /** Why a repository it made has no commit yet, or null. */
  commit_skipped: string | null;
  changed: boolean;
}

export interface InitReply {
  report: InitReport;
  project: ProjectInfo;
}

export interface TemplateInfo {
  key: string;
  name: string;
  title_pattern: string;
  sections: string[];
}

export interface IssueTypeInfo {
  type: IssueType;
  color: string;
  description: string;
  links_ask: boolean;
  templates: TemplateInfo[];
}

export interface LabelInfo {
  name: string;
  kind: string;
  color: string;
  description: string;
}

export interface TemplatesReply {
  types: IssueTypeInfo[];
  labels: LabelInfo[];
}

export interface IssueQuery {
  /** A file or directory (Jupyter API path) that locates the project. */
  path?: string;
  type?: IssueType;
  state?: StateFilter;
  label?: string[];
}

/** The body of `POST /jupyter-dsl/issues`. */
export interface NewIssueRequest {
  path?: string;
  type: IssueType;
  title: string;
  ask?: number;
  experiment?: number;
  sections?: Record<string, string>;
  variant?: string;
}

export interface IssueReply {
  issue: Issue;
  ask: Issue | null;
  ask_missing: boolean;
  link: NotebookLink;
  /** Set when the forge was unreachable: the time of the cached copy shown. */
  offline_as_of?: string | null;
}

export interface CreatedIssueReply {
  issue: Issue;
  link: NotebookLink;
}
