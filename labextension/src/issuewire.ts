/**
 * Wire types of the issue, link and project routes: the types generated from the REST API's OpenAPI
 * description (jupyter_dsl/server/openapi/; `jlpm gen:api` writes openapi.d.ts), under the names the
 * sidebar uses. The client (api.ts) re-exports them. Nothing here computes.
 */
import type { components, operations } from './openapi';

type Schemas = components['schemas'];

export type IssueType = Schemas['IssueType'];

/** Every issue type, in the DSLP's order. */
export const ISSUE_TYPES = [
  'Ask',
  'Data',
  'Explore',
  'Experiment',
  'Model'
] as const satisfies readonly IssueType[];

export type IssueState = Schemas['Issue']['state'];
export type StateFilter = NonNullable<IssueQuery['state']>;
export type LinkStatusValue = Schemas['NotebookLink']['status'];

/** `jupyter_dsl.trackers.Issue.to_json()`. */
export type Issue = Schemas['Issue'];

/** The `issue` part of a notebook link. */
export type IssueRef = Schemas['IssueRef'];

/** What `metadata.jupyter_dsl` of a notebook holds (`NotebookLink.to_json()`). */
export type NotebookLink = Schemas['NotebookLink'];

/** `jupyter_dsl.notebook.links.LinkStatus.to_json()`. */
export type LinkStatus = Schemas['LinkStatus'];

/** `GET /jupyter-dsl/project`. */
export type ProjectInfo = Schemas['ProjectInfo'];

/** What making a folder a DSLP project did (`POST /jupyter-dsl/project`, `jupyter dsl init --json`). */
export type InitReport = Schemas['InitReport'];

export type InitReply = Schemas['InitReply'];

export type TemplateInfo = Schemas['TemplateInfo'];

export type IssueTypeInfo = Schemas['IssueTypeInfo'];

export type LabelInfo = Schemas['LabelInfo'];

/** `GET /jupyter-dsl/templates`. */
export type TemplatesReply = Schemas['TemplatesReply'];

/** The query of `GET /jupyter-dsl/issues`. */
export type IssueQuery = NonNullable<operations['listIssues']['parameters']['query']>;

/** The body of `POST /jupyter-dsl/issues`. */
export type NewIssueRequest = Schemas['NewIssueRequest'];

/** `GET /jupyter-dsl/issues/{n}`. */
export type IssueReply = Schemas['IssueReply'];

/** `POST /jupyter-dsl/issues`. */
export type CreatedIssueReply = Schemas['CreatedIssueReply'];
