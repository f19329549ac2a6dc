// "Copy to engine…": one image copied from the engine that holds it into one or more others
// (Docker, Podman, udocker, Charliecloud, SIF files). A transfer record is kept on disk and
// survives restarts; each target has its own state, progress and result. What the window shows
// before starting (can this target receive it, does the name exist there, is there room, is it
// this machine's architecture) is a plan: asked for, never stored.
import { z } from 'zod';
import { EngineIdSchema, ImageRefSchema, ImageReferenceSchema } from './model';

export const TransferIdSchema = z.string().regex(/^t-[a-z0-9]{8,40}$/, 'a transfer id looks like t-xxxxxxxx');
export type TransferId = z.infer<typeof TransferIdSchema>;

export const MAX_TRANSFER_TARGETS = 8;

/** A folder on this machine, given by the window (for SIF files). Absolute, no NUL, bounded. */
export const AbsoluteFolderSchema = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\/[^\0]*$/, 'a folder is an absolute path');

export const TransferTargetSchema = z.strictObject({
  engineId: EngineIdSchema,
  /**
   * The name the copy gets there ("crossdock/busybox:1"); for a SIF file its file name is made of
   * it. Null: the source's own name.
   */
  name: ImageReferenceSchema.nullable().default(null),
  /** The name exists in the target: replace what holds it (the window asks first). */
  replace: z.boolean().default(false),
  /** Where SIF files go; null: the first of the user's image folders. Ignored by other targets. */
  folder: AbsoluteFolderSchema.nullable().default(null),
});
export type TransferTarget = z.output<typeof TransferTargetSchema>;
export type TransferTargetInput = z.input<typeof TransferTargetSchema>;

export const TransferPlanRequestSchema = z.strictObject({
  source: ImageRefSchema.strict(),
  targets: z.array(TransferTargetSchema).min(1).max(MAX_TRANSFER_TARGETS),
});

export const TransferStartRequestSchema = TransferPlanRequestSchema;
export type TransferStartRequest = z.output<typeof TransferStartRequestSchema>;

export const TransferPlanEntrySchema = z.object({
  target: TransferTargetSchema,
  label: z.string().max(256),
  /** False: the transfer would be refused; `problems` says why. */
  canReceive: z.boolean(),
  problems: z.array(z.string().max(1024)),
  /** Things worth knowing that do not stop it (a signature that does not carry over, ...). */
  warnings: z.array(z.string().max(1024)),
  /** The name the copy gets, and whether something there holds it already. */
  name: z.string().max(4096),
  nameExists: z.boolean(),
  spaceNeededBytes: z.number().nonnegative().nullable(),
  spaceFreeBytes: z.number().nonnegative().nullable(),
  /** Where the space was measured ("/var/lib/docker"). */
  spaceWhere: z.string().max(4096).nullable(),
  sourceArchitecture: z.string().max(64).nullable(),
  hostArchitecture: z.string().max(64),
  /** The route in words: "docker save → podman load (streamed)". */
  route: z.string().max(512),
});
export type TransferPlanEntry = z.infer<typeof TransferPlanEntrySchema>;

export const TransferPlanSchema = z.object({
  sourceLabel: z.string().max(1024),
  sourceSizeBytes: z.number().nonnegative().nullable(),
  entries: z.array(TransferPlanEntrySchema),
});
export type TransferPlan = z.infer<typeof TransferPlanSchema>;

export const TransferProgressSchema = z.object({
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative().nullable(),
  layersDone: z.number().int().nonnegative(),
  layersTotal: z.number().int().nonnegative().nullable(),
  /** Bytes per second over the last seconds; null before there is a measure. */
  rateBytesPerSecond: z.number().nonnegative().nullable(),
  secondsLeft: z.number().nonnegative().nullable(),
  /** What it is doing now: "reading the source", "loading into Podman", "checking the copy". */
  phase: z.string().max(256),
});
export type TransferProgress = z.infer<typeof TransferProgressSchema>;

/**
 * - pending: waits for the target before it (targets go one after another)
 * - running / done
 * - failed: refused or broken; message says why, nothing half-made was left
 * - cancelled: by the user; nothing half-made was left
 * - interrupted: Crossdock stopped in the middle; its half-made copy was removed at the next start
 */
export const TransferStateSchema = z.enum(['pending', 'running', 'done', 'failed', 'cancelled', 'interrupted']);
export type TransferState = z.infer<typeof TransferStateSchema>;

export const TransferResultSchema = z.object({
  /** The copy's id in the target engine (as its image list shows it). */
  imageId: z.string().max(128).nullable(),
  reference: z.string().max(4096).nullable(),
  /** File or folder, for targets whose images are files or folders. */
  location: z.string().max(4096).nullable(),
  /** The file tree's digest, when the copy was checked against the source's. */
  treeDigest: z.string().max(80).nullable(),
});
export type TransferResult = z.infer<typeof TransferResultSchema>;

/**
 * A process a target started (udocker load, mksquashfs, unsquashfs), named by its pid and its start
 * time (ms since the epoch, read from /proc when it started): a pid alone may belong to a stranger
 * by the time it is read again.
 */
export const TransferChildSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.number().nonnegative(),
  /** The executable's name, for the messages. */
  name: z.string().max(64),
});
export type TransferChild = z.infer<typeof TransferChildSchema>;

/**
 * An image moved out of the way of its replacement (Charliecloud renames the old folder aside, then
 * the new one in). After a crash, the one at `path` is the replacement if it is there: the aside
 * copy goes; if it is not there, the aside copy is the user's image and is put back.
 */
export const TransferAsideSchema = z.object({
  path: z.string().max(4096),
  aside: z.string().max(4096),
});
export type TransferAside = z.infer<typeof TransferAsideSchema>;

export const TransferTargetRecordSchema = z.object({
  target: TransferTargetSchema,
  label: z.string().max(256),
  state: TransferStateSchema,
  progress: TransferProgressSchema,
  result: TransferResultSchema.nullable(),
  message: z.string().max(8192).nullable(),
  notes: z.array(z.string().max(2048)),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  /**
   * What a crash would leave behind (temporary folders and files, a name being written), removed
   * at the next start when the target did not finish. Cleared once the target ended.
   */
  leftovers: z.array(z.string().max(4096)),
  /**
   * The processes it started, while it runs: a restart after a crash ends those still running
   * before it removes the leftovers (else `udocker load` could put the image in afterwards).
   * Records written before this field read as [].
   */
  children: z.array(TransferChildSchema).max(64).default([]),
  /** Images moved aside while it runs (see TransferAsideSchema); put back or removed after a crash. */
  asides: z.array(TransferAsideSchema).max(8).default([]),
});
export type TransferTargetRecord = z.infer<typeof TransferTargetRecordSchema>;

export const TransferRecordSchema = z.object({
  id: TransferIdSchema,
  source: ImageRefSchema,
  sourceLabel: z.string().max(1024),
  /** What every copy that was checked is matched by in the image list. */
  sourceContentDigest: z.string().max(80).nullable(),
  state: z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted']),
  createdAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  targets: z.array(TransferTargetRecordSchema),
});
export type TransferRecord = z.infer<typeof TransferRecordSchema>;

export const EMPTY_PROGRESS: TransferProgress = {
  bytesDone: 0,
  bytesTotal: null,
  layersDone: 0,
  layersTotal: null,
  rateBytesPerSecond: null,
  secondsLeft: null,
  phase: 'waiting',
};
