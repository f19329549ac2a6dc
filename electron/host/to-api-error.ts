// Maps whatever a handler threw onto an ApiError. Adapters should throw ApiError themselves with
// the engine's own words; this is the safety net for the rest (Node system errors, aborts).
import { ApiError } from '../../shared/errors';

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error) {
    if (error.name === 'AbortError') return new ApiError('cancelled', 'The request was cancelled.');
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new ApiError('not-found', error.message);
    if (code === 'EACCES' || code === 'EPERM') return new ApiError('permission-denied', error.message);
    if (code === 'ETIMEDOUT') return new ApiError('timeout', error.message);
    return new ApiError('internal', error.message);
  }
  return new ApiError('internal', String(error));
}
