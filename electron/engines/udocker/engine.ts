// udocker: no daemon, no socket; a Python command that keeps images and containers as plain
// folders under $UDOCKER_DIR and runs them through proot, runc, fakechroot or Singularity
// ("execution modes"). Detection runs `udocker version`, then the probe in every mode (probe.ts);
// images are read from the folders (repository.ts); inspect and rmi go through the CLI.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import type { ImageDetail, ImageSummary, PruneResult, RemoveResult } from '../../../shared/model';
import type { Detection, DetectOptions, Engine } from '../engine';
import type { JobRunner } from '../../jobs/runner';
import { notReady, PROBE_PENDING, probeNotAttempted } from '../docker-api/detection';
import { findOnPath } from '../docker-api/path-lookup';
import { PROBE_EXIT_CODE, PROBE_IMAGE_REFERENCE, probeArchitecture, type ProbeArchitecture } from '../docker-api/probe-image';
import { ensureProbeRoot, ensureProbeSifRoot } from '../../sif/probe';
import { runUdocker, udockerWords, type UdockerCli } from './cli';
import { markToolsPresent, udockerEnvironment, type UdockerEnvironment } from './environment';
import { configLabels, parseInspect, toDetail, toSummary } from './mapping';
import { modeAttributes, summarizeModes, type ModeResult } from './modes';
import { ensureProbeImage, probeModes } from './probe';
import { containerNames, countContainers, readRepository, type UdockerImage } from './repository';
import { UdockerRunner } from './run/runner';
import { SIF_MODES } from './run/sif-run';
import { parseUdockerVersion, type UdockerVersion } from './version';

export const UDOCKER_FAMILY = 'udocker';
export const UDOCKER_ID = 'udocker';
const VIA = 'udocker CLI; repository folders read directly';

export interface UdockerConnection {
  /** The udocker found on PATH, or null. */
  binaryPath: string | null;
  env: NodeJS.ProcessEnv;
  runtimeDir: string;
  log: (message: string) => void;
  /** process.getuid(), passed in for tests. */
  uid: number;
  /** Limits, shorter in tests. */
  versionTimeoutMs?: number;
  modeTimeoutMs?: number;
}

export class UdockerEngine implements Engine {
  readonly id = UDOCKER_ID;
  readonly label = 'udocker';
  readonly family = UDOCKER_FAMILY;
  /** Udocker keeps no untagged images. */
  readonly canPrune = false;
  /**
   * A test container per execution mode (up to ten, one after another), plus a SIF route check:
   * about 15 s on a quiet machine here, over 30 s on a loaded one. Each step keeps its own
   * limit (modeTimeoutMs), so a hung mode still ends long before this.
   */
  readonly probeTimeoutMs = 180_000;
  private environment: Promise<UdockerEnvironment> | null = null;
  private version: UdockerVersion | null = null;
  /** The last probe's result per execution mode: the runner's modes and default. */
  private modeResults: ModeResult[] | null = null;
  /** Runs jobs; left out where udocker is not installed. */
  readonly runner?: JobRunner;

  constructor(private readonly connection: UdockerConnection) {
    const binaryPath = connection.binaryPath;
    if (binaryPath) {
      this.runner = new UdockerRunner({
        engineId: this.id,
        binaryPath,
        asRoot: connection.uid === 0,
        cli: () => this.runnerCli(),
        modes: () => this.modeResults,
        log: connection.log,
      });
    }
  }

  /** udocker for a job: as for detection, with its tools marked present once the version is known. */
  private async runnerCli(): Promise<UdockerCli | null> {
    const cli = await this.cli();
    if (cli && this.version) {
      const wrote = await markToolsPresent(await this.udockerEnv(), this.version.tarballRelease);
      if (wrote) this.connection.log(wrote);
    }
    return cli;
  }

  private udockerEnv(): Promise<UdockerEnvironment> {
    this.environment ??= udockerEnvironment(this.connection.env).then((environment) => {
      const added = Object.entries(environment.added).map(([key, value]) => `${key}=${value}`);
      if (added.length > 0) this.connection.log(`udocker: its tools are not installed in ${environment.dir}; using the system's: ${added.join(' ')}`);
      return environment;
    });
    return this.environment;
  }

  private async cli(): Promise<UdockerCli | null> {
    if (!this.connection.binaryPath) return null;
    return { binaryPath: this.connection.binaryPath, env: (await this.udockerEnv()).env, asRoot: this.connection.uid === 0 };
  }

  async detect(signal: AbortSignal, options: DetectOptions): Promise<Detection> {
    const rootless = this.connection.uid !== 0;
    const basics = { endpoint: this.connection.binaryPath, via: VIA, rootless };
    const cli = await this.cli();
    if (!cli) return notReady('not-installed', 'udocker is not on PATH (pip install udocker).', { ...basics, rootless: null });

    const outcome = await runUdocker(cli, ['version'], { signal, timeoutMs: this.connection.versionTimeoutMs ?? 15_000 });
    if (outcome.spawnError) return notReady('error', `udocker could not be started (${outcome.spawnError}).`, basics);
    if (outcome.timedOut) return notReady('error', 'udocker did not answer `udocker version` in time.', basics);
    if (outcome.cancelled) return notReady('error', 'detection was cancelled.', basics);
    const version = outcome.exitCode === 0 ? parseUdockerVersion(outcome.stdout) : null;
    if (!version) {
      return notReady('error', `\`udocker version\` did not answer as udocker does (exit ${outcome.exitCode ?? '?'}): ${udockerWords(outcome)}`, basics);
    }
    this.version = version;
    const found = { state: 'checking' as const, version: version.version, apiVersion: version.tarballRelease, ...basics, attributes: {} };
    if (!options.probe) return { ...found, message: null, probe: probeNotAttempted(PROBE_PENDING) };
    return this.probe(cli, version, signal, found);
  }

  private async probe(
    cli: UdockerCli,
    version: UdockerVersion,
    signal: AbortSignal,
    found: Omit<Detection, 'state' | 'message' | 'probe'>,
  ): Promise<Detection> {
    const started = Date.now();
    const degraded = (message: string, attempted: boolean): Detection => ({
      ...found,
      state: 'degraded',
      message,
      probe: { attempted, ok: false, expectedExitCode: PROBE_EXIT_CODE, exitCode: null, durationMs: Date.now() - started, message },
    });
    const arch = probeArchitecture();
    if (!arch) return degraded(`Crossdock has no test program for this architecture (${process.arch}).`, false);
    try {
      const environment = await this.udockerEnv();
      const wrote = await markToolsPresent(environment, version.tarballRelease);
      if (wrote) this.connection.log(wrote);
      const images = await readRepository(environment.dir, this.connection.log);
      const probeImage = images.find((image) => image.reference === PROBE_IMAGE_REFERENCE);
      const run = {
        cli,
        runtimeDir: this.connection.runtimeDir,
        arch,
        signal,
        stepTimeoutMs: this.connection.modeTimeoutMs ?? 20_000,
        singularityMissing: await this.singularityMissing(),
        imagePresent: probeImage !== undefined && probeImage.incomplete === null,
        log: this.connection.log,
      };
      await ensureProbeImage(run);
      const results = await probeModes(run);
      this.modeResults = results;
      const summary = summarizeModes(results);
      const attributes = modeAttributes(results);
      const sif = await this.sifAttributes(cli, results, arch, signal, run.stepTimeoutMs);
      if (sif) Object.assign(attributes, sif, { ImageFormats: `${String(attributes.ImageFormats)},sif` });
      const best = results.find((result) => result.mode === attributes.DefaultExecMode) ?? null;
      const durationMs = Date.now() - started;
      if (!best) {
        const message = `no execution mode returned the test container's exit code ${PROBE_EXIT_CODE}: ${summary}`;
        return { ...found, state: 'degraded', message: clip(message), attributes, probe: { attempted: true, ok: false, expectedExitCode: PROBE_EXIT_CODE, exitCode: null, durationMs, message: clip(message) } };
      }
      return {
        ...found,
        state: 'ready',
        message: null,
        attributes,
        probe: { attempted: true, ok: true, expectedExitCode: PROBE_EXIT_CODE, exitCode: best.exitCode, durationMs, message: clip(summary) },
      };
    } catch (error) {
      return degraded(error instanceof Error ? error.message : String(error), true);
    }
  }

  /**
   * HasSIF through Crossdock: the probe written into a SIF file and unpacked by Crossdock's own SIF
   * code, then run by `udocker run --location` in a PRoot mode that ran the test container (the
   * route a SIF run takes, run/sif-run.ts), exit 37 expected. Nothing when it does not run.
   */
  private async sifAttributes(cli: UdockerCli, results: ModeResult[], arch: ProbeArchitecture, signal: AbortSignal, timeoutMs: number): Promise<{ HasSIF: true; SifVia: string } | null> {
    const mode = SIF_MODES.find((candidate) => results.some((result) => result.mode === candidate && result.status === 'works'));
    if (!mode) return null;
    try {
      const work = join(this.connection.runtimeDir, 'udocker-sif-probe');
      const root = await ensureProbeSifRoot(await ensureProbeRoot(work, arch), work, 'probe', signal);
      const outcome = await runUdocker({ ...cli, env: { ...cli.env, UDOCKER_DEFAULT_EXECUTION_MODE: mode } }, ['run', `--location=${root}`, '--nobanner', '--workdir=/', 'crossdock-sif', '/probe'], {
        signal,
        timeoutMs,
      });
      if (outcome.exitCode !== PROBE_EXIT_CODE) {
        this.connection.log(`udocker: an unpacked SIF file does not run here (exit ${outcome.exitCode ?? '?'}): ${udockerWords(outcome)}`);
        return null;
      }
      return { HasSIF: true, SifVia: `unpacked by Crossdock (unsquashfs), run by udocker run --location (${mode})` };
    } catch (error) {
      this.connection.log(`udocker: SIF files cannot run here: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  private async singularityMissing(): Promise<string | null> {
    for (const name of ['apptainer', 'singularity']) if (await findOnPath(name, this.connection.env)) return null;
    return 'needs Apptainer or Singularity on PATH (neither is)';
  }

  async listImages(): Promise<ImageSummary[]> {
    const { dir } = await this.udockerEnv();
    const [images, containers] = await Promise.all([readRepository(dir, this.connection.log), countContainers(dir, this.connection.log)]);
    return Promise.all(images.map(async (image) => toSummary(this.id, image, containers.get(image.reference)?.length ?? 0, configLabels(await readConfig(image)))));
  }

  private async find(imageId: string, reference: string | null = null): Promise<UdockerImage> {
    const { dir } = await this.udockerEnv();
    const wanted = imageId.replace(/^sha256:/, '');
    const images = await readRepository(dir, this.connection.log);
    const matches = images.filter((image) => image.id.startsWith(wanted) && (reference === null || image.reference === reference));
    const found = matches[0];
    if (!found) throw new ApiError('not-found', `udocker has no image ${reference ?? imageId}.`, { engineId: this.id });
    return found;
  }

  async inspectImage(imageId: string, signal: AbortSignal): Promise<ImageDetail> {
    const image = await this.find(imageId);
    const { dir } = await this.udockerEnv();
    const containerIds = (await countContainers(dir, this.connection.log)).get(image.reference) ?? [];
    const names = await containerNames(dir);
    const containers = containerIds.length;
    let config: Record<string, unknown> | null = null;
    const cli = await this.cli();
    if (cli) {
      const outcome = await runUdocker(cli, ['inspect', image.reference], { signal, timeoutMs: 30_000 });
      if (outcome.exitCode === 0) config = parseInspect(outcome.stdout);
      else if (/image not found/i.test(outcome.stderr)) throw new ApiError('not-found', `udocker has no image ${image.reference}.`, { engineId: this.id });
    }
    config ??= await readConfig(image);
    const summary = toSummary(this.id, image, containers, configLabels(config));
    // udocker's created containers live beside its images, so the image's detail lists them.
    return { ...toDetail(summary, config, image.layers), containers: containerIds.map((id) => ({ id, name: names.get(id) ?? null })) };
  }

  async removeImage(target: { imageId: string; reference: string | null; force: boolean }): Promise<RemoveResult> {
    const image = await this.find(target.imageId, target.reference);
    const { dir } = await this.udockerEnv();
    const users = (await countContainers(dir, this.connection.log)).get(image.reference) ?? [];
    // udocker itself deletes an image its containers came from (they keep their own copy of its
    // files); Crossdock asks first, and removes it when forced.
    if (users.length > 0 && !target.force) {
      throw new ApiError('conflict', `${image.reference} is used by ${users.length} udocker container(s) (${users.join(', ')}); remove them with \`udocker rm\` first, or force.`, { engineId: this.id });
    }
    const cli = await this.cli();
    if (!cli) throw new ApiError('engine-unavailable', 'udocker is not on PATH, so its images cannot be removed.', { engineId: this.id });
    const outcome = await runUdocker(cli, ['rmi', image.reference], { timeoutMs: 60_000 });
    if (outcome.exitCode !== 0) {
      const words = outcome.timedOut ? 'timed out' : udockerWords(outcome);
      throw new ApiError('internal', `udocker rmi ${image.reference} failed: ${words}`, { engineId: this.id });
    }
    return { untagged: [image.reference], deleted: [`sha256:${image.id}`], layersDeleted: image.layers.length };
  }

  /** udocker has no dangling images: every image is a named tag folder. */
  async pruneImages(): Promise<PruneResult> {
    return { engineId: this.id, deleted: [], layersDeleted: 0, reclaimedBytes: 0 };
  }

  dispose(): void {}

  /** The version read at the last detection. */
  get detectedVersion(): UdockerVersion | null {
    return this.version;
  }
}

async function readConfig(image: UdockerImage): Promise<Record<string, unknown> | null> {
  if (!image.configFile) return null;
  try {
    return parseInspect(await readFile(image.configFile, 'utf8'));
  } catch {
    return null;
  }
}

function clip(text: string, max = 4000): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
