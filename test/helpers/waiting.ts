// Waiting in tests without sleeping blindly: poll a condition with a deadline, or catch the
// ApiError a call must fail with.
import { expect } from 'vitest';
import { ApiError } from '../../shared/errors';

/** Resolves once `check` holds, polling; fails the test after `timeoutMs`, naming `what`. */
export async function waitFor(check: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The ApiError `work` rejects with; fails the test when it resolves or throws anything else. */
export async function apiErrorOf(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}
