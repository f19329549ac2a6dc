// What a user asks an engine to run (RunSpec) and what each engine can do with it
// (RunCapabilities). The run dialog, the job manager and every adapter's translation into its own
// call share these shapes; nothing here names an engine.
import { z } from 'zod';
import { EngineIdSchema, ImageIdSchema, ImageReferenceSchema } from './model';

/** NUL cannot travel in an argv or an environment; it is refused rather than cut. */
const noNul = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\0'), 'must not contain a NUL character');

/** POSIX's portable environment names; anything else is refused by one engine or another. */
export const EnvNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name is letters, digits and _, and does not start with a digit');

export const EnvVarSchema = z.strictObject({ name: EnvNameSchema, value: noNul(32768) });
export type EnvVar = z.infer<typeof EnvVarSchema>;

/**
 * A path inside or outside the container. ":" and "," are refused because engines use them as
 * separators in their bind syntax (`-v src:dst:ro`, `-b src:dst`, `--mount a=b,c=d`), where a path
 * holding one would silently mean something else.
 */
export const BindPathSchema = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\/[^\0\n\r:,]*$/, 'a bind path is absolute (starts with /), on one line, without ":" or ","');

export const BindSchema = z.strictObject({
  hostPath: BindPathSchema,
  containerPath: BindPathSchema,
  readOnly: z.boolean().default(false),
});
export type Bind = z.infer<typeof BindSchema>;

/** "name", "uid" or "uid:gid" (or "name:group"): what every engine's --user accepts. */
export const RunUserSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/, 'a user is a name or uid, optionally ":group" or ":gid"');

/** A container port published on the host (`-p hostPort:containerPort/protocol`). */
export const PortSchema = z.strictObject({
  hostPort: z.number().int().min(1).max(65535),
  containerPort: z.number().int().min(1).max(65535),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
});
export type Port = z.infer<typeof PortSchema>;

export const NetworkModeSchema = z.enum(['default', 'none', 'host']);
export type NetworkMode = z.infer<typeof NetworkModeSchema>;

/** An engine's own execution mode (udocker's P1, F3, R1, ...), as the engine advertises it. */
export const ExecutionModeIdSchema = z.string().regex(/^[A-Za-z0-9]{1,8}$/, 'an execution mode is a short code such as P1');

export const RunSpecSchema = z.strictObject({
  engineId: EngineIdSchema,
  image: z.strictObject({
    imageId: ImageIdSchema,
    /** The tag to run by; null runs the image by id (or by its file, for file images). */
    reference: ImageReferenceSchema.nullable().default(null),
  }),
  /** Program and arguments; empty runs the image's own entrypoint and command. */
  command: z.array(noNul(65536)).max(1024).default([]),
  env: z.array(EnvVarSchema).max(256).default([]),
  binds: z.array(BindSchema).max(64).default([]),
  workdir: BindPathSchema.nullable().default(null),
  user: RunUserSchema.nullable().default(null),
  network: NetworkModeSchema.default('default'),
  /** Ports published on the host; engines that share the host's network have none to publish. */
  ports: z.array(PortSchema).max(64).default([]),
  /** Give the container every GPU the engine can pass (`--gpus all`, CDI devices, `--nv`). */
  gpu: z.boolean().default(false),
  /** An interactive terminal (a pty, or the Docker API's attach with Tty). */
  tty: z.boolean().default(false),
  /** Delete the container once the job ended. */
  remove: z.boolean().default(true),
  executionMode: ExecutionModeIdSchema.nullable().default(null),
});
/** A spec as the window sends it (defaults may be left out). */
export type RunSpecInput = z.input<typeof RunSpecSchema>;
export type RunSpec = z.output<typeof RunSpecSchema>;

export const ExecutionModeSchema = z.object({
  id: ExecutionModeIdSchema,
  label: z.string().max(256),
  /** Whether detection saw this mode run its test container. */
  ready: z.boolean(),
});
export type ExecutionMode = z.infer<typeof ExecutionModeSchema>;

/** A capability the engine lacks, with the reason shown beside the disabled field. */
const support = z.object({ supported: z.boolean(), note: z.string().max(512).nullable() });

/**
 * What an engine's runs can do. The run dialog disables what the engine lacks and says why; the
 * job manager refuses a spec that asks for it anyway (a window is not trusted to have checked).
 */
export const RunCapabilitiesSchema = z.object({
  tty: support,
  /** The network modes the engine honours; "default" is the engine's own choice. */
  networks: z.array(NetworkModeSchema),
  gpu: support,
  user: support,
  workdir: support,
  readOnlyBinds: support,
  ports: support,
  /** "Open a shell" in a running job's container. */
  exec: support,
  /** A running job survives Crossdock's restart and is re-attached (daemon engines). */
  reattach: z.boolean(),
  /** The engine's execution modes, when it has several (empty otherwise). */
  modes: z.array(ExecutionModeSchema),
});
export type RunCapabilities = z.infer<typeof RunCapabilitiesSchema>;
