/**
 * Following a job the server's run service started (a sidebar run or rerun) until it ends, with a
 * `Poll` as the sidebar's other polls (polls.ts): it backs off while the server fails.
 */
import { DslApi, DslApiError } from './api';
import { Job } from './wire';
import { serverPoll, startPoll } from './polls';

/** How often a running job is asked about (ms). */
export const JOB_POLL_MS = 1000;

/** Follow `job` until it is no longer running; a job that failed is thrown as the server worded its
 * error. */
export async function waitForJob(
  api: DslApi,
  job: Job,
  pollMs = JOB_POLL_MS
): Promise<Job> {
  let current = job;
  if (current.state === 'running') {
    const poll = serverPoll('rerun', pollMs, async () => {
      const jobs = await api.listJobs(current.path);
      current = jobs.find(j => j.id === job.id) ?? { ...current, state: 'done' };
      if (current.state !== 'running') {
        poll.dispose();
      }
    });
    const ended = new Promise<void>(resolve => poll.disposed.connect(() => resolve()));
    void startPoll(poll);
    await ended;
  }
  if (current.state === 'failed' && current.error) {
    const { message, hint, action } = current.error;
    throw new DslApiError(500, message, hint ?? null, action ?? null);
  }
  return current;
}
