/**
 * The one kind of error the client throws, and the route URLs it asks (kept apart from the client
 * so that the error parsing and the URL building are tested on their own).
 */
import { URLExt } from '@jupyterlab/coreutils';

/** The URL namespace of the server extension. */
export const API_NAMESPACE = 'jupyter-dsl';

/**
 * What a hint proposes to do (`jupyter_dsl.hints.Action`): a name such as `link` or `list_runs` and its
 * arguments (paths as API paths; null: the user chooses the value).
 */
export interface HintAction {
  name: string;
  args: Record<string, string | number | boolean | null>;
}

/** An error answered by the server (or the network), with the server's hint when it gave one. */
export class DslApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint: string | null = null,
    readonly action: HintAction | null = null
  ) {
    super(message);
    this.name = 'DslApiError';
  }
}

function hintAction(value: unknown): HintAction | null {
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.args)) {
    return null;
  }
  const args: HintAction['args'] = {};
  for (const [key, arg] of Object.entries(value.args)) {
    if (
      arg === null ||
      typeof arg === 'string' ||
      typeof arg === 'number' ||
      typeof arg === 'boolean'
    ) {
      args[key] = arg;
    }
  }
  return { name: value.name, args };
}

export type QueryValue = string | number | undefined | null | string[];

/** Encode a Jupyter API path (POSIX, relative) segment by segment, keeping its `/`s. */
export function encodeApiPath(path: string): string {
  return path
    .split('/')
    .filter(segment => segment !== '')
    .map(segment => encodeURIComponent(segment))
    .join('/');
}

/** The query string of `query` (repeated keys for arrays, empty values left out), with its `?`. */
export function queryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, String(item));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The full URL of a route under the extension's namespace. */
export function routeUrl(
  baseUrl: string,
  route: string,
  query: Record<string, QueryValue> = {}
): string {
  return URLExt.join(baseUrl, API_NAMESPACE, route) + queryString(query);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turn an error answer's body into a `DslApiError` (tolerates non-JSON bodies, e.g. a proxy's page). */
export function errorFromBody(
  status: number,
  body: string,
  statusText = ''
): DslApiError {
  let message: string | null = null;
  let hint: string | null = null;
  let action: HintAction | null = null;
  try {
    const data: unknown = JSON.parse(body);
    if (isRecord(data)) {
      if (typeof data.message === 'string' && data.message) {
        message = data.message;
      } else if (typeof data.reason === 'string' && data.reason) {
        message = data.reason; // tornado's own error pages (e.g. 403 before our handler runs)
      }
      hint = typeof data.hint === 'string' && data.hint ? data.hint : null;
      action = hintAction(data.action);
    }
  } catch {
    // not JSON: fall through to the status line
  }
  if (message === null) {
    if (status === 404 && hint === null) {
      hint =
        'Is the jupyter_dsl server extension enabled? `jupyter server extension list` tells.';
    }
    const text = body.trim();
    const short = text && text.length <= 200 && !text.startsWith('<');
    message = short
      ? text
      : `the server answered ${status}${statusText ? ` ${statusText}` : ''}`;
  }
  return new DslApiError(status, message, hint, action);
}
