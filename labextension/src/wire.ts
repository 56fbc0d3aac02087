/**
 * Wire types of the routes behind the sidebar's Parameters and Findings sections, its branch switch
 * and its forge actions: the types generated from the REST API's OpenAPI description
 * (jupyter_dsl/server/openapi/; `jlpm gen:api` writes openapi.d.ts), under the names the sidebar
 * uses. The client (api.ts) sends and reads them; nothing here computes.
 */
import type { components } from './openapi';

type Schemas = components['schemas'];

/** `GET /jupyter-dsl/values/{path}`: typed values and config files checked by the core. */
export type ValuesReply = Schemas['ValuesReply'];

/** What the parameters form sends: values as typed (text, like `-p NAME TEXT`) and config files. */
export type RunValues = Required<Pick<Schemas['JobRequest'], 'set' | 'config'>>;

export type JobState = Schemas['Job']['state'];

/** A run the server started for the sidebar (`GET /jupyter-dsl/jobs`). */
export type Job = Schemas['Job'];

/** `GET /jupyter-dsl/branch/{path}`. */
export type BranchState = Schemas['BranchState'];

/** `POST /jupyter-dsl/branch/{path}`. */
export type BranchSwitch = Schemas['BranchSwitch'];

export type GoalItem = Schemas['GoalItem'];

/** `/jupyter-dsl/goals/{path}`. */
export type GoalsReply = Schemas['GoalsReply'];

export type SummaryFormat = Schemas['SummaryFormat'];

/** `GET /jupyter-dsl/findings/{path}`: the summary of the saved notebook. */
export type FindingsReply = Schemas['FindingsReply'];

export type StepState = Schemas['StepResult']['state'];

export type StepResult = Schemas['StepResult'];

/** The body of `POST /jupyter-dsl/findings/{path}`. */
export type CompleteRequest = Schemas['CompleteRequest'];

/** `POST /jupyter-dsl/findings/{path}`. */
export type CompleteReply = Schemas['CompleteReply'];

/** What an answer read from a forge adds: the time of the cached copy when the forge was unreachable. */
export type OfflineState = { offline_as_of: Schemas['OfflineAsOf'] };

/** `POST /jupyter-dsl/links/{path}/prepare`: the link to set, after the issue was listed in its Ask. */
export type PreparedLinkReply = Schemas['PreparedLinkReply'];

/** `POST /jupyter-dsl/pulls/{path}`: the branch pushed and its pull (merge) request. */
export type PullReply = Schemas['PullReply'];

/** Whether the project's local issues can sync with a git remote, and when they last did. */
export type SyncStatus = Schemas['SyncStatus'];

/** What a sync brought in, sent out and renumbered (`jupyter dsl sync`). */
export type SyncReply = Schemas['SyncReply'];

/** A Data issue's dataset versions (with the runs that read each) and its runs' model versions. */
export type VersionsReply = Schemas['VersionsReply'];

export type DatasetVersion = Schemas['DatasetVersion'];

export type ModelVersion = Schemas['ModelVersion'];
