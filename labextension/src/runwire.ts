/**
 * Wire types of the parameters, runs, batch and chart routes (docs/rest-api.md): what the server
 * answers and the client (api.ts, which re-exports them) sends. Nothing here computes.
 */
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
  /** The cell tagged `parameters` as JupyterLab numbers it (from 1), or null when there is none. */
  cell: number | null;
  /** Its position in the notebook's cells (from 0), or null. */
  cell_index: number | null;
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
  /** The failing cell of the input notebook, from 1; null when the failure was not in a cell. */
  cell: number | null;
  /** Its position in the notebook's cells (from 0), or null. */
  cell_index: number | null;
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
