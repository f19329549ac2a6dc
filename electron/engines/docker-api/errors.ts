// Turns what dockerode throws (Node socket errors, HTTP errors with the engine's JSON body) into
// ApiErrors a person can act on. The engine's own words are kept wherever it gave any.
import { ApiError } from '../../../shared/errors';

export interface ErrorContext {
  engineId: string;
  /** The engine's name in messages: "Docker", "Podman". */
  product: string;
  /** Socket path or URL, named in connection errors. */
  endpoint: string;
  /** What to do about a permission error on this engine's socket. */
  permissionHint: string;
  /** The image the call was about, named in "not found" messages. */
  subject?: string;
}

interface DockerodeErrorShape {
  code?: unknown;
  statusCode?: unknown;
  json?: unknown;
  reason?: unknown;
  message?: unknown;
  name?: unknown;
}

/** Socket-level failures that mean "nobody is there (any more)". */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ENOTSOCK', 'EHOSTUNREACH', 'ENOTFOUND']);

export function toEngineError(error: unknown, context: ErrorContext): ApiError {
  if (error instanceof ApiError) return error;
  const extra = { engineId: context.engineId };
  const shape: DockerodeErrorShape = typeof error === 'object' && error !== null ? (error as DockerodeErrorShape) : {};
  const code = typeof shape.code === 'string' ? shape.code : undefined;

  if (shape.name === 'AbortError' || code === 'ABORT_ERR') return new ApiError('cancelled', 'The request was cancelled.', extra);
  if (code === 'EACCES' || code === 'EPERM') {
    return new ApiError(
      'permission-denied',
      `${context.product} refused Crossdock: no permission to use ${context.endpoint}. ${context.permissionHint}`,
      extra,
    );
  }
  if (code === 'ECONNREFUSED' || code === 'ENOENT') {
    return new ApiError('engine-unavailable', `${context.product} is not running: nothing answers on ${context.endpoint}.`, extra);
  }
  if ((code && UNAVAILABLE_CODES.has(code)) || isConnectionDrop(shape)) {
    return new ApiError('engine-unavailable', `${context.product} stopped answering on ${context.endpoint} (${code ?? messageOf(shape)}).`, extra);
  }

  const status = typeof shape.statusCode === 'number' ? shape.statusCode : undefined;
  const engineMessage = engineWords(shape);
  if (status === 404) {
    const subject = context.subject ? `image ${context.subject}` : 'the image';
    return new ApiError('not-found', `${subject} is no longer in ${context.product} — removed outside Crossdock? (${engineMessage})`, extra);
  }
  if (status === 409) return new ApiError('conflict', engineMessage, extra);
  if (status === 401 || status === 403) return new ApiError('permission-denied', engineMessage, extra);
  return new ApiError('internal', `${context.product}: ${engineMessage}`, extra);
}

/** The `message` of the engine's JSON error body, else dockerode's own text. */
export function engineWords(shape: DockerodeErrorShape): string {
  const json = shape.json;
  if (typeof json === 'object' && json !== null && 'message' in json && typeof json.message === 'string' && json.message) {
    return json.message;
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  return messageOf(shape);
}

function messageOf(shape: DockerodeErrorShape): string {
  return typeof shape.message === 'string' && shape.message ? shape.message : 'unknown error';
}

/** A daemon killed mid-request closes the socket without an errno: Node says "socket hang up". */
function isConnectionDrop(shape: DockerodeErrorShape): boolean {
  return typeof shape.message === 'string' && /socket hang up|premature close/i.test(shape.message);
}
