/**
 * The one typed client of the jupyter-dsl REST API (docs/rest-api.md).
 *
 * Every request goes through `ServerConnection.makeRequest`, which adds the token or the XSRF
 * header exactly as for JupyterLab's own APIs. A non-2xx answer becomes a `DslApiError` that
 * carries the status and the server's `{message, hint}`.
 */
import { INotebookContent } from '@jupyterlab/nbformat';
import { ServerConnection } from '@jupyterlab/services';

import {
  DslApiError,
  encodeApiPath,
  errorFromBody,
  QueryValue,
  routeUrl
} from './apierror';
import {
  CreatedIssueReply,
  InitReply,
  Issue,
  IssueQuery,
  IssueReply,
  LinkStatus,
  NewIssueRequest,
  ProjectInfo,
  TemplatesReply
} from './issuewire';
import {
  BatchListItem,
  BatchRequest,
  BatchState,
  ChartData,
  ChartQuery,
  ConfigFiles,
  GridFile,
  GridPreview,
  ParamsReply,
  RunQuery,
  RunReply,
  RunsReply
} from './runwire';
import { StoryReply } from './story/storywire';
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
  SyncReply,
  SyncStatus,
  ValuesReply,
  VersionsReply
} from './wire';

/** The version of this labextension; the server extension must answer the same (`GET version`). */
export const EXTENSION_VERSION = '0.1.0';
export * from './apierror';
export * from './issuewire';
export * from './runwire';

export class DslApi {
  /** Pass the application's `serviceManager.serverSettings` (base URL, token, XSRF). */
  constructor(
    readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  version(): Promise<{ version: string }> {
    return this.request('GET', 'version');
  }

  /** Whether the project of `path` can sync its issues with a git remote, and when it last did. */
  syncStatus(path: string): Promise<SyncStatus> {
    return this.request('GET', 'sync', { path });
  }

  /** Sync the project's issues with its git remote, as `jupyter dsl sync` does. */
  sync(path: string): Promise<SyncReply> {
    return this.request('POST', 'sync', {}, { path });
  }

  /** The dataset and model versions of issue `number` (a Data or Model issue). */
  issueVersions(number: number, path: string): Promise<VersionsReply> {
    return this.request('GET', `issues/${checkNumber(number)}/versions`, { path });
  }

  project(path?: string): Promise<ProjectInfo> {
    return this.request('GET', 'project', { path });
  }

  /** Make folder `path` a DSLP project, as `jupyter dsl init` does (files are never overwritten). */
  initProject(path: string, templates = false): Promise<InitReply> {
    return this.request('POST', 'project', {}, { path, templates });
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

  /** The story of Ask `number` (`jupyter dsl story`), its links as Lab opens them. */
  getStory(number: number, path?: string): Promise<StoryReply> {
    return this.request('GET', `story/${checkNumber(number)}`, { path });
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

  /** The recorded runs of a notebook (or of one of its batches), newest first; `where`: the metric
   * filters of `jupyter dsl runs --where`. */
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
      limit,
      where: query.where,
      batch: query.batch
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

  /** The project's YAML files (API paths): config files, and grid files apart. */
  listConfigs(path: string): Promise<ConfigFiles> {
    return this.request('GET', 'configs', { path });
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

  /** A grid file (API path) as the grid editor holds it. */
  loadGridFile(path: string): Promise<GridFile> {
    return this.request('GET', `grids/${encodeApiPath(path)}`);
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

  /** Run a recorded run again with its parameters: a job of the server's run service, answered
   * at once (follow it with `waitForJob`). */
  async rerunRun(id: string, path?: string): Promise<Job> {
    if (!isRunId(id)) {
      throw notARunId(id);
    }
    const reply = await this.request<{ job: Job }>(
      'POST',
      `runs/${encodeURIComponent(id)}/rerun`,
      { path }
    );
    return reply.job;
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
