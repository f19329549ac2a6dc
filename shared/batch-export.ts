// Handing a job to a batch system as a file: an HTCondor submit description (container universe)
// or a Kubernetes batch/v1 Job manifest, made from the same RunSpec the run dialog runs. The host
// writes the text, checks it with the batch system's own logic where that can run here (HTCondor's
// Python bindings, the Kubernetes API schemas), and saves it where the user says.
import { z } from 'zod';
import { RunSpecSchema } from './run';

export const BatchExportFormatSchema = z.enum(['htcondor', 'kubernetes']);
export type BatchExportFormat = z.infer<typeof BatchExportFormatSchema>;

/** At most this many copies of one job ("queue N", a Job's completions). */
export const MAX_EXPORT_COUNT = 10_000;
/** 16 TiB in MiB: more than any node has; a typo beyond it is caught here. */
export const MAX_EXPORT_MEMORY_MB = 16 * 1024 * 1024;

/**
 * What the user sets in the export dialog. `name` is the base of the file names (and of the
 * Kubernetes Job's name); the host derives a safe one from it, or from the image when it is null.
 */
const commonOptions = {
  name: z.string().max(200).nullable().default(null),
  cpus: z.number().int().min(1).max(1024).default(1),
  memoryMb: z.number().int().min(1).max(MAX_EXPORT_MEMORY_MB).default(1024),
  gpus: z.number().int().min(0).max(64).default(0),
  count: z.number().int().min(1).max(MAX_EXPORT_COUNT).default(1),
};

export const HtcondorExportOptionsSchema = z.strictObject(commonOptions);
export type HtcondorExportOptions = z.output<typeof HtcondorExportOptionsSchema>;

export const KubernetesExportOptionsSchema = z.strictObject({
  ...commonOptions,
  /** Pod failures the Job retries before it is marked failed (the Job's backoffLimit). */
  backoffLimit: z.number().int().min(0).max(100).default(0),
});
export type KubernetesExportOptions = z.output<typeof KubernetesExportOptionsSchema>;

/**
 * Where to save, on the machine the host runs on: an absolute path, or one starting with "~/".
 * An existing folder saves the file in it under the suggested name. The host checks the rest
 * (folder exists, file not there yet unless `overwrite`).
 */
export const SavePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => !/[\0\n\r]/.test(value), 'a save path is one line without NUL characters')
  .refine((value) => value.startsWith('/') || value === '~' || value.startsWith('~/'), 'a save path is absolute (starts with / or ~/)');

const exportRequest = <Options extends z.ZodType>(options: Options) =>
  z.strictObject({
    spec: RunSpecSchema,
    options: options,
    /** Null: only make and check the text (the dialog's preview). */
    savePath: SavePathSchema.nullable().default(null),
    /** Replace a file already at savePath; without it an existing file is never touched. */
    overwrite: z.boolean().default(false),
  });

export const HtcondorExportRequestSchema = exportRequest(HtcondorExportOptionsSchema.prefault({}));
export const KubernetesExportRequestSchema = exportRequest(KubernetesExportOptionsSchema.prefault({}));
export type HtcondorExportRequest = z.output<typeof HtcondorExportRequestSchema>;
export type KubernetesExportRequest = z.output<typeof KubernetesExportRequestSchema>;

/**
 * One check of the text by the batch system's own logic.
 * - passed: it accepted the text (details: what it made of it, e.g. the job ClassAd's attributes)
 * - failed: it rejected the text; message is its own words
 * - unavailable: the checker cannot run here (message says why and how to get it)
 */
export const ExportCheckSchema = z.object({
  checker: z.string().max(256),
  outcome: z.enum(['passed', 'failed', 'unavailable']),
  message: z.string().max(16_384),
  details: z.array(z.object({ key: z.string().max(128), value: z.string().max(4096) })).max(64).default([]),
});
export type ExportCheck = z.infer<typeof ExportCheckSchema>;

export const BatchExportResultSchema = z.object({
  format: BatchExportFormatSchema,
  text: z.string(),
  /** Suggested file name ([A-Za-z0-9._-] only), also used when savePath is a folder. */
  fileName: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/),
  contentType: z.string().max(128),
  checks: z.array(ExportCheckSchema),
  /** What each part of the spec became, and what the batch system cannot carry (binds, ports, ...). */
  notes: z.array(z.string().max(8192)),
  /** The absolute path written, or null when nothing was saved. */
  savedTo: z.string().nullable(),
});
export type BatchExportResult = z.infer<typeof BatchExportResultSchema>;
