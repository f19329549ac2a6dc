// The one reading of a failed call's error code ("ENOENT", "ENOSPC", "ECONNRESET", ...): Node's
// errors carry it as a string `code`; anything else (an ApiError, a thrown string) has none.

/** Node's error code of a failed call, or null. */
export function errorCode(error: unknown): string | null {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;
}
