/** Wire values the unit tests share. */
import { Issue, NotebookLink, RunsReply } from '../api';

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
