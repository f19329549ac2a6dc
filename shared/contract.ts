// The API contract: every call and stream the window may use, written once. The router, both
// transports, the Electron preload and the renderer's client are all derived from these two maps,
// so adding a method here is the only place its name and types are spelled out.
import { z } from 'zod';
import {
  AppInfoSchema,
  EngineIdSchema,
  ImageIdSchema,
  EngineStatusSchema,
  ImageDetailSchema,
  ImageRefSchema,
  ImageSummarySchema,
  PruneResultSchema,
  RemoveResultSchema,
} from './model';
import { BatchExportResultSchema, HtcondorExportRequestSchema, KubernetesExportRequestSchema } from './batch-export';
import { SlurmInfoSchema, SlurmPreviewSchema, SlurmSubmissionSchema } from './batch';
import { ChangeEventSchema } from './changes';
import {
  CompareRunRequestSchema,
  CompareStdoutSchema,
  ComparisonIdSchema,
  ComparisonRecordSchema,
  MAX_COMPARE_REPEAT,
  MAX_COMPARE_TARGETS,
} from './compare';
import { JobIdSchema, JobOutputEventSchema, JobRecordSchema, MAX_INPUT_CHARS, TerminalSizeSchema } from './jobs';
import { RunCapabilitiesSchema, RunSpecSchema } from './run';
import { SettingsPatchSchema, SettingsSchema } from './settings';
import { TransferIdSchema, TransferPlanRequestSchema, TransferPlanSchema, TransferRecordSchema, TransferStartRequestSchema } from './transfer';
import { SifCacheClearedSchema, SifCacheUsageSchema } from './sif';

interface CallSpec<Req extends z.ZodType, Res extends z.ZodType> {
  request: Req;
  response: Res;
  /** One line for the API's own documentation and the preload test's messages. */
  summary: string;
}

interface StreamSpec<Req extends z.ZodType, Ev extends z.ZodType> {
  request: Req;
  event: Ev;
  summary: string;
}

const call = <Req extends z.ZodType, Res extends z.ZodType>(spec: CallSpec<Req, Res>) => spec;
const stream = <Req extends z.ZodType, Ev extends z.ZodType>(spec: StreamSpec<Req, Ev>) => spec;

/** Requests are strict objects: an unknown field is a client bug worth hearing about. */
const empty = z.strictObject({});

export const calls = {
  'app.info': call({
    summary: 'Name, version, transport and folders of the running host.',
    request: empty,
    response: AppInfoSchema,
  }),
  'engines.list': call({
    summary: 'Every engine Crossdock knows, found or not, with its probe result (cached unless refresh).',
    request: z.strictObject({
      refresh: z.boolean().default(false),
      /**
       * Answer only once every test container finished. Without it the answer comes as soon as
       * each engine has been reached ("checking"), and probe results follow as engine-status events.
       */
      waitForProbes: z.boolean().default(false),
    }),
    response: z.array(EngineStatusSchema),
  }),
  'images.list': call({
    summary: "One engine's local images, a row per tag (dangling images get one row).",
    request: z.strictObject({ engineId: EngineIdSchema }),
    response: z.array(ImageSummarySchema),
  }),
  'images.inspect': call({
    summary: 'Layers, history, labels, env, entrypoint, cmd and architecture of one image.',
    request: ImageRefSchema.strict(),
    response: ImageDetailSchema,
  }),
  'images.remove': call({
    summary: 'Untag the row\'s tag, or delete the image when it has no other name.',
    request: ImageRefSchema.extend({ force: z.boolean().default(false) }).strict(),
    response: RemoveResultSchema,
  }),
  'images.prune': call({
    summary: 'Remove the dangling (untagged, unused) images of one engine.',
    request: z.strictObject({ engineId: EngineIdSchema }),
    response: PruneResultSchema,
  }),
  'run.options': call({
    summary: 'What each engine that can run jobs supports (TTY, networks, GPU, user, modes, ...).',
    request: empty,
    response: z.array(z.object({ engineId: EngineIdSchema, capabilities: RunCapabilitiesSchema })),
  }),
  'run.preview': call({
    summary: 'The exact command line a spec becomes on its engine, and what the engine cannot do of it.',
    request: z.strictObject({ spec: RunSpecSchema }),
    response: z.object({
      commandLine: z.array(z.string()),
      commandLineIsEquivalent: z.boolean(),
      /** Parts of the spec the engine cannot honour; a run with any of them is refused. */
      problems: z.array(z.string()),
    }),
  }),
  'jobs.run': call({
    summary: 'Start a job; answers its record at once (state "starting", or "failed" with the reason).',
    request: z.strictObject({ spec: RunSpecSchema }),
    response: JobRecordSchema,
  }),
  'jobs.list': call({
    summary: 'Every job kept on disk, newest first.',
    request: empty,
    response: z.array(JobRecordSchema),
  }),
  'jobs.get': call({
    summary: 'One job record.',
    request: z.strictObject({ jobId: JobIdSchema }),
    response: JobRecordSchema,
  }),
  'jobs.recent': call({
    summary: 'The specs of the latest distinct runs of one image, newest first.',
    request: z.strictObject({ engineId: EngineIdSchema, imageId: ImageIdSchema, limit: z.number().int().min(1).max(50).default(10) }),
    response: z.array(RunSpecSchema),
  }),
  'jobs.stop': call({
    summary: 'Ask the job to end (SIGTERM), and kill it after the grace period.',
    request: z.strictObject({ jobId: JobIdSchema, graceSeconds: z.number().int().min(0).max(3600).default(10) }),
    response: JobRecordSchema,
  }),
  'jobs.kill': call({
    summary: 'Kill the job now (SIGKILL).',
    request: z.strictObject({ jobId: JobIdSchema }),
    response: JobRecordSchema,
  }),
  'jobs.remove': call({
    summary: 'Delete a finished job\'s record and saved output.',
    request: z.strictObject({ jobId: JobIdSchema }),
    response: z.object({ jobId: JobIdSchema }),
  }),
  'jobs.input': call({
    summary: 'Keystrokes or a paste for an interactive job\'s terminal.',
    request: z.strictObject({ jobId: JobIdSchema, data: z.string().min(1).max(MAX_INPUT_CHARS) }),
    response: z.object({ accepted: z.number().int().nonnegative() }),
  }),
  'jobs.resize': call({
    summary: 'The size of an interactive job\'s terminal.',
    request: z.strictObject({ jobId: JobIdSchema, size: TerminalSizeSchema }),
    response: z.object({ jobId: JobIdSchema }),
  }),
  'jobs.exec': call({
    summary: 'Open a shell (or run a command) in a running job\'s container, as a new interactive job.',
    request: z.strictObject({ jobId: JobIdSchema, command: RunSpecSchema.shape.command }),
    response: JobRecordSchema,
  }),
  'slurm.info': call({
    summary: 'Whether jobs can go to Slurm here, the cluster\'s name and its partitions (sinfo).',
    request: empty,
    response: SlurmInfoSchema,
  }),
  'slurm.preview': call({
    summary: 'The batch script and sbatch command a submission becomes, and what cannot go to the cluster.',
    request: SlurmSubmissionSchema,
    response: SlurmPreviewSchema,
  }),
  'slurm.submit': call({
    summary: 'Submit to Slurm with sbatch; answers a record per job or array task ("pending"), or Slurm\'s refusal.',
    request: SlurmSubmissionSchema,
    response: z.array(JobRecordSchema),
  }),
  'compare.run': call({
    summary: 'Run one spec on several engines (and modes) one after another, repeated N times; answers the record at once.',
    request: CompareRunRequestSchema,
    response: ComparisonRecordSchema,
  }),
  'compare.list': call({
    summary: 'Every comparison kept on disk, newest first.',
    request: empty,
    response: z.array(ComparisonRecordSchema),
  }),
  'compare.get': call({
    summary: 'One comparison record.',
    request: z.strictObject({ comparisonId: ComparisonIdSchema }),
    response: ComparisonRecordSchema,
  }),
  'compare.cancel': call({
    summary: 'Stop a running comparison: its running job is stopped, what is pending never starts.',
    request: z.strictObject({ comparisonId: ComparisonIdSchema }),
    response: ComparisonRecordSchema,
  }),
  'compare.remove': call({
    summary: 'Delete a finished comparison (its jobs stay in the job list).',
    request: z.strictObject({ comparisonId: ComparisonIdSchema }),
    response: z.object({ comparisonId: ComparisonIdSchema }),
  }),
  'compare.stdout': call({
    summary: "One attempt's stdout (its start, when long), for the diff view.",
    request: z.strictObject({
      comparisonId: ComparisonIdSchema,
      target: z.number().int().min(0).max(MAX_COMPARE_TARGETS - 1),
      round: z.number().int().min(0).max(MAX_COMPARE_REPEAT - 1),
    }),
    response: CompareStdoutSchema,
  }),
  'export.htcondor': call({
    summary: 'An HTCondor submit file (container universe) for a spec, checked with HTCondor\'s submit logic; saved when savePath is given.',
    request: HtcondorExportRequestSchema,
    response: BatchExportResultSchema,
  }),
  'export.kubernetes': call({
    summary: 'A Kubernetes batch/v1 Job manifest (YAML) for a spec, checked against the API schemas; saved when savePath is given.',
    request: KubernetesExportRequestSchema,
    response: BatchExportResultSchema,
  }),
  'transfers.plan': call({
    summary: 'For one image and some targets: can each receive it, does the name exist there, space, architecture, route.',
    request: TransferPlanRequestSchema,
    response: TransferPlanSchema,
  }),
  'transfers.start': call({
    summary: 'Copy an image into one or more engines; answers the record at once, progress follows as transfer events.',
    request: TransferStartRequestSchema,
    response: TransferRecordSchema,
  }),
  'transfers.list': call({
    summary: 'Every transfer kept on disk, newest first.',
    request: empty,
    response: z.array(TransferRecordSchema),
  }),
  'transfers.get': call({
    summary: 'One transfer record.',
    request: z.strictObject({ transferId: TransferIdSchema }),
    response: TransferRecordSchema,
  }),
  'transfers.cancel': call({
    summary: 'Stop a running transfer; what it was making is removed.',
    request: z.strictObject({ transferId: TransferIdSchema }),
    response: TransferRecordSchema,
  }),
  'transfers.remove': call({
    summary: 'Delete a finished transfer record (the copies stay).',
    request: z.strictObject({ transferId: TransferIdSchema }),
    response: z.object({ transferId: TransferIdSchema }),
  }),
  'settings.get': call({
    summary: 'The user settings stored in the XDG config folder.',
    request: empty,
    response: SettingsSchema,
  }),
  'settings.update': call({
    summary: 'Change some settings; answers the whole new settings.',
    request: SettingsPatchSchema,
    response: SettingsSchema,
  }),
  'sif.cache': call({
    summary: 'The cache of unpacked SIF files (engines that run folders run SIF files from it): its folder, entries and size.',
    request: empty,
    response: SifCacheUsageSchema,
  }),
  'sif.clearCache': call({
    summary: 'Remove every unpacked SIF file no running job uses; answers what was removed and kept.',
    request: empty,
    response: SifCacheClearedSchema,
  }),
} as const;

export const streams = {
  'changes.watch': stream({
    summary: 'Engine status changes and "this engine\'s images changed" notifications.',
    request: empty,
    event: ChangeEventSchema,
  }),
  'jobs.output': stream({
    summary: "A job's output from an offset, paced by the window; ends once the job ended and all was sent.",
    request: z.strictObject({ jobId: JobIdSchema, fromOffset: z.number().int().nonnegative().default(0) }),
    event: JobOutputEventSchema,
  }),
} as const;

export type Calls = typeof calls;
export type Streams = typeof streams;
export type CallName = keyof Calls;
export type StreamName = keyof Streams;

/** What a caller passes (defaults may be left out). */
export type CallRequest<K extends CallName> = z.input<Calls[K]['request']>;
/** What a handler receives (defaults filled in). */
export type CallParsed<K extends CallName> = z.output<Calls[K]['request']>;
export type CallResponse<K extends CallName> = z.output<Calls[K]['response']>;
export type StreamRequest<K extends StreamName> = z.input<Streams[K]['request']>;
export type StreamParsed<K extends StreamName> = z.output<Streams[K]['request']>;
export type StreamEvent<K extends StreamName> = z.output<Streams[K]['event']>;

export const callNames = Object.keys(calls) as CallName[];
export const streamNames = Object.keys(streams) as StreamName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(streams, name);
}
