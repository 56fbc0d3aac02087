/** Wire values the unit tests share. */
import { BatchState, Issue, NotebookLink, RunsReply } from '../api';

/** A link exactly as `NotebookLink.to_json()` writes it. */
export const LINK: NotebookLink = {
  issue: {
    tracker: 'local',
    number: 2,
    type: 'Explore',
    title: 'Churn by region',
    url: ''
  },
  ask: 1,
  branch: 'explore/2-churn-by-region',
  status: 'active',
  completed_at: null
};

/** An issue as the server answers it, with `extra` fields set. */
export function sampleIssue(
  number: number,
  title: string,
  extra: Partial<Issue> = {}
): Issue {
  return {
    tracker: 'local',
    number,
    title,
    body: '',
    state: 'open',
    labels: [],
    url: '',
    state_reason: null,
    created_at: '',
    updated_at: '',
    closed_at: null,
    author: '',
    comments: 0,
    type: 'Explore',
    ask: 1,
    ...extra
  };
}

/** A runs listing with no runs on this page and `total` in all. */
export const sampleRuns = (total: number): RunsReply => ({
  runs: [],
  varying_parameters: [],
  metrics: [],
  total
});

/** A batch of 3 as the server answers it: the first run running, two queued. */
export function runningBatch(): BatchState {
  return {
    id: '20260101-120000-abcdef',
    notebook: 'tune.ipynb',
    kernel: 'python3',
    status: 'running',
    total: 3,
    created_at: '2026-01-01T12:00:00',
    finished_at: null,
    cancel_requested: false,
    driver_pid: 4242,
    driver_host: 'lab',
    heartbeat_at: 1767268801,
    grid: { grid: { alpha: [0, 1, 2] } },
    counts: { running: 1, queued: 2 },
    varying: ['alpha'],
    options: {},
    runs: ['running', 'queued', 'queued'].map((state, position) => ({
      position,
      identity: `i${position}`,
      parameters: { alpha: position },
      state: state as 'running' | 'queued',
      run_id: state === 'running' ? `20260101-120000-r${position}` : null,
      started_at: null,
      duration_s: null,
      error: null,
      metrics: {}
    }))
  };
}
