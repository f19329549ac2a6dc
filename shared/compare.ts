// "Run on all engines": one RunSpec executed on several engines (and execution modes), one after
// another, each run an ordinary job of the job manager, repeated N times. A comparison record is
// kept on disk beside the jobs and survives restarts; its results are what the result table, the
// chart and the CSV and Markdown exports show.
import { z } from 'zod';
import { JobIdSchema } from './jobs';
import { EngineIdSchema, ImageIdSchema, ImageReferenceSchema } from './model';
import { ExecutionModeIdSchema, RunSpecSchema } from './run';

export const ComparisonIdSchema = z.string().regex(/^c-[a-z0-9]{8,40}$/, 'a comparison id looks like c-xxxxxxxx');
export type ComparisonId = z.infer<typeof ComparisonIdSchema>;

/** At most this many repeats: each is a whole round over every target. */
export const MAX_COMPARE_REPEAT = 20;
export const MAX_COMPARE_TARGETS = 32;

/**
 * One engine (and mode) to run the spec on, with the image that engine holds: images have their
 * own ids in each engine's store, so the window proposes the match (see image-match.ts) and the
 * user may pick another.
 */
export const CompareTargetSchema = z.strictObject({
  engineId: EngineIdSchema,
  executionMode: ExecutionModeIdSchema.nullable().default(null),
  image: z.strictObject({
    imageId: ImageIdSchema,
    reference: ImageReferenceSchema.nullable().default(null),
  }),
});
export type CompareTarget = z.output<typeof CompareTargetSchema>;
export type CompareTargetInput = z.input<typeof CompareTargetSchema>;

/**
 * - pending: not started yet (a later target or repeat)
 * - running: its job runs
 * - done: the job ended by itself (any exit code)
 * - failed: the job never ran or ended otherwise (refused, engine lost, killed); message says why
 * - cancelled: the comparison was cancelled before or while it ran
 */
export const CompareAttemptStateSchema = z.enum(['pending', 'running', 'done', 'failed', 'cancelled']);
export type CompareAttemptState = z.infer<typeof CompareAttemptStateSchema>;

export const CompareAttemptSchema = z.object({
  /** 0-based round: attempt i of every target ran in round i. */
  round: z.number().int().nonnegative(),
  state: CompareAttemptStateSchema,
  jobId: JobIdSchema.nullable(),
  exitCode: z.number().int().nullable(),
  /** From the run request to the first byte of output (null when there was none). */
  firstOutputMs: z.number().nonnegative().nullable(),
  /** From the run request to the job's end. */
  wallMs: z.number().nonnegative().nullable(),
  /** Highest memory the engine reported or the host sampled; null where the engine exposes none. */
  peakMemoryBytes: z.number().int().nonnegative().nullable(),
  /** sha256 of what the job wrote to stdout (its terminal, for a TTY job), hex. */
  stdoutSha256: z.string().regex(/^[a-f0-9]{64}$/).nullable(),
  stdoutBytes: z.number().int().nonnegative().nullable(),
  message: z.string().max(8192).nullable(),
});
export type CompareAttempt = z.infer<typeof CompareAttemptSchema>;

export const CompareTargetResultSchema = z.object({
  target: CompareTargetSchema,
  /** "Podman (rootless)", "udocker P1" */
  label: z.string().max(256),
  imageLabel: z.string().max(512),
  /** How peak memory is obtained on this engine, or why it is not ("container stats", "not exposed: ..."). */
  memoryNote: z.string().max(512),
  attempts: z.array(CompareAttemptSchema),
});
export type CompareTargetResult = z.infer<typeof CompareTargetResultSchema>;

export const ComparisonStateSchema = z.enum(['running', 'done', 'cancelled', 'interrupted']);
export type ComparisonState = z.infer<typeof ComparisonStateSchema>;

export const ComparisonRecordSchema = z.object({
  id: ComparisonIdSchema,
  /** The spec as the run dialog made it; each target replaces engine, image and mode. */
  spec: RunSpecSchema,
  repeat: z.number().int().min(1).max(MAX_COMPARE_REPEAT),
  state: ComparisonStateSchema,
  createdAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  results: z.array(CompareTargetResultSchema),
});
export type ComparisonRecord = z.infer<typeof ComparisonRecordSchema>;

export const CompareRunRequestSchema = z.strictObject({
  /** The run dialog's spec; its engineId and image are those of the first target by convention only. */
  spec: RunSpecSchema,
  targets: z.array(CompareTargetSchema).min(1).max(MAX_COMPARE_TARGETS),
  repeat: z.number().int().min(1).max(MAX_COMPARE_REPEAT).default(1),
});

/** At most this much of one attempt's stdout is sent for the diff view. */
export const MAX_DIFF_BYTES = 256 * 1024;

export const CompareStdoutSchema = z.object({
  text: z.string(),
  /** The output was longer than MAX_DIFF_BYTES; text holds its start. */
  truncated: z.boolean(),
});
