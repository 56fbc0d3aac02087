/**
 * Wire types of the parameters, runs, batch and chart routes: the types generated from the REST API's
 * OpenAPI description (jupyter_dsl/server/openapi/; `jlpm gen:api` writes openapi.d.ts), under the
 * names the sidebar uses. The client (api.ts) re-exports them. Nothing here computes.
 */
import type { components, operations } from './openapi';

type Schemas = components['schemas'];

/** One parameter of a notebook's parameters cell (`jupyter_dsl.notebook.parameters.Parameter.to_json()`). */
export type NotebookParameter = Schemas['NotebookParameter'];

/** `GET /jupyter-dsl/params/{path}`. */
export type ParamsReply = Schemas['ParamsReply'];

export type RunStatus = Schemas['RunStatus'];

/** The statuses the sidebar filters runs by. */
export const RUN_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'interrupted',
  'killed'
] as const satisfies readonly RunStatus[];

/** One row of a run list (`jupyter_dsl.runs.RunSummary.to_json()`). */
export type RunSummary = Schemas['RunSummary'];

/** `GET /jupyter-dsl/runs`: newest first; `total` counts the matches before the limit. */
export type RunsReply = Schemas['RunsReply'];

/** The query of `GET /jupyter-dsl/runs`. */
export type RunQuery = operations['listRuns']['parameters']['query'];

/** Why a run failed (`jupyter_dsl.runs.RunError`). */
export type RunError = Schemas['RunError'];

/** Why a run's commit does not hold one of its files (`jupyter_dsl.runs.records.Unreproducible`). */
export type UnreproducibleFile = Schemas['UnreproducibleFile'];

/** A full run record (`jupyter_dsl.runs.RunRecord.to_json()`). */
export type RunRecord = Schemas['RunRecord'];

/** `GET /jupyter-dsl/runs/{id}`: the full record and the API path of its output notebook. */
export type RunReply = Schemas['RunReply'];

/** A grid typed in the Batch section: parameter name -> values (a list, or text like "0.1, 0.5"). */
export type GridValues = BatchRequest['grid'];

/** The body of `POST /jupyter-dsl/batches` and `/batches/preview`. */
export type BatchRequest = Schemas['BatchRequest'];

/** `GET /jupyter-dsl/configs`: the project's YAML files, config files and grid files apart. */
/** `GET /jupyter-dsl/configs`: config files (for -f) apart from grid files (for a batch). */
export type ConfigFiles = Schemas['ConfigsReply'];

/** `GET /jupyter-dsl/grids/{path}`: a grid file as the grid editor holds it. */
export type GridFile = Schemas['GridForm'];

/** `POST /jupyter-dsl/batches/preview`: the parameter sets, or every problem naming its entry. */
export type GridPreview = Schemas['GridPreview'];

export type BatchRunStateName = Schemas['BatchRunState'];

/** Every state of a batch's run, in the order the progress bar shows them. */
export const BATCH_RUN_STATES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'interrupted',
  'killed',
  'lost'
] as const satisfies readonly BatchRunStateName[];

/** One parameter set of a batch (`jupyter_dsl.batch.state.BatchRun`). */
export type BatchRun = Schemas['BatchRun'];

export type BatchStatus = Schemas['BatchStatus'];

/** `GET /jupyter-dsl/batches/{id}` (`BatchState.to_json()`). */
export type BatchState = Schemas['BatchState'];

/** One row of `GET /jupyter-dsl/batches?path=`. */
export type BatchListItem = Schemas['BatchListItem'];

/** `POST /jupyter-dsl/runs/{id}/rerun`. */
export type RerunReply = Schemas['RerunReply'];

/** `GET /jupyter-dsl/chart`: a metric against a parameter, one series per other parameters' values. */
export type ChartData = Schemas['ChartData'];

/** The query of `GET /jupyter-dsl/chart` (as JSON). */
export type ChartQuery = Omit<operations['getChart']['parameters']['query'], 'format'>;
