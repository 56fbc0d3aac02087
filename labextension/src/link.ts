/**
 * Pure functions over the notebook link (`metadata.jupyter_dsl`) and the kernel's link bundle.
 *
 * No JupyterLab imports: the model, the widgets and the kernel bridge all read links through
 * these, and the unit tests exercise them directly.
 */
import { ISSUE_TYPES, IssueRef, IssueType, LinkStatusValue, NotebookLink } from './api';

/** The notebook metadata key that holds the link. */
export const METADATA_KEY = 'jupyter_dsl';

/** The MIME type of the bundle `%dsl link` / `%dsl unlink` display in a kernel. */
export const LINK_MIME_TYPE = 'application/vnd.jupyter-dsl.link+json';

/** What a notebook's metadata says about its link. */
export type ParsedLink =
  | { kind: 'none' }
  | { kind: 'linked'; link: NotebookLink }
  | { kind: 'invalid'; reason: string };

/** A `%dsl link` / `%dsl unlink` bundle from a kernel. */
export type LinkAction =
  { action: 'link'; link: NotebookLink } | { action: 'unlink'; link: null };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isIssueType(value: unknown): value is IssueType {
  return (
    typeof value === 'string' && (ISSUE_TYPES as readonly string[]).includes(value)
  );
}

function optionalString(value: unknown, what: string): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value !== 'string') {
    throw new Error(`${what} is not a string`);
  }
  return value;
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${what} is not an issue number`);
  }
  return value;
}

function parseIssueRef(value: unknown): IssueRef {
  if (!isRecord(value)) {
    throw new Error('"issue" is missing or not an object');
  }
  if (typeof value.tracker !== 'string' || !value.tracker) {
    throw new Error('"issue.tracker" is missing');
  }
  const type = value.type ?? null;
  if (type !== null && !isIssueType(type)) {
    throw new Error(`"issue.type" ${JSON.stringify(type)} is not a DSLP type`);
  }
  return {
    ...value,
    tracker: value.tracker,
    number: positiveInteger(value.number, '"issue.number"'),
    type,
    title: optionalString(value.title, '"issue.title"'),
    url: optionalString(value.url, '"issue.url"')
  };
}

/**
 * Validate a link as the server and the core write it. Keys a later version adds are kept
 * (the object is returned with them), so re-setting a parsed link never drops data.
 */
export function validateLink(value: unknown): NotebookLink {
  if (!isRecord(value)) {
    throw new Error('the link is not an object');
  }
  const issue = parseIssueRef(value.issue);
  const ask =
    value.ask === undefined || value.ask === null
      ? null
      : positiveInteger(value.ask, '"ask"');
  const status = value.status ?? 'active';
  if (status !== 'active' && status !== 'complete') {
    throw new Error(`"status" ${JSON.stringify(status)} is not active or complete`);
  }
  const completed = value.completed_at ?? null;
  if (completed !== null && typeof completed !== 'string') {
    throw new Error('"completed_at" is not a string');
  }
  return {
    ...value,
    issue,
    ask,
    branch: optionalString(value.branch, '"branch"'),
    status: status as LinkStatusValue,
    completed_at: completed
  };
}

/** Read `metadata.jupyter_dsl` (the value, or undefined when the key is absent). */
export function parseLink(value: unknown): ParsedLink {
  if (value === undefined || value === null) {
    return { kind: 'none' };
  }
  try {
    return { kind: 'linked', link: validateLink(value) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'invalid',
      reason: `metadata.${METADATA_KEY} is not a valid link: ${reason}`
    };
  }
}

/** Read a kernel's link bundle; null when it is not one (it is then ignored). */
export function parseLinkAction(value: unknown): LinkAction | null {
  if (!isRecord(value)) {
    return null;
  }
  if (value.action === 'unlink') {
    return { action: 'unlink', link: null };
  }
  if (value.action === 'link') {
    try {
      return { action: 'link', link: validateLink(value.link) };
    } catch {
      return null;
    }
  }
  return null;
}

/** `#12 Explore`: the status bar's text for a link (empty when there is none). */
export function statusText(parsed: ParsedLink): string {
  if (parsed.kind === 'none') {
    return '';
  }
  if (parsed.kind === 'invalid') {
    return 'Link invalid';
  }
  const { number, type } = parsed.link.issue;
  return type ? `#${number} ${type}` : `#${number}`;
}

/** One line that describes a link action, for the kernel output renderer. */
export function actionText(action: LinkAction): string {
  if (action.action === 'unlink') {
    return 'Unlinked this notebook from its issue.';
  }
  const { number, type, title } = action.link.issue;
  return `Linked to #${number}${type ? ` ${type}` : ''}: ${title}`;
}

/** A readable text color (black or white) on a badge of `hex` (with or without `#`). */
export function contrastColor(hex: string): string {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) {
    return '#000000';
  }
  const value = parseInt(match[1], 16);
  const channel = (shift: number): number => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

/** `#c9ecff` from the templates route's `c9ecff`. */
export function cssColor(hex: string): string {
  const value = hex.trim();
  return /^#?[0-9a-f]{6}$/i.test(value)
    ? `#${value.replace(/^#/, '')}`
    : 'var(--jp-layout-color3)';
}
