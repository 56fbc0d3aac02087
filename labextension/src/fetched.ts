/** A value fetched from the server, and the one kind of error widgets show. */
import { DslApiError } from './api';

/** A value fetched from the server: the reply, or the error of the last fetch. */
export interface IFetched<T> {
  value: T | null;
  error: DslApiError | null;
}

/** Any thrown value as a `DslApiError`, so widgets show one kind of error. */
export function asApiError(error: unknown): DslApiError {
  if (error instanceof DslApiError) {
    return error;
  }
  return new DslApiError(0, error instanceof Error ? error.message : String(error));
}

/** A settled fetch as the value or its error. */
export function settled<T>(result: PromiseSettledResult<T>): IFetched<T> {
  return result.status === 'fulfilled'
    ? { value: result.value, error: null }
    : { value: null, error: asApiError(result.reason) };
}
