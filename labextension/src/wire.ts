/**
 * Wire types of the routes behind the sidebar's Parameters and Findings sections and its branch
 * switch (docs/rest-api.md). The client (api.ts) sends and reads them; nothing here computes.
 */
import { Issue, NotebookLink } from './issuewire';

/** `GET /jupyter-dsl/values/{path}`: typed values and config files checked by the core. */
export interface ValuesReply {
  valid: boolean;
  message: string | null;
  hint: string | null;
  values: Record<string, unknown>;
  /** Where each value comes from: "the form" or a config file's API path. */
  sources: Record<string, string>;
  coerced: Record<string, string>;
  /** One message per typed value that is wrong on its own. */
  errors: Record<string, string>;
  /** One message per config file that is wrong on its own. */
  config_errors: Record<string, string>;
}

/** What the parameters form sends: values as typed (text, like `-p NAME TEXT`) and config files. */
export interface RunValues {
  set: Record<string, string>;
  config: string[];
}

export type JobState = 'running' | 'done' | 'failed';

/** A run the server started for the sidebar (`GET /jupyter-dsl/jobs`). */
export interface Job {
  id: string;
  path: string;
  parameters: Record<string, unknown>;
  state: JobState;
  started_at: string;
  finished_at: string | null;
  run: { id: string; status: string } | null;
  error: { message: string; hint: string | null } | null;
}

/** `GET /jupyter-dsl/branch/{path}`. */
export interface BranchState {
  current: string | null;
  expected: string | null;
  exists: boolean;
}

/** `POST /jupyter-dsl/branch/{path}`. */
export interface BranchSwitch {
  branch: string;
  created: boolean;
  base: string | null;
  previous: string | null;
  stash_note: string | null;
}

export interface GoalItem {
  number: number;
  text: string;
  done: boolean;
}

/** `/jupyter-dsl/goals/{path}`. */
export interface GoalsReply {
  issue: number;
  goals: GoalItem[];
}

export type SummaryFormat = 'html' | 'md';

/** `GET /jupyter-dsl/findings/{path}`: the summary of the saved notebook. */
export interface FindingsReply {
  title: string;
  tldr: string;
  explicit_tldr: boolean;
  issue: number | null;
  type: string | null;
  goals: (GoalItem & { answered_by: number[] })[];
  insights: {
    title: string;
    /** The cell it comes from, from 1 (`cell_index`: from 0). */
    cell: number;
    cell_index: number;
    answers: string | null;
    artifacts: number;
  }[];
  format: SummaryFormat;
  text: string;
}

export type StepState = 'done' | 'already done' | 'would do';

export interface StepResult {
  description: string;
  state: StepState;
  /** What exactly is written or posted (dry run); '' when the description says it all. */
  detail: string;
}

export interface CompleteRequest {
  dry_run?: boolean;
  outcome?: 'succeeded' | 'failed';
  promote?: boolean;
}

/** `POST /jupyter-dsl/findings/{path}`. */
export interface CompleteReply {
  issue: Issue;
  dry_run: boolean;
  steps: StepResult[];
  notes: string[];
  summary_path: string | null;
  /** The completed link for the open document (null: nothing to set). */
  link: NotebookLink | null;
  saved_status: string | null;
}

/** What an answer read from a forge adds: the time of the cached copy when the forge was unreachable. */
export interface OfflineState {
  offline_as_of?: string | null;
}

/** `POST /jupyter-dsl/links/{path}/prepare`: the link to set, after the issue was listed in its Ask. */
export interface PreparedLinkReply extends OfflineState {
  issue: Issue;
  link: NotebookLink;
}

/** `POST /jupyter-dsl/pulls/{path}`: the branch pushed and its pull (merge) request. */
export interface PullReply extends OfflineState {
  issue: number;
  pull: { number: number; state: string; url: string };
  branch: string;
  remote: string;
  created: boolean;
}
