// The plain data both sides exchange, as runtime schemas with their types derived from them.
// Nothing here names a particular engine: engines describe themselves through these shapes.
import { z } from 'zod';

/** Bounded strings keep hostile or accidental megabyte inputs out of every handler. */
const text = (max = 4096) => z.string().max(max);

/**
 * One engine connection, e.g. "docker", "podman" or "podman-rootless". Engine ids travel in URLs,
 * file names and CSS selectors, so they are restricted to a safe alphabet.
 */
export const EngineIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'an engine id is lower-case letters, digits, ".", "_" or "-"');
export type EngineId = z.infer<typeof EngineIdSchema>;

/**
 * Where an engine stands after detection. "ready" means a test container ran and returned the
 * exit code it was asked for (37), the way HTCondor's startd probes a runtime before it
 * advertises it; "degraded" means the engine answers but the test container did not behave;
 * "checking" means the engine answers and its test container has not finished yet (detection
 * answers in two steps so that the image list need not wait for test containers).
 */
export const EngineStateSchema = z.enum([
  'ready',
  'checking',
  'degraded',
  'not-installed',
  'unreachable',
  'permission-denied',
  'error',
]);
export type EngineState = z.infer<typeof EngineStateSchema>;

export const ProbeResultSchema = z.object({
  /** False when the engine could not be reached, so no test container was attempted. */
  attempted: z.boolean(),
  ok: z.boolean(),
  expectedExitCode: z.number().int(),
  exitCode: z.number().int().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  /** What went wrong, in the engine's own words where it gave any. */
  message: text().nullable(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

export const EngineStatusSchema = z.object({
  id: EngineIdSchema,
  /** Human name shown in the window ("Docker", "Podman (rootless)"). */
  label: text(128),
  /** The family the connection belongs to, for grouping; never branched on by the window. */
  family: text(64),
  state: EngineStateSchema,
  version: text(128).nullable(),
  apiVersion: text(64).nullable(),
  /** Socket path, URL or binary the connection uses. */
  endpoint: text(1024).nullable(),
  /** How Crossdock talks to it: "Docker API over unix socket", "podman CLI (JSON)", ... */
  via: text(256).nullable(),
  rootless: z.boolean().nullable(),
  /** Why the state is not "ready"; null when it is. */
  message: text().nullable(),
  probe: ProbeResultSchema,
  /** Whether "remove dangling images" means anything for this engine. */
  canPrune: z.boolean(),
  /** Scheduler-style attributes the probe proved (HasDocker, HasSandbox, ...). */
  attributes: z.record(z.string().max(64), z.union([z.boolean(), z.string().max(256), z.number()])),
  checkedAt: z.iso.datetime(),
  detectMs: z.number().nonnegative(),
});
export type EngineStatus = z.infer<typeof EngineStatusSchema>;

/**
 * A 64-hex image id, optionally prefixed by its algorithm, or a short id. Docker accepts both.
 * Kept strict: anything else is rejected before it reaches an engine.
 */
export const ImageIdSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^(sha256:)?[a-f0-9]{6,64}$/, 'an image id is hexadecimal, optionally prefixed by "sha256:"');

/**
 * A reference such as "library/busybox:1.36", "localhost:5000/x/y@sha256:...". Restricted to the
 * grammar of the distribution spec's reference (without the length games) so that no shell or
 * option-looking string ("-rf", "$(...)") can ever be passed as one.
 */
export const ImageReferenceSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._/:-]*(@sha256:[a-f0-9]{64})?$/,
    'an image reference is letters, digits and . _ - / : (with an optional @sha256 digest)',
  );

export const ImageRefSchema = z.object({
  engineId: EngineIdSchema,
  /** The image id; every row has one. */
  imageId: ImageIdSchema,
  /**
   * The tag the row stands for, when it has one. Removing a row with a tag untags it (the image
   * stays while other tags hold it), the way `docker rmi name:tag` does.
   */
  reference: ImageReferenceSchema.nullable().default(null),
});
export type ImageRef = z.infer<typeof ImageRefSchema>;

export const ImageSummarySchema = z.object({
  engineId: EngineIdSchema,
  /** Full id ("sha256:..."). */
  id: text(128),
  repository: text(512).nullable(),
  tag: text(256).nullable(),
  /**
   * The names this summary stands for. A listing has a row per name, each with only its own here
   * (every name in every row grew with the square of an image's names); an inspected image's
   * summary has them all. Dangling: none.
   */
  repoTags: z.array(text(512)),
  /** Digests ("repo@sha256:...") of the names above: a listing's row has its own repository's. */
  repoDigests: z.array(text(512)),
  sizeBytes: z.number().nonnegative(),
  /** ISO time, or null when the engine does not know it. */
  createdAt: z.iso.datetime().nullable(),
  /** No name at all: what "remove dangling images" removes. */
  dangling: z.boolean(),
  /** Containers using the image, when the engine says (-1 when it does not). */
  containers: z.number().int(),
  labels: z.record(z.string(), z.string()),
  /**
   * Where the image lives when it is a file or a folder rather than an entry in an engine's store
   * (a SIF file, a sandbox or Charliecloud directory image, an udocker repository folder).
   */
  location: text(4096).optional(),
  /** Its format when the engine holds several: "oci", "sif", "sandbox", "directory", ... */
  format: text(32).optional(),
  /**
   * What the same image has in every engine that holds it ("sha256:..."): Docker's and Podman's
   * image id (the digest of the image's config, which save/load keeps), or for a copy Crossdock
   * made, the source's, recorded once the copy's file tree was checked against the source's. The
   * image list shows the rows of one digest as one image with an engine badge each.
   */
  contentDigest: text(80).optional(),
});
export type ImageSummary = z.infer<typeof ImageSummarySchema>;

export const ImageHistoryEntrySchema = z.object({
  createdAt: z.iso.datetime().nullable(),
  createdBy: text(65536),
  sizeBytes: z.number().nonnegative(),
  comment: text(),
  emptyLayer: z.boolean(),
});

export const ImageDetailSchema = z.object({
  summary: ImageSummarySchema,
  architecture: text(64).nullable(),
  os: text(64).nullable(),
  variant: text(64).nullable(),
  author: text().nullable(),
  entrypoint: z.array(z.string()).nullable(),
  cmd: z.array(z.string()).nullable(),
  env: z.array(z.string()),
  workingDir: text().nullable(),
  user: text().nullable(),
  exposedPorts: z.array(text(64)),
  labels: z.record(z.string(), z.string()),
  /** Layer digests of the root file system, bottom first. */
  layers: z.array(text(128)),
  history: z.array(ImageHistoryEntrySchema),
  /**
   * Containers created from the image, for engines that keep them as plain folders beside their
   * images (udocker's containers/); daemon engines show theirs elsewhere.
   */
  containers: z.array(z.object({ id: text(128), name: text(256).nullable() })).optional(),
});
export type ImageDetail = z.infer<typeof ImageDetailSchema>;

export const RemoveResultSchema = z.object({
  untagged: z.array(z.string()),
  /** Ids of the images deleted (the engine's answer also lists layers: those are only counted). */
  deleted: z.array(z.string()),
  layersDeleted: z.number().int().nonnegative(),
});
export type RemoveResult = z.infer<typeof RemoveResultSchema>;

export const PruneResultSchema = z.object({
  engineId: EngineIdSchema,
  /** Ids of the dangling images deleted; the layers that went with them are only counted. */
  deleted: z.array(z.string()),
  layersDeleted: z.number().int().nonnegative(),
  reclaimedBytes: z.number().nonnegative(),
});
export type PruneResult = z.infer<typeof PruneResultSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which transport the window reached us by; shown in the status bar only, never branched on. */
  transport: z.enum(['ipc', 'web']),
  configDir: z.string(),
  dataDir: z.string(),
  platform: z.string(),
  pid: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;
