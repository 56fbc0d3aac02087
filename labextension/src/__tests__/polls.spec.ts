/**
 * The sidebar's polls on jest's fake clock (nothing waits for real time): a running batch is polled
 * every second, backs off while the server fails and polls every second again once it answers; a
 * run's job is followed to its end through failed polls; the run stamp and the settings' refresh
 * poll at their intervals; a poll stands by while the browser tab is hidden and stops for good when
 * its model is disposed.
 */
import { DslApiError } from '../api';
import { BatchModel } from '../batchmodel';
import { ParamsFormModel } from '../paramsform';
import { MAX_BACKOFF_MS } from '../polls';
import { RunsRefresher, RunsWatcher } from '../runswatch';
import { DEFAULT_SETTINGS, SidebarSettings } from '../settings';
import { Job } from '../wire';
import { batchHost, FakeApi, FakeHost } from './fakes';
import { runningBatch } from './samples';

const FAILED = new DslApiError(503, 'the server is restarting');

/** Advance the fake clock by `ms`, running the promise callbacks due on the way. */
const elapse = (ms: number): Promise<void> => jest.advanceTimersByTimeAsync(ms);

/** Hide (or show again) the browser tab, as switching to another tab does. */
function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (hidden ? 'hidden' : 'visible')
  });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** The waits between the calls of `method`, in ms of the fake clock. */
function gaps(api: FakeApi, method: string): number[] {
  const times = api.called(method).map(call => call.at);
  return times.slice(1).map((time, i) => time - times[i]);
}

let api: FakeApi;

beforeEach(() => {
  jest.useFakeTimers();
  api = new FakeApi();
});

afterEach(() => {
  setHidden(false);
  jest.restoreAllMocks();
  jest.useRealTimers();
});

/** Each wait after a failure is at least twice the one before (up to the longest wait). */
function expectBackoff(waits: number[]): void {
  expect(waits.length).toBeGreaterThanOrEqual(3);
  for (const [i, wait] of waits.entries()) {
    const before = i === 0 ? 1000 : waits[i - 1];
    expect(wait).toBeGreaterThanOrEqual(Math.min(2 * before, MAX_BACKOFF_MS));
    expect(wait).toBeLessThanOrEqual(MAX_BACKOFF_MS);
  }
}

describe("a running batch's poll", () => {
  it('backs off while the server fails, polls every second again once it answers, and stops when disposed', async () => {
    // a wait after a failure is random, from the interval up to 3 times the last: take the top
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    api.queue('listBatches', [runningBatch()]);
    api.queue('getBatch', runningBatch(), runningBatch(), runningBatch(), FAILED);
    const batches = new BatchModel(batchHost(api));

    await elapse(75_000);
    const waits = gaps(api, 'getBatch');
    expect(waits.slice(0, 3)).toEqual([1000, 1000, 1000]);
    expectBackoff(waits.slice(3));
    expect(batches.error?.message).toBe('the server is restarting');
    expect(batches.batch?.status).toBe('running');

    api.answers.set('getBatch', [runningBatch()]);
    await elapse(MAX_BACKOFF_MS + 3000);
    expect(gaps(api, 'getBatch').slice(-3)).toEqual([1000, 1000, 1000]);
    expect(batches.error).toBeNull();

    batches.dispose();
    const polled = api.called('getBatch').length;
    await elapse(60_000);
    expect(api.called('getBatch')).toHaveLength(polled);
  });

  it('stands by while the tab is hidden and polls again once it is shown', async () => {
    api.queue('listBatches', [runningBatch()]);
    api.queue('getBatch', runningBatch());
    const batches = new BatchModel(batchHost(api));
    await elapse(2500);
    expect(api.called('getBatch')).toHaveLength(3); // on attaching, then every second

    setHidden(true);
    await elapse(60_000);
    expect(api.called('getBatch')).toHaveLength(3);

    setHidden(false);
    await elapse(1000);
    expect(api.called('getBatch')).toHaveLength(4);
    batches.dispose();
  });
});

function job(state: Job['state']): Job {
  return {
    id: 'j1',
    kind: 'run',
    path: 'tune.ipynb',
    parameters: {},
    state,
    started_at: '2026-01-01T00:00:00.000Z',
    finished_at: null,
    run: null,
    batch: null,
    rerun: null,
    error: null
  };
}

describe("a run's poll", () => {
  it('follows the job to its end through failed polls, backing off meanwhile', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    api.queue('listConfigs', { configs: [], grids: [] });
    api.queue('listJobs', []);
    const host = new FakeHost(api);
    const form = new ParamsFormModel(host, { pollMs: 1000 });
    await elapse(0);
    expect(api.called('listJobs')).toHaveLength(1); // the notebook's jobs, once

    api.queue('startRun', job('running'));
    api.answers.set('listJobs', [FAILED, FAILED, FAILED, [job('done')]]);
    await form.run();
    const refreshed = host.runRefreshes;
    await elapse(60_000);
    expect(form.running).toBe(false);
    expect(host.runRefreshes).toBe(refreshed + 1); // the finished run is listed
    expectBackoff(gaps(api, 'listJobs').slice(1)); // the waits after each failure
    form.dispose();
  });
});

describe('the run stamp poll', () => {
  it('refreshes the runs when the stamp moved, stands by while hidden, stops when disposed', async () => {
    const host = new FakeHost(api);
    api.queue('runStamp', '1', '1', '2');
    const watcher = new RunsWatcher(host, 3000);
    await elapse(9500);
    expect(api.called('runStamp')).toHaveLength(3);
    expect(host.runRefreshes).toBe(1); // '1', '1', then '2'

    setHidden(true);
    await elapse(30_000);
    expect(api.called('runStamp')).toHaveLength(3);
    setHidden(false);
    await elapse(3000);
    expect(api.called('runStamp')).toHaveLength(4);

    watcher.dispose();
    expect(watcher.isDisposed).toBe(true);
    await elapse(30_000);
    expect(api.called('runStamp')).toHaveLength(4);
  });
});

describe("the settings' refresh", () => {
  it('refreshes the runs every refreshInterval seconds of an active notebook; 0 stops it', async () => {
    const settings = new SidebarSettings();
    const every = (seconds: number): void =>
      settings.update({ ...DEFAULT_SETTINGS, refreshInterval: seconds });
    every(5);
    const host = new FakeHost(api);
    const refresher = new RunsRefresher(host, settings);
    await elapse(12_000);
    expect(host.runRefreshes).toBe(2);

    every(0);
    await elapse(60_000);
    expect(host.runRefreshes).toBe(2);

    every(20); // a new interval starts over
    await elapse(19_000);
    expect(host.runRefreshes).toBe(2);
    await elapse(1000);
    expect(host.runRefreshes).toBe(3);

    setHidden(true);
    await elapse(60_000);
    expect(host.runRefreshes).toBe(3);
    setHidden(false);

    host.path = null; // no notebook is active
    await elapse(60_000);
    expect(host.runRefreshes).toBe(3);
    refresher.dispose();
  });
});
