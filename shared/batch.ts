// Jobs handed to a batch system. Slurm: what a user asks of the cluster (SlurmRequest), what the
// cluster offers (partitions, from sinfo), and what Crossdock keeps of a submitted job in its
// record (BatchJob) so the job list can show it and a restart can find it again.
// HTCondor and Kubernetes exports have their own part below this one (files, not jobs).
import { z } from 'zod';
import { RunSpecSchema } from './run';

/**
 * Slurm's partition names: letters, digits, "_", "-", "." (what slurm.conf's parser takes). Anything
 * else is refused here, so no odd string ever reaches sbatch's argument list, let alone a shell.
 */
export const SlurmPartitionSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'a partition name is letters, digits, "_", "-" and "."');

/** A job name: one line of printable text (sbatch takes it as one argument, never through a shell). */
export const SlurmJobNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\p{Cc}]+$/u, 'a job name is one line without control characters');

/** An absolute folder on the cluster's shared file system, on one line ("%" is sbatch's pattern sign). */
export const SlurmOutputDirSchema = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\/[^\0\n\r%]*$/, 'an output folder is an absolute path on one line, without "%"');

export const MAX_SLURM_ARRAY = 1000;
/** The batch script as the user edited it. */
export const MAX_SLURM_SCRIPT_CHARS = 256 * 1024;

export const SlurmRequestSchema = z.strictObject({
  /** Null: the cluster's default partition. */
  partition: SlurmPartitionSchema.nullable().default(null),
  /** --time in minutes (Slurm's unit); null: the partition's default. */
  timeLimitMinutes: z.number().int().min(1).max(366 * 24 * 60).nullable().default(null),
  /** --cpus-per-task. */
  cpus: z.number().int().min(1).max(4096).default(1),
  /** --mem in megabytes; null: the cluster's default. */
  memoryMb: z.number().int().min(1).max(1024 * 1024 * 1024).nullable().default(null),
  /** --gres=gpu:N; 0 asks for none. */
  gpus: z.number().int().min(0).max(64).default(0),
  jobName: SlurmJobNameSchema.default('crossdock'),
  /** Tasks of one spec (--array=0-(N-1)); "run on all engines" has one task per engine instead. */
  arraySize: z.number().int().min(1).max(MAX_SLURM_ARRAY).default(1),
  /** Where Slurm writes the output files; null: Crossdock's own data folder. */
  outputDir: SlurmOutputDirSchema.nullable().default(null),
});
export type SlurmRequestInput = z.input<typeof SlurmRequestSchema>;
export type SlurmRequest = z.output<typeof SlurmRequestSchema>;

/** One spec per array task ("run on all engines"), or one spec repeated arraySize times. */
export const SlurmSubmissionSchema = z.strictObject({
  specs: z.array(RunSpecSchema).min(1).max(MAX_SLURM_ARRAY),
  request: SlurmRequestSchema,
  /** The script as edited in the dialog; null: the one Crossdock generates, unchanged. */
  script: z.string().min(1).max(MAX_SLURM_SCRIPT_CHARS).nullable().default(null),
});
export type SlurmSubmissionInput = z.input<typeof SlurmSubmissionSchema>;
export type SlurmSubmission = z.output<typeof SlurmSubmissionSchema>;

export const SlurmPartitionInfoSchema = z.object({
  name: z.string(),
  isDefault: z.boolean(),
  /** "up", "down", "drain", "inactive" as sinfo says. */
  availability: z.string(),
  /** Slurm's own words: "infinite", "1-00:00:00". */
  timeLimit: z.string(),
  nodes: z.number().int().nonnegative(),
  /** The most CPUs and memory (MB) one node of the partition has. */
  cpusPerNode: z.number().int().nonnegative(),
  memoryMbPerNode: z.number().int().nonnegative(),
  /** Generic resources as sinfo lists them ("gpu:2"); null when none. */
  gres: z.string().nullable(),
});
export type SlurmPartitionInfo = z.infer<typeof SlurmPartitionInfoSchema>;

export const SlurmInfoSchema = z.object({
  /** Whether jobs can be submitted now. */
  available: z.boolean(),
  /** Why not, in Slurm's words where it gave any (no sbatch on PATH, the controller unreachable). */
  message: z.string().nullable(),
  cluster: z.string().nullable(),
  partitions: z.array(SlurmPartitionInfoSchema),
});
export type SlurmInfo = z.infer<typeof SlurmInfoSchema>;

export const SlurmPreviewSchema = z.object({
  script: z.string(),
  /** sbatch and its options, the script's path last: what Crossdock runs (no shell). */
  sbatchArgv: z.array(z.string()),
  /** Why a spec cannot go to the cluster (the engine cannot honour it, the image is gone). */
  problems: z.array(z.string()),
  /** Things changed for the batch run, said once (an interactive terminal has no place in a batch job). */
  notes: z.array(z.string()),
});
export type SlurmPreview = z.infer<typeof SlurmPreviewSchema>;

/**
 * What Crossdock keeps of a job it handed to a batch system, in the job's record: enough to poll it
 * again after a restart, re-read its output, cancel it, and to show the batch system's own words.
 */
export const BatchJobSchema = z.object({
  system: z.literal('slurm'),
  /** The cluster's name (slurm.conf's ClusterName), as the job list marks the job. */
  cluster: z.string().max(256),
  /** Slurm's id of this job or array task: "12", "12_3". */
  jobId: z.string().regex(/^\d+(_\d+)?$/),
  /** The state word Slurm last gave (PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED, ...). */
  slurmState: z.string().max(64),
  /** Slurm's reason for it (Resources, Priority, NonZeroExitCode, TimeLimit), when it gave one. */
  reason: z.string().max(512).nullable(),
  partition: z.string().max(64).nullable(),
  nodes: z.string().max(1024).nullable(),
  /** The output file Slurm writes (stdout and stderr together), on the cluster's file system. */
  outputPath: z.string().max(4096),
  scriptPath: z.string().max(4096),
  request: SlurmRequestSchema,
  submittedAt: z.iso.datetime(),
});
export type BatchJob = z.infer<typeof BatchJobSchema>;
