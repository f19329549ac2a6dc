// Errors never cross a transport raw: a handler's failure becomes an ApiErrorBody with a kind the
// window can act on (offer a retry, refresh a list, show the engine as stopped) and a message a
// person can read. Stack traces stay in the main process's log.
import { z } from 'zod';

export const ErrorKindSchema = z.enum([
  /** The request did not match the contract's schema. */
  'invalid-request',
  /** No such call or stream. */
  'unknown-method',
  /** Missing or wrong access token (browser host). */
  'unauthorized',
  /** The object (image, engine) is not there, for example removed outside Crossdock. */
  'not-found',
  /** The engine is not installed, its daemon is not running, or its socket does not answer. */
  'engine-unavailable',
  /** The engine refused us for lack of permission (socket mode, group). */
  'permission-denied',
  /** The engine refused because of the object's state (image used by a container). */
  'conflict',
  'timeout',
  'cancelled',
  /** Anything else; the message says what. */
  'internal',
]);
export type ErrorKind = z.infer<typeof ErrorKindSchema>;

export const ApiErrorBodySchema = z.object({
  kind: ErrorKindSchema,
  message: z.string(),
  /** The engine the error came from, when one did. */
  engineId: z.string().optional(),
  /** Field-level problems of an invalid request, as "path: problem". */
  issues: z.array(z.string()).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly engineId: string | undefined;
  readonly issues: string[] | undefined;

  constructor(kind: ErrorKind, message: string, extra: { engineId?: string; issues?: string[] } = {}) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.engineId = extra.engineId;
    this.issues = extra.issues;
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { kind: this.kind, message: this.message };
    if (this.engineId !== undefined) body.engineId = this.engineId;
    if (this.issues !== undefined) body.issues = this.issues;
    return body;
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.kind, body.message, { engineId: body.engineId, issues: body.issues });
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** The envelope every call answers with, in both transports. */
export const envelopeSchema = <T extends z.ZodType>(result: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), result }),
    z.object({ ok: z.literal(false), error: ApiErrorBodySchema }),
  ]);

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

/** Turns zod's issues into short "path: message" lines for the window. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(request)';
    return `${path}: ${issue.message}`;
  });
}
