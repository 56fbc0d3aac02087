/**
 * How the sidebar writes run values and times: as `jupyter dsl runs` prints them, as text.
 */

/** The id of the run details view (what a run row's button controls). */
export const RUN_DETAILS_ID = 'jp-dsl-run-details';

/** A parameter or metric value the way `jupyter dsl runs` prints it (floats with 6 digits). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) {
    return 'None';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? String(value)
      : String(Number(value.toPrecision(6)));
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  return JSON.stringify(value);
}

/** An ISO start time, compactly, as "MM-DD HH:MM" (as recorded; no time zone arithmetic). */
export function formatStart(iso: string): string {
  const match = /^\d{4}-(\d\d-\d\d)[T ](\d\d:\d\d)/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}

/** An ISO time as recorded, readable: "2026-01-01 12:00:01" (no time zone arithmetic). */
export function formatTime(iso: string | null): string {
  if (iso === null) {
    return '';
  }
  const match = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}

/** A duration in seconds, readable: "0.42 s", "12.3 s", "2 min 5 s", "1 h 2 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) {
    return '';
  }
  if (seconds < 60) {
    return `${Number(seconds.toPrecision(seconds < 10 ? 2 : 3))} s`;
  }
  const whole = Math.round(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60];
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
}
