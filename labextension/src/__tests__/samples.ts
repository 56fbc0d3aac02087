/** Wire values the unit tests share. */
import { NotebookLink } from '../api';

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
