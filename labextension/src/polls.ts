/**
 * The sidebar's polls of the server: `@lumino/polling`'s `Poll`, as JupyterLab's own models poll.
 * A poll ticks every `interval` ms once started (its first tick one interval after the start, as a
 * timer's would), never overlaps itself (the next tick is scheduled when a tick's request has
 * settled), backs off after a failed tick (each wait up to three times the last, growing to ten
 * intervals or 30 s, whichever is longer), stands by while the browser tab is hidden (not one tick
 * lingers), and stops for good when disposed.
 */
import { IPoll, Poll } from '@lumino/polling';

/** A poll whose tick is a request to the server (its failure backs the poll off). */
export type ServerPoll = Poll<void, unknown>;

/** The longest wait after failed ticks: this many intervals, or `MAX_BACKOFF_MS` if longer. */
export const MAX_BACKOFF_INTERVALS = 10;
export const MAX_BACKOFF_MS = 30_000;

/** The frequency of a poll every `interval` ms that backs off after errors. */
export function pollFrequency(interval: number): IPoll.Frequency {
  const max = Math.max(interval * MAX_BACKOFF_INTERVALS, MAX_BACKOFF_MS);
  return { interval, backoff: true, max };
}

/** A stopped poll named `name` that calls `tick` every `interval` ms once started. */
export function serverPoll(
  name: string,
  interval: number,
  tick: () => Promise<void>
): ServerPoll {
  return new Poll<void, unknown>({
    auto: false,
    factory: tick,
    frequency: pollFrequency(interval),
    linger: 0,
    name: `jupyter-dsl:${name}`,
    standby: 'when-hidden'
  });
}

/** Phases in which a poll is not ticking at its interval: stopped, or backing off. */
const IDLE: ReadonlySet<string> = new Set(['constructed', 'stopped', 'rejected']);

/**
 * Start `poll`: its next tick comes one interval from now. A poll that is already ticking is left
 * alone (`restart`: it starts over), one backing off after errors starts over (the caller has just
 * had an answer from the server some other way).
 */
export function startPoll(poll: ServerPoll, restart = false): Promise<void> {
  return poll.schedule({
    cancel: ({ phase }) => !restart && !IDLE.has(phase),
    interval: poll.frequency.interval,
    phase: 'started'
  });
}
