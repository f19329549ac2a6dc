// The wire protocol of streams, the same over WebSocket and over Electron IPC.
//
// Flow control is credit based: the window grants the host a number of events it is ready to
// take ("credit"), the host sends at most that many and then stops pulling from the source until
// more credit arrives. A slow window therefore slows the *source's reader*, never fills memory,
// and a source that must not be slowed (a job writing to disk) keeps its own bounded buffer.
import { z } from 'zod';
import { ApiErrorBodySchema } from './errors';

export const StreamIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The most events a window may have outstanding at once; a larger grant is a client bug. */
export const MAX_CREDIT = 4096;

export const ClientStreamMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({
    t: z.literal('open'),
    id: StreamIdSchema,
    name: z.string().max(128),
    request: z.unknown(),
    credit: z.number().int().min(1).max(MAX_CREDIT),
  }),
  z.strictObject({ t: z.literal('credit'), id: StreamIdSchema, n: z.number().int().min(1).max(MAX_CREDIT) }),
  z.strictObject({ t: z.literal('cancel'), id: StreamIdSchema }),
]);
export type ClientStreamMessage = z.infer<typeof ClientStreamMessageSchema>;

export type ServerStreamMessage =
  | { t: 'event'; id: number; data: unknown }
  | { t: 'end'; id: number }
  | { t: 'error'; id: number; error: z.infer<typeof ApiErrorBodySchema> };

export const ServerStreamMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('event'), id: StreamIdSchema, data: z.unknown() }),
  z.object({ t: z.literal('end'), id: StreamIdSchema }),
  z.object({ t: z.literal('error'), id: StreamIdSchema, error: ApiErrorBodySchema }),
]);
