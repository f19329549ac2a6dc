// Jobs: one run of a RunSpec on one engine, its state, and the events of its output stream.
// Records are kept on disk by the host (XDG data dir) and survive restarts.
import { z } from 'zod';
import { BatchJobSchema } from './batch';
import { RunSpecSchema } from './run';

export const JobIdSchema = z.string().regex(/^j-[a-z0-9]{8,40}$/, 'a job id looks like j-xxxxxxxx');
export type JobId = z.infer<typeof JobIdSchema>;

/**
 * - starting: the engine was asked, nothing ran yet
 * - running / stopping (a stop was asked; the grace period runs)
 * - exited: the program ended by itself; exitCode says how (127: command not found, 137: SIGKILL)
 * - killed: ended because the user stopped or killed it
 * - failed: never ran (the engine refused, the image or a bind source is missing); message says why
 * - engine-lost: the engine died or vanished while the job ran
 * - interrupted: Crossdock itself stopped while the job ran, and the job could not outlive it
 * Batch jobs (record.batch) add the batch system's own states:
 * - pending: queued, waiting for the cluster (Slurm's PENDING)
 * - timeout: ended by the batch system at its time limit
 * - cancelled: cancelled in the batch system (from Crossdock, or by hand with scancel)
 * A batch job's COMPLETED is "exited" with 0, and its FAILED with a code is "exited" with that code.
 */
export const JobStateSchema = z.enum([
  'starting',
  'pending',
  'running',
  'stopping',
  'exited',
  'killed',
  'failed',
  'engine-lost',
  'interrupted',
  'timeout',
  'cancelled',
]);
export type JobState = z.infer<typeof JobStateSchema>;

export const ACTIVE_JOB_STATES: readonly JobState[] = ['starting', 'pending', 'running', 'stopping'];
export const isActiveJobState = (state: JobState): boolean => ACTIVE_JOB_STATES.includes(state);

/** What the engine needs to find the job again (after a restart, for stop, kill, exec). */
export const JobHandleSchema = z.object({
  containerId: z.string().max(256).nullable(),
  pid: z.number().int().positive().nullable(),
});
export type JobHandle = z.infer<typeof JobHandleSchema>;

export const JobRecordSchema = z.object({
  id: JobIdSchema,
  /** "run" from the dialog; "exec" is a shell opened in another job's container. */
  kind: z.enum(['run', 'exec']),
  parentId: JobIdSchema.nullable(),
  spec: RunSpecSchema,
  engineLabel: z.string().max(128),
  /** The image as the list shows it ("busybox:1.36", a short id, a file name). */
  imageLabel: z.string().max(512),
  /** The exact program and arguments the engine runs (or their CLI equivalent for API engines). */
  commandLine: z.array(z.string()),
  /** Whether commandLine is the engine's CLI equivalent of an API call rather than a spawned argv. */
  commandLineIsEquivalent: z.boolean(),
  state: JobStateSchema,
  exitCode: z.number().int().nullable(),
  /** The signal that ended the program, when one did ("SIGKILL"). */
  signal: z.string().max(32).nullable(),
  /** Why the job is in its state, in the engine's own words where it gave any. */
  message: z.string().max(8192).nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  /** Bytes of output kept on disk so far. */
  outputBytes: z.number().int().nonnegative(),
  handle: JobHandleSchema,
  /** Set when the job was found running after a restart and re-attached. */
  reattachedAt: z.iso.datetime().nullable(),
  /** Set for a job handed to a batch system (Slurm): its id there, state words and files. */
  batch: BatchJobSchema.optional(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

export const OutputStreamKindSchema = z.enum(['stdout', 'stderr', 'tty', 'notice']);
export type OutputStreamKind = z.infer<typeof OutputStreamKindSchema>;

/**
 * Events of a job's output stream. The window writes `output` text into the terminal and grants
 * credit once the terminal has parsed it; when it falls too far behind, the host jumps to the
 * tail and says how many bytes it skipped (they stay in the saved output).
 */
export const JobOutputEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('output'),
    stream: OutputStreamKindSchema,
    text: z.string(),
    /** Log offset just after this piece; a reconnecting window resumes from it. */
    offset: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('skipped'), bytes: z.number().int().nonnegative(), offset: z.number().int().nonnegative() }),
  /** Everything written so far was sent; more follows while the job runs. */
  z.object({ type: z.literal('caught-up'), offset: z.number().int().nonnegative() }),
]);
export type JobOutputEvent = z.infer<typeof JobOutputEventSchema>;

/** A terminal's size, as xterm reports it. */
export const TerminalSizeSchema = z.strictObject({
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(1).max(1000),
});
export type TerminalSize = z.infer<typeof TerminalSizeSchema>;

/** Keystrokes and pastes; a larger paste is sent in pieces by the window. */
export const MAX_INPUT_CHARS = 65536;
