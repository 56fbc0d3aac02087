/**
 * The one typed client of the jupyter-dsl REST API (docs/rest-api.md).
 *
 * Every request goes through `ServerConnection.makeRequest`, which adds the token or the XSRF
 * header exactly as for JupyterLab's own APIs. A non-2xx answer becomes a `DslApiError` that
 * carries the status and the server's `{message, hint}`.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { INotebookContent } from '@jupyterlab/nbformat';
import { ServerConnection } from '@jupyterlab/services';

import {
  BranchState,
  BranchSwitch,
  CompleteReply,
  CompleteRequest,
  FindingsReply,
  GoalsReply,
  Job,
  PreparedLinkReply,
  PullReply,
  RunValues,
  SummaryFormat,
  ValuesReply
} from './wire';

/** The version of this labextension; the server extension must answer the same (`GET version`). */
export const EXTENSION_VERSION = '0.1.0';

/** The URL namespace of the server extension. */
export const API_NAMESPACE = 'jupyter-dsl';

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

/** One parameter of a notebook's parameters cell (`jupyter_dsl.parameters.Parameter.to_json()`). */
export interface NotebookParameter {
  name: string;
  /** The inferred kind: "int", "float", "str", "bool", "list", "dict", "None" or "any". */
  type: string;
  /** The default as written in the cell. */
  default: string;
  help: string;
  /** The annotation as written ("List[str]"); empty without one. */
  annotation: string;
  /** None is accepted as well as `type`. */
  optional: boolean;
}

/** `GET /jupyter-dsl/params/{path}`. */
export interface ParamsReply {
  path: string;
  /** The index (from 0) of the cell tagged `parameters`, or null when there is none. */
  cell: number | null;
  parameters: NotebookParameter[];
  /** Lines of the cell papermill could not read as parameters. */
  notes: string[];
}

export const RUN_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'interrupted',
  'killed'
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** One row of a run list (`jupyter_dsl.runs.RunSummary.to_json()`). */
export interface RunSummary {
  id: string;
  /** As stored: relative to the project root. */
  notebook: string;
  status: RunStatus;
  issue: number | null;
  batch_id: string | null;
  started_at: string;
  duration_s: number | null;
  parameters: Record<string, unknown>;
  /** Numeric recorded values; NaN and infinities arrive as null. */
  metrics: Record<string, number | null>;
}

/** `GET /jupyter-dsl/runs`: newest first; `total` counts the matches before the limit. */
export interface RunsReply {
  runs: RunSummary[];
  varying_parameters: string[];
  metrics: string[];
  total: number;
}

export interface RunQuery {
  /** The notebook's Jupyter API path. */
  path: string;
  status?: RunStatus;
  /** How many runs at most (the server's default without it; 0 for all). */
  limit?: number;
}

/** Why a run failed (`jupyter_dsl.runs.RunError`). */
export interface RunError {
  /** The failing cell of the input notebook, from 0; null when the failure was not in a cell. */
  cell: number | null;
  ename: string;
  evalue: string;
  /** Lines, ANSI colours stripped. */
  traceback: string[];
  execution_count: number | null;
}

/** A full run record (`jupyter_dsl.runs.RunRecord.to_json()`); the fields the sidebar reads. */
export interface RunRecord extends RunSummary {
  kernel: string;
  finished_at: string | null;
  error: RunError | null;
  /** Artifact URLs, the output notebook first. */
  artifacts: string[];
  output_notebook: string | null;
  warnings: string[];
  git: { commit: string | null; branch: string | null; dirty: boolean } | null;
}

/** `GET /jupyter-dsl/runs/{id}`: the full record and the API path of its output notebook. */
export interface RunReply {
  run: RunRecord;
  output: string | null;
}

/** A grid typed in the Batch section: parameter name -> values (a list, or text like "0.1, 0.5"). */
export type GridValues = Record<string, string | unknown[]>;

/** The body of `POST /jupyter-dsl/batches` and `/batches/preview`. */
export interface BatchRequest {
  /** The notebook's Jupyter API path. */
  path: string;
  grid: GridValues;
  /** Fixed values for every run. */
  parameters?: Record<string, unknown>;
  /** Runs at once (0 or absent: the project's default). */
  workers?: number;
  /** Seconds per run. */
  timeout?: number;
}

/** `POST /jupyter-dsl/batches/preview`: the parameter sets, or every problem naming its entry. */
export interface GridPreview {
  count: number;
  /** At most 500 of them. */
  sets: { parameters: Record<string, unknown>; identity: string }[];
  /** The parameters whose value differs between the sets. */
  varying: string[];
  errors: string[];
  hint: string | null;
}

export const BATCH_RUN_STATES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'interrupted',
  'killed',
  'lost'
] as const;

export type BatchRunStateName = (typeof BATCH_RUN_STATES)[number];

/** One parameter set of a batch (`jupyter_dsl.runs.batch_state.BatchRun`). */
export interface BatchRun {
  position: number;
  identity: string;
  parameters: Record<string, unknown>;
  state: BatchRunStateName;
  run_id: string | null;
  started_at: string | null;
  duration_s: number | null;
  /** "ename: evalue" of a run that did not succeed. */
  error: string | null;
  metrics: Record<string, number | null>;
}

export type BatchStatus = 'running' | 'finished' | 'cancelled' | 'lost';

/** `GET /jupyter-dsl/batches/{id}` (`BatchState.to_json()`). */
export interface BatchState {
  id: string;
  notebook: string;
  kernel: string;
  status: BatchStatus;
  total: number;
  created_at: string;
  finished_at: string | null;
  cancel_requested: boolean;
  counts: Partial<Record<BatchRunStateName, number>>;
  options: Record<string, unknown>;
  runs: BatchRun[];
}

/** One row of `GET /jupyter-dsl/batches?path=`. */
export interface BatchListItem {
  id: string;
  notebook: string;
  status: BatchStatus;
  total: number;
  created_at: string;
  finished_at: string | null;
}

/** `POST /jupyter-dsl/runs/{id}/rerun`. */
export interface RerunReply {
  original: string;
  run: RunRecord;
  changes: Record<string, unknown>;
}

/** `GET /jupyter-dsl/chart`: a metric against a parameter, one series per other parameters' values. */
export interface ChartData {
  x: string;
  y: string;
  title: string;
  series: { label: string; points: [unknown, number][] }[];
}

export interface ChartQuery {
  path: string;
  x: string;
  y: string;
  batch?: string;
}

/** An error answered by the server (or the network), with the server's hint when it gave one. */
export class DslApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint: string | null = null
  ) {
    super(message);
    this.name = 'DslApiError';
  }
}

type QueryValue = string | number | undefined | null | string[];

/** Encode a Jupyter API path (POSIX, relative) segment by segment, keeping its `/`s. */
export function encodeApiPath(path: string): string {
  return path
    .split('/')
    .filter(segment => segment !== '')
    .map(segment => encodeURIComponent(segment))
    .join('/');
}

/** The query string of `query` (repeated keys for arrays, empty values left out), with its `?`. */
export function queryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, String(item));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The full URL of a route under the extension's namespace. */
export function routeUrl(
  baseUrl: string,
  route: string,
  query: Record<string, QueryValue> = {}
): string {
  return URLExt.join(baseUrl, API_NAMESPACE, route) + queryString(query);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turn an error answer's body into a `DslApiError` (tolerates non-JSON bodies, e.g. a proxy's page). */
export function errorFromBody(
  status: number,
  body: string,
  statusText = ''
): DslApiError {
  let message: string | null = null;
  let hint: string | null = null;
  try {
    const data: unknown = JSON.parse(body);
    if (isRecord(data)) {
      if (typeof data.message === 'string' && data.message) {
        message = data.message;
      } else if (typeof data.reason === 'string' && data.reason) {
        message = data.reason; // tornado's own error pages (e.g. 403 before our handler runs)
      }
      hint = typeof data.hint === 'string' && data.hint ? data.hint : null;
    }
  } catch {
    // not JSON: fall through to the status line
  }
  if (message === null) {
    if (status === 404 && hint === null) {
      hint =
        'Is the jupyter_dsl server extension enabled? `jupyter server extension list` tells.';
    }
    const text = body.trim();
    const short = text && text.length <= 200 && !text.startsWith('<');
    message = short
      ? text
      : `the server answered ${status}${statusText ? ` ${statusText}` : ''}`;
  }
  return new DslApiError(status, message, hint);
}

export class DslApi {
  /** Pass the application's `serviceManager.serverSettings` (base URL, token, XSRF). */
  constructor(
    readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  version(): Promise<{ version: string }> {
    return this.request('GET', 'version');
  }

  project(path?: string): Promise<ProjectInfo> {
    return this.request('GET', 'project', { path });
  }

  templates(): Promise<TemplatesReply> {
    return this.request('GET', 'templates');
  }

  async listIssues(query: IssueQuery = {}): Promise<Issue[]> {
    const reply = await this.request<{ issues: Issue[] }>('GET', 'issues', {
      path: query.path,
      type: query.type,
      state: query.state,
      label: query.label
    });
    return reply.issues;
  }

  async getIssue(number: number, path?: string): Promise<IssueReply> {
    return this.request('GET', `issues/${checkNumber(number)}`, { path });
  }

  createIssue(request: NewIssueRequest): Promise<CreatedIssueReply> {
    return this.request('POST', 'issues', {}, request);
  }

  getLink(path: string): Promise<LinkStatus> {
    return this.request('GET', `links/${encodeApiPath(path)}`);
  }

  /** Link a notebook that is NOT open in an editor (the server writes the file). */
  async putLink(path: string, number: number): Promise<LinkStatus> {
    return this.request(
      'PUT',
      `links/${encodeApiPath(path)}`,
      {},
      {
        number: checkNumber(number)
      }
    );
  }

  /** The link for an open notebook: the server lists the issue in its Ask, writes no file. */
  async prepareLink(path: string, number: number): Promise<PreparedLinkReply> {
    return this.request(
      'POST',
      `links/${encodeApiPath(path)}/prepare`,
      {},
      { number: checkNumber(number) }
    );
  }

  /** Push the saved notebook's branch and open (or reuse) its pull request on the forge. */
  openPull(path: string, draft = false): Promise<PullReply> {
    return this.request('POST', `pulls/${encodeApiPath(path)}`, {}, { draft });
  }

  /** Unlink a notebook that is NOT open in an editor (the server writes the file). */
  deleteLink(path: string): Promise<LinkStatus> {
    return this.request('DELETE', `links/${encodeApiPath(path)}`);
  }

  /** The parameters cell of a notebook, as saved on disk. */
  getParams(path: string): Promise<ParamsReply> {
    return this.request('GET', `params/${encodeApiPath(path)}`);
  }

  /** The recorded runs of a notebook, newest first. */
  listRuns(query: RunQuery): Promise<RunsReply> {
    const { limit } = query;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      return Promise.reject(
        new DslApiError(
          400,
          `${String(limit)} is not a number of runs`,
          'Use a whole number (0 for all).'
        )
      );
    }
    return this.request('GET', 'runs', {
      path: query.path,
      status: query.status,
      limit
    });
  }

  /** One run by id (or a unique prefix of it). */
  getRun(id: string, path?: string): Promise<RunReply> {
    return isRunId(id)
      ? this.request('GET', `runs/${encodeURIComponent(id)}`, { path })
      : Promise.reject(notARunId(id));
  }

  /** A run's output notebook (read from the artifact store; the server never writes it). */
  getRunNotebook(id: string, path?: string): Promise<INotebookContent> {
    return isRunId(id)
      ? this.request('GET', `runs/${encodeURIComponent(id)}/notebook`, { path })
      : Promise.reject(notARunId(id));
  }

  // -- the sidebar's sections (wire types in wire.ts) ----------------------------------------

  /** Check typed values and config files against the saved notebook's parameters cell. */
  checkValues(path: string, values: RunValues): Promise<ValuesReply> {
    const set = Object.entries(values.set).map(([name, text]) => `${name}=${text}`);
    return this.request('GET', `values/${encodeApiPath(path)}`, {
      set,
      config: values.config
    });
  }

  /** The project's YAML config files (API paths). */
  async listConfigs(path: string): Promise<string[]> {
    const reply = await this.request<{ configs: string[] }>('GET', 'configs', { path });
    return reply.configs;
  }

  /** Start one recorded run of the saved notebook in the server's executor. */
  async startRun(path: string, values: RunValues): Promise<Job> {
    const reply = await this.request<{ job: Job }>(
      'POST',
      'jobs',
      {},
      {
        path,
        set: values.set,
        config: values.config
      }
    );
    return reply.job;
  }

  /** The runs the server started (for one notebook), newest first. */
  async listJobs(path?: string): Promise<Job[]> {
    const reply = await this.request<{ jobs: Job[] }>('GET', 'jobs', { path });
    return reply.jobs;
  }

  getBranch(path: string): Promise<BranchState> {
    return this.request('GET', `branch/${encodeApiPath(path)}`);
  }

  /** Switch git to the notebook's DSLP branch (created when missing). */
  switchBranch(path: string, force = false): Promise<BranchSwitch> {
    return this.request('POST', `branch/${encodeApiPath(path)}`, {}, { force });
  }

  getGoals(path: string): Promise<GoalsReply> {
    return this.request('GET', `goals/${encodeApiPath(path)}`);
  }

  addGoal(path: string, question: string): Promise<GoalsReply> {
    return this.request('POST', `goals/${encodeApiPath(path)}`, {}, { question });
  }

  async tickGoal(path: string, number: number, done: boolean): Promise<GoalsReply> {
    if (!Number.isInteger(number) || number < 1) {
      throw new DslApiError(
        400,
        `${String(number)} is not a goal number`,
        'Goals count from 1.'
      );
    }
    return this.request('PUT', `goals/${encodeApiPath(path)}`, {}, { number, done });
  }

  /** The findings summary of the saved notebook, rendered as HTML or Markdown. */
  getFindings(path: string, to: SummaryFormat = 'html'): Promise<FindingsReply> {
    return this.request('GET', `findings/${encodeApiPath(path)}`, { to });
  }

  /** Complete the notebook's issue (or, with `dry_run`, say exactly what that would do). */
  complete(path: string, request: CompleteRequest): Promise<CompleteReply> {
    return this.request('POST', `findings/${encodeApiPath(path)}`, {}, request);
  }

  /** Validate and expand a grid; nothing starts (problems come back in `errors`, not as an error). */
  previewBatch(request: BatchRequest): Promise<GridPreview> {
    return this.request('POST', 'batches/preview', {}, request);
  }

  /** Start a batch in the server process; answers once it is recorded (its state, with its id). */
  startBatch(request: BatchRequest): Promise<BatchState> {
    return this.request('POST', 'batches', {}, request);
  }

  /** A batch's state: each parameter set queued, running, succeeded, failed... */
  getBatch(id: string, path?: string): Promise<BatchState> {
    return isRunId(id)
      ? this.request('GET', `batches/${encodeURIComponent(id)}`, { path })
      : Promise.reject(notARunId(id));
  }

  /** The latest batches of a notebook, newest first. */
  async listBatches(path: string): Promise<BatchListItem[]> {
    const reply = await this.request<{ batches: BatchListItem[] }>('GET', 'batches', {
      path
    });
    return reply.batches;
  }

  /** Ask a batch's driver to cancel (it stops at its next heartbeat). */
  cancelBatch(id: string, path?: string): Promise<BatchState> {
    return isRunId(id)
      ? this.request('POST', `batches/${encodeURIComponent(id)}/cancel`, { path })
      : Promise.reject(notARunId(id));
  }

  /** Run a recorded run again with its parameters; answers when the new run finished. */
  rerunRun(id: string, path?: string): Promise<RerunReply> {
    return isRunId(id)
      ? this.request('POST', `runs/${encodeURIComponent(id)}/rerun`, { path })
      : Promise.reject(notARunId(id));
  }

  /** A stamp that changes whenever a run of the notebook is added or finishes (cheap to poll). */
  async runStamp(path: string): Promise<string> {
    const reply = await this.request<{ stamp: string }>('GET', 'run-stamp', { path });
    return reply.stamp;
  }

  /** A metric against a parameter over the notebook's (or a batch's) succeeded runs. */
  chartData(query: ChartQuery): Promise<ChartData> {
    return this.request('GET', 'chart', { ...query });
  }

  private async request<T>(
    method: string,
    route: string,
    query: Record<string, QueryValue> = {},
    body?: object
  ): Promise<T> {
    const url = routeUrl(this.settings.baseUrl, route, query);
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'Content-Type': 'application/json' };
    }
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, init, this.settings);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DslApiError(
        0,
        `cannot reach the Jupyter server: ${reason}`,
        'Check that the server is running.'
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw errorFromBody(response.status, text, response.statusText);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new DslApiError(
        response.status,
        `the server answered ${route} with something that is not JSON`,
        'Is the jupyter_dsl server extension enabled? `jupyter server extension list` tells.'
      );
    }
  }
}

/** What a run id (or a prefix of one) can look like: `20250131-142501-3f9a1c`. */
export function isRunId(id: string): boolean {
  return /^[\w-][\w.-]*$/.test(id);
}

function notARunId(id: string): DslApiError {
  return new DslApiError(400, `${JSON.stringify(id)} is not a run id`);
}

function checkNumber(number: number): number {
  if (!Number.isInteger(number) || number < 1) {
    throw new DslApiError(
      400,
      `${String(number)} is not an issue number`,
      'Issue numbers are whole numbers from 1.'
    );
  }
  return number;
}
