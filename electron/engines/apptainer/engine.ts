// Apptainer, or SingularityCE under its old name: no daemon, no socket, images that are files.
// Detection runs the binary (`version`, then a test container: `exec --containall` on a sandbox
// folder holding Crossdock's probe executable, expecting exit code 37). Images are read natively
// (see images.ts), so they list even where the binary is missing.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import type { ImageDetail, ImageSummary, PruneResult, RemoveResult } from '../../../shared/model';
import type { Detection, DetectOptions, Engine } from '../engine';
import { notReady, PROBE_PENDING, probeNotAttempted } from '../docker-api/detection';
import { PROBE_EXIT_CODE, probeArchitecture, probeExecutable } from '../docker-api/probe-image';
import { parseCacheList, parseVersion, runApptainer, type ApptainerCli } from './cli';
import { hasSifMagic } from './sif/reader';
import { ApptainerRunner } from './run/runner';
import { describeImage, scanFolder, SIF_CACHE_TYPES, uniqueImages, type DescribedImage, type FoundImage } from './images';

export const APPTAINER_FAMILY = 'apptainer';
/** Apptainer's fatal errors ("FATAL: ...") exit with this code. */
export const FATAL_EXIT_CODE = 255;

export interface ApptainerConnection {
  id: 'apptainer' | 'singularity';
  label: string;
  /** The binary found on PATH, or null: then the engine is "not-installed" but still lists SIF files. */
  binaryPath: string | null;
  /** Which binary's conventions (cache folder, environment prefix) apply. */
  flavour: 'apptainer' | 'singularity';
  env: NodeJS.ProcessEnv;
  runtimeDir: string;
  log: (message: string) => void;
  imageFolders?: () => Promise<string[]>;
  /** process.getuid(), passed in for tests. */
  uid: number;
}

export class ApptainerEngine implements Engine {
  readonly id: string;
  readonly label: string;
  readonly family = APPTAINER_FAMILY;
  /** SIF files and sandboxes: nothing dangles. */
  readonly canPrune = false;
  readonly runner: ApptainerRunner;

  constructor(private readonly connection: ApptainerConnection) {
    this.id = connection.id;
    this.label = connection.label;
    this.runner = new ApptainerRunner({
      engineId: connection.id,
      binaryPath: connection.binaryPath,
      binaryName: connection.flavour,
      env: connection.env,
      asRoot: connection.uid === 0,
    });
  }

  private get cli(): ApptainerCli | null {
    return this.connection.binaryPath ? { binaryPath: this.connection.binaryPath, env: this.connection.env } : null;
  }

  async detect(signal: AbortSignal, options: DetectOptions): Promise<Detection> {
    const cli = this.cli;
    const rootless = this.connection.uid !== 0;
    const basics = { endpoint: cli?.binaryPath ?? null, via: `${this.connection.flavour} CLI; SIF files read natively`, rootless };
    if (!cli) {
      return notReady(
        'not-installed',
        'Neither apptainer nor singularity is on PATH. SIF files and sandboxes in your image folders are still listed.',
        { ...basics, via: 'SIF files read natively (no Apptainer)', rootless: null },
      );
    }
    const version = await runApptainer(cli, ['version'], { signal, timeoutMs: 15_000 });
    if (version.spawnError) {
      const state = version.spawnError === 'EACCES' ? 'permission-denied' : version.spawnError === 'ENOENT' ? 'not-installed' : 'error';
      return notReady(state, `${cli.binaryPath} could not be started (${version.spawnError}).`, basics);
    }
    if (version.exitCode !== 0) {
      return notReady('error', `${this.connection.flavour} version failed (exit ${version.exitCode}): ${firstLine(version.stderr)}`, basics);
    }
    const parsedVersion = parseVersion(version.stdout);
    const attributes: Detection['attributes'] = { HasSIF: true, HasSandbox: true, Daemonless: true, GpuFlag: '--nv' };
    if (!options.probe) {
      return {
        state: 'checking',
        version: parsedVersion,
        apiVersion: null,
        endpoint: basics.endpoint,
        via: basics.via,
        rootless,
        message: null,
        probe: probeNotAttempted(PROBE_PENDING),
        attributes,
      };
    }
    const probe = await this.runProbe(cli, signal);
    const ok = probe.exitCode === PROBE_EXIT_CODE;
    // The probe proves one thing about privilege: this user ran a container. Whether Apptainer
    // used its setuid starter or user namespaces is not told apart here.
    if (ok) attributes.Rootless = rootless;
    // Instances this user has running (`instance list --json`, documented {"instances":[...]}).
    const instances = ok ? await countInstances(cli, signal) : null;
    if (instances !== null) attributes.RunningInstances = instances;
    return {
      state: ok ? 'ready' : 'degraded',
      version: parsedVersion,
      apiVersion: null,
      endpoint: basics.endpoint,
      via: basics.via,
      rootless,
      message: ok ? null : probe.message,
      probe: {
        attempted: true,
        ok,
        expectedExitCode: PROBE_EXIT_CODE,
        exitCode: probe.exitCode,
        durationMs: probe.durationMs,
        message: ok ? null : probe.message,
      },
      attributes,
    };
  }

  /** `exec --containall SANDBOX /probe` on a fresh sandbox folder in Crossdock's runtime folder. */
  private async runProbe(cli: ApptainerCli, signal: AbortSignal): Promise<{ exitCode: number | null; durationMs: number | null; message: string }> {
    const arch = probeArchitecture();
    if (!arch) return { exitCode: null, durationMs: null, message: `no probe executable for ${process.arch}` };
    let sandbox: string | null = null;
    try {
      await mkdir(this.connection.runtimeDir, { recursive: true });
      sandbox = await mkdtemp(join(this.connection.runtimeDir, 'apptainer-probe-'));
      for (const folder of ['.singularity.d', 'dev', 'proc', 'sys', 'tmp', 'etc', 'home', 'root']) await mkdir(join(sandbox, folder));
      await writeFile(join(sandbox, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
      await writeFile(join(sandbox, 'etc', 'group'), 'root:x:0:\n');
      await writeFile(join(sandbox, 'probe'), probeExecutable(arch), { mode: 0o755 });
      const started = performance.now();
      const outcome = await runApptainer(cli, ['exec', '--containall', sandbox, '/probe'], { signal, timeoutMs: 60_000 });
      const durationMs = Math.round(performance.now() - started);
      if (outcome.timedOut) return { exitCode: null, durationMs, message: 'the test container did not finish within 60 s' };
      if (outcome.cancelled) return { exitCode: null, durationMs, message: 'the test container was cancelled' };
      if (outcome.exitCode === PROBE_EXIT_CODE) return { exitCode: outcome.exitCode, durationMs, message: '' };
      if (outcome.exitCode === FATAL_EXIT_CODE) {
        return { exitCode: outcome.exitCode, durationMs, message: `${this.connection.flavour} failed: ${firstLine(outcome.stderr) || 'exit 255'}` };
      }
      return {
        exitCode: outcome.exitCode,
        durationMs,
        message: `the test container exited ${outcome.exitCode ?? 'without a code'}, expected ${PROBE_EXIT_CODE}${outcome.stderr ? `: ${firstLine(outcome.stderr)}` : ''}`,
      };
    } catch (error) {
      return { exitCode: null, durationMs: null, message: `could not prepare the test sandbox: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      if (sandbox) await rm(sandbox, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  async listImages(signal: AbortSignal): Promise<ImageSummary[]> {
    return (await this.described(signal)).map((image) => image.summary);
  }

  async inspectImage(imageId: string, signal: AbortSignal): Promise<ImageDetail> {
    const bare = imageId.replace(/^sha256:/, '');
    const matches = (await this.described(signal)).filter((image) => image.summary.id.startsWith(bare));
    if (matches.length !== 1) {
      throw new ApiError('not-found', matches.length === 0 ? `No SIF file or sandbox with id ${imageId}.` : `The id ${imageId} is ambiguous.`, {
        engineId: this.id,
      });
    }
    const detail = await matches[0]!.detail();
    const cli = this.cli;
    // A sandbox's labels come from Apptainer itself where it is installed (`inspect --json`, the
    // documented {"data":{"attributes":{"labels":{...}}}} answer); SIF files were read natively.
    if (cli && detail.summary.format === 'sandbox' && detail.summary.location) {
      const labels = await inspectLabels(cli, detail.summary.location, signal);
      if (labels) return { ...detail, labels: { ...detail.labels, ...labels } };
    }
    return detail;
  }

  async removeImage(): Promise<RemoveResult> {
    throw new ApiError('conflict', 'Crossdock does not delete files it did not make: remove the SIF file or sandbox folder yourself.', {
      engineId: this.id,
    });
  }

  async pruneImages(): Promise<PruneResult> {
    return { engineId: this.id, deleted: [], layersDeleted: 0, reclaimedBytes: 0 };
  }

  dispose(): void {}

  private async described(signal: AbortSignal): Promise<DescribedImage[]> {
    const found: FoundImage[] = [];
    const folders = (await this.connection.imageFolders?.().catch((error: unknown) => {
      this.connection.log(`apptainer: the image folders could not be read: ${String(error)}`);
      return [] as string[];
    })) ?? [];
    for (const folder of folders) found.push(...(await scanFolder(folder, this.connection.log)));
    signal.throwIfAborted();
    found.push(...(await this.cacheImages(signal)));
    const unique = await uniqueImages(found);
    const described: DescribedImage[] = [];
    for (const image of unique) {
      signal.throwIfAborted();
      described.push(await describeImage(this.id, image));
    }
    return described;
  }

  /** SIF files of the cache, read from its folders; `cache list -v` adds what a folder scan missed. */
  private async cacheImages(signal: AbortSignal): Promise<FoundImage[]> {
    const roots = cacheRoots(this.connection.flavour, this.connection.env);
    const found: FoundImage[] = [];
    for (const root of roots) {
      for (const type of SIF_CACHE_TYPES) found.push(...(await scanFolder(join(root, type), () => undefined, type)));
    }
    const cli = this.cli;
    if (!cli) return found;
    const listed = await runApptainer(cli, ['cache', 'list', '-v'], { signal, timeoutMs: 15_000 });
    if (listed.exitCode !== 0) {
      if (!listed.cancelled) this.connection.log(`apptainer: cache list -v failed (exit ${listed.exitCode}): ${firstLine(listed.stderr)}`);
      return found;
    }
    const known = new Set(found.map((image) => image.path));
    for (const entry of parseCacheList(listed.stdout)) {
      if (!SIF_CACHE_TYPES.includes(entry.type) || entry.name.includes('/')) continue;
      for (const root of roots) {
        const path = join(root, entry.type, entry.name);
        if (known.has(path)) break;
        const [image] = await scanFile(path, entry.type);
        if (image) {
          found.push(image);
          known.add(path);
          break;
        }
      }
    }
    return found;
  }
}

async function scanFile(path: string, cacheType: string): Promise<FoundImage[]> {
  return (await hasSifMagic(path)) ? [{ path, kind: 'sif', cacheType }] : [];
}

/**
 * Where the cache may be: $APPTAINER_CACHEDIR (or $SINGULARITY_CACHEDIR), which Apptainer uses as
 * the parent of a "cache" folder, else ~/.apptainer/cache (~/.singularity/cache).
 */
export function cacheRoots(flavour: 'apptainer' | 'singularity', env: NodeJS.ProcessEnv): string[] {
  const configured = flavour === 'apptainer' ? env.APPTAINER_CACHEDIR || env.SINGULARITY_CACHEDIR : env.SINGULARITY_CACHEDIR;
  if (configured) return [join(configured, 'cache'), configured];
  const home = env.HOME || homedir();
  return [join(home, flavour === 'apptainer' ? '.apptainer' : '.singularity', 'cache')];
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim().slice(0, 1000);
}

/** The labels `apptainer inspect --json IMAGE` reports, or null when it cannot say. */
async function inspectLabels(cli: ApptainerCli, image: string, signal: AbortSignal): Promise<Record<string, string> | null> {
  const answer = await runApptainer(cli, ['inspect', '--json', image], { signal, timeoutMs: 30_000 });
  if (answer.exitCode !== 0) return null;
  try {
    const parsed = JSON.parse(answer.stdout) as { data?: { attributes?: { labels?: unknown } } };
    const labels = parsed.data?.attributes?.labels;
    if (typeof labels !== 'object' || labels === null) return null;
    return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return null;
  }
}

/** How many instances `instance list --json` reports, or null when it cannot say. */
async function countInstances(cli: ApptainerCli, signal: AbortSignal): Promise<number | null> {
  const answer = await runApptainer(cli, ['instance', 'list', '--json'], { signal, timeoutMs: 15_000 });
  if (answer.exitCode !== 0) return null;
  try {
    const parsed = JSON.parse(answer.stdout) as { instances?: unknown };
    return Array.isArray(parsed.instances) ? parsed.instances.length : null;
  } catch {
    return null;
  }
}
