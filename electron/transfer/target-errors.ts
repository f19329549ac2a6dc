// What a target's failure in the middle of a copy means to a person. A disk that fills up surfaces
// from Node as "ENOSPC: no space left on device, write" (no path: a stream's write error carries
// none), and an engine whose service dies as "socket hang up" or ECONNRESET. Both are true and
// neither says which engine or which folder: these turn them into ApiErrors that name both.
// Anything already an ApiError passes through unchanged (it was worded where it was thrown).
import { statfs } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { ApiError } from '../../shared/errors';
import { errorCode } from '../storage/error-code';

const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT']);
/** A stream socket that closed under a request: the peer process died or dropped it. */
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

export function isOutOfSpace(error: unknown): boolean {
  return !(error instanceof ApiError) && OUT_OF_SPACE.has(errorCode(error) ?? '');
}

/** The words tools print for the same two errnos (mksquashfs, tar, udocker). */
export function saysOutOfSpace(text: string): boolean {
  return /no space left on device|disk quota exceeded/i.test(text);
}

/**
 * The socket to an engine's service broke in the middle of a request: reset, closed before the
 * answer, or refused (the service is gone and its socket file is left).
 */
export function isConnectionLost(error: unknown): boolean {
  if (error instanceof ApiError) return false;
  const code = errorCode(error) ?? '';
  if (CONNECTION_LOST.has(code)) return true;
  if ((code === 'ECONNREFUSED' || code === 'ENOENT') && (error as { syscall?: unknown }).syscall === 'connect') return true;
  return error instanceof Error && /socket hang up|premature close/i.test(error.message);
}

/** Gives a write error the path that was being written, when Node did not (a stream's write). */
export function withPath<T>(error: T, path: string): T {
  if (error && typeof error === 'object' && isOutOfSpace(error) && !(error as { path?: unknown }).path) {
    Object.assign(error as object, { path });
  }
  return error;
}

/** True when `path` is `folder` or inside it. */
export function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

export interface FailingTarget {
  /** "Charliecloud", "SIF file", "Podman (rootful)". */
  label: string;
  /** Where the target keeps its images (its space() answer), when known. */
  where: string | null;
  /** Crossdock's own staging folder for this copy (in its runtime folder). */
  stagingDir: string;
}

/** The sentence for a full disk, naming the target, the folder and what is free there now. */
export async function outOfSpaceError(error: unknown, target: FailingTarget): Promise<ApiError> {
  const code = errorCode(error) ?? 'ENOSPC';
  const path = typeof (error as { path?: unknown }).path === 'string' ? ((error as { path: string }).path) : null;
  const why = code === 'EDQUOT' ? 'the disk quota there is used up' : 'the file system there is full';
  const inStaging = path !== null && isInside(path, target.stagingDir);
  const folder = inStaging ? target.stagingDir : (target.where ?? path);
  const free = folder ? await freeBytes(folder) : null;
  const freeText = free === null ? '' : ` (${formatBytes(free)} free now)`;
  const writing = path ? ` while writing ${path}` : '';
  const message = inStaging
    ? `Crossdock's runtime folder ran out of space while preparing the copy for ${target.label}: ${why}${freeText}${writing}. Free some space there (or set CROSSDOCK_RUNTIME_DIR) and try again.`
    : `${target.label} ran out of space in ${folder ?? 'its storage'}: ${why}${freeText}${writing}. Free some space there and try again.`;
  return new ApiError('internal', message);
}

/**
 * Wraps a failure of the copy into `target`: a full disk gets its sentence. A dropped socket is not
 * worded here: at this level it may as well be the source's engine that died, so the endpoint that
 * owns the socket words it (docker-api.ts for a load).
 */
export async function explainTargetFailure(error: unknown, target: FailingTarget): Promise<unknown> {
  if (isOutOfSpace(error)) return outOfSpaceError(error, target);
  return error;
}

async function freeBytes(path: string): Promise<number | null> {
  // The folder itself may be gone (removed with the half-made copy): its parents share its disk.
  for (let current = path; ; current = dirname(current)) {
    try {
      const stats = await statfs(current);
      return stats.bavail * stats.bsize;
    } catch {
      if (dirname(current) === current) return null;
    }
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}
