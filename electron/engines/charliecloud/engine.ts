// Charliecloud: no daemon, no socket, images that are folders. Detection finds ch-run, reads its
// version (printed to stderr), and runs the test container: `ch-run DIR -- /probe` on a directory
// image Crossdock makes once, expecting exit code 37, then the same root as SquashFS where
// mksquashfs is present. Images are read from the file system (see images.ts), so they list even
// where ch-run is missing; only deleting one from ch-image's storage runs ch-image.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import type { ImageDetail, ImageSummary, PruneResult, RemoveResult } from '../../../shared/model';
import { notReady, PROBE_PENDING, probeNotAttempted } from '../docker-api/detection';
import { findOnPath } from '../docker-api/path-lookup';
import { PROBE_EXIT_CODE, probeArchitecture } from '../docker-api/probe-image';
import type { Detection, DetectOptions, Engine, EngineContext } from '../engine';
import { chImageCommand, firstLine, runProgram } from './cli';
import { describeImage } from './detail';
import { errorCode, nodeFs, type FsOps } from './fs-ops';
import { listImages, type ListedImage } from './images';
import { ensureProbeSifRoot } from '../../sif/probe';
import { CharliecloudRunner } from './run/runner';
import { ensureProbeDirectory, ensureProbeSquashfs, ensureSquashfsMountPoint, runProbe } from './probe';
import { storageImagesDir, storageRoot } from './storage';
import { parseChRunVersion } from './version';
import { pathExists } from '../../storage/path-exists';

export const CHARLIECLOUD_FAMILY = 'charliecloud';
export const CHARLIECLOUD_ID = 'charliecloud';
export const CHARLIECLOUD_LABEL = 'Charliecloud';
const VIA = 'ch-run CLI; directory images read natively';
const VERSION_TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 30_000;
const DELETE_TIMEOUT_MS = 120_000;

export interface CharliecloudOptions {
  /** The file-system calls of the listing (tests inject failures). */
  fs?: FsOps;
}

export class CharliecloudEngine implements Engine {
  readonly id = CHARLIECLOUD_ID;
  readonly label = CHARLIECLOUD_LABEL;
  readonly family = CHARLIECLOUD_FAMILY;
  /** Directory images: nothing dangles. */
  readonly canPrune = false;
  readonly runner: CharliecloudRunner;
  private readonly fs: FsOps;

  constructor(
    private readonly context: EngineContext,
    options: CharliecloudOptions = {},
  ) {
    this.fs = options.fs ?? nodeFs;
    this.runner = new CharliecloudRunner({ engineId: CHARLIECLOUD_ID, env: () => this.context.env });
  }

  async detect(signal: AbortSignal, options: DetectOptions): Promise<Detection> {
    const env = this.context.env;
    const chRun = await findOnPath('ch-run', env);
    // ch-run has no privileged mode: it always runs in an unprivileged user namespace.
    const basics = { endpoint: chRun, via: VIA, rootless: true };
    if (!chRun) {
      return notReady(
        'not-installed',
        'ch-run is not on PATH: Charliecloud is not installed (Debian and Ubuntu: apt install charliecloud). Directory images in your image folders are still listed.',
        { endpoint: null, via: 'directory images read natively (no Charliecloud)', rootless: null },
      );
    }
    const versionRun = await runProgram(chRun, ['--version'], { env, signal, timeoutMs: VERSION_TIMEOUT_MS });
    if (versionRun.spawnError) {
      const state = versionRun.spawnError === 'EACCES' ? 'permission-denied' : versionRun.spawnError === 'ENOENT' ? 'not-installed' : 'error';
      return notReady(state, `${chRun} could not be started (${versionRun.spawnError}).`, basics);
    }
    if (versionRun.timedOut) return notReady('error', `ch-run --version did not answer within ${VERSION_TIMEOUT_MS / 1000} s.`, basics);
    if (versionRun.cancelled) return notReady('error', 'detection was cancelled', basics);
    if (versionRun.exitCode !== 0) {
      return notReady('error', `ch-run --version failed (exit ${versionRun.exitCode}): ${firstLine(versionRun.stderr || versionRun.stdout)}`, basics);
    }
    const version = parseChRunVersion(versionRun.stderr) ?? parseChRunVersion(versionRun.stdout);
    const common = { version, apiVersion: null, endpoint: chRun, via: VIA, rootless: true };
    if (!options.probe) {
      return { ...common, state: 'checking', message: null, probe: probeNotAttempted(PROBE_PENDING), attributes: {} };
    }

    const arch = probeArchitecture();
    if (!arch) {
      const message = `Crossdock has no test program for this machine's architecture (${process.arch}).`;
      return { ...common, state: 'degraded', message, probe: probeNotAttempted(message), attributes: {} };
    }
    let directory: string;
    try {
      directory = await ensureProbeDirectory(this.context.runtimeDir, arch);
    } catch (error) {
      const message = `could not make the test image: ${error instanceof Error ? error.message : String(error)}`;
      return { ...common, state: 'degraded', message, probe: probeNotAttempted(message), attributes: {} };
    }
    const run = await runProbe(chRun, directory, env, signal, PROBE_TIMEOUT_MS);
    const ok = run.exitCode === PROBE_EXIT_CODE;
    const probe = { attempted: true, ok, expectedExitCode: PROBE_EXIT_CODE, exitCode: run.exitCode, durationMs: run.durationMs, message: run.message };
    if (!ok) return { ...common, state: 'degraded', message: run.message, probe, attributes: {} };

    // What the probe proved: a directory image ran, without a daemon, in a user namespace
    // (ch-run's only mode), as this user. SquashFS only when its own probe ran too.
    const formats = ['directory'];
    if (await this.squashfsWorks(chRun, directory, signal)) formats.push('squashfs');
    const sif = await this.sifWorks(chRun, directory, signal);
    if (sif) formats.push('sif');
    return {
      ...common,
      state: 'ready',
      message: null,
      probe,
      attributes: {
        HasSandbox: true,
        // Through Crossdock: a SIF file is unpacked (unsquashfs) and its folder run by ch-run.
        ...(sif ? { HasSIF: true, SifVia: 'unpacked by Crossdock (unsquashfs), run by ch-run' } : {}),
        Daemonless: true,
        UserNamespaces: true,
        Rootless: true,
        ImageFormats: formats.join(','),
        // Documented, not proven here (no GPU): the host's driver libraries are injected into the image.
        GpuFlag: 'ch-fromhost --nvidia',
      },
    };
  }

  /** `ch-run PROBE.sqfs -- /probe` gives 37 (needs mksquashfs to make it, and squashfuse in ch-run). */
  private async squashfsWorks(chRun: string, directory: string, signal: AbortSignal): Promise<boolean> {
    const mksquashfs = (await findOnPath('mksquashfs', this.context.env)) ?? (await findOnPath('mksquashfs', { PATH: '/usr/sbin:/sbin' }));
    if (!mksquashfs) return false;
    // ch-run mounts SquashFS through FUSE: without access to /dev/fuse it fails, after retrying
    // for seconds. Not worth the wait.
    try {
      await access('/dev/fuse', constants.R_OK | constants.W_OK);
    } catch (error) {
      this.context.log(`charliecloud: SquashFS images cannot run here: /dev/fuse: ${errorCode(error) ?? String(error)}`);
      return false;
    }
    try {
      const made = await ensureProbeSquashfs(directory, mksquashfs, this.context.env, signal);
      if (!made.path) {
        this.context.log(`charliecloud: no SquashFS test image: ${made.message}`);
        return false;
      }
      const mountPoint = await ensureSquashfsMountPoint(directory);
      const run = await runProbe(chRun, made.path, this.context.env, signal, PROBE_TIMEOUT_MS, ['/probe'], ['--mount', mountPoint]);
      if (run.exitCode !== PROBE_EXIT_CODE) this.context.log(`charliecloud: SquashFS images do not run here: ${run.message}`);
      return run.exitCode === PROBE_EXIT_CODE;
    } catch (error) {
      this.context.log(`charliecloud: the SquashFS test failed: ${String(error)}`);
      return false;
    }
  }

  /**
   * The probe root written into a SIF file and unpacked again by Crossdock's own SIF code, then
   * `ch-run` on it gives 37: the route a SIF run takes (needs squashfs-tools).
   */
  private async sifWorks(chRun: string, directory: string, signal: AbortSignal): Promise<boolean> {
    try {
      const root = await ensureProbeSifRoot(directory, join(directory, '..'), 'probe', signal);
      const run = await runProbe(chRun, root, this.context.env, signal, PROBE_TIMEOUT_MS);
      if (run.exitCode !== PROBE_EXIT_CODE) this.context.log(`charliecloud: an unpacked SIF file does not run here: ${run.message}`);
      return run.exitCode === PROBE_EXIT_CODE;
    } catch (error) {
      this.context.log(`charliecloud: SIF files cannot run here: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  async listImages(signal: AbortSignal): Promise<ImageSummary[]> {
    return (await this.listed(signal)).map((image) => image.summary);
  }

  async inspectImage(imageId: string, signal: AbortSignal): Promise<ImageDetail> {
    const image = await this.find(imageId, signal);
    return describeImage(image.summary, image.location, this.fs);
  }

  async removeImage(target: { imageId: string; reference: string | null; force: boolean }): Promise<RemoveResult> {
    const image = await this.find(target.imageId, AbortSignal.timeout(60_000));
    if (image.origin === 'folder' || image.reference === null) {
      throw new ApiError('invalid-request', `Crossdock does not delete folders it did not make: remove ${image.location} yourself.`, {
        engineId: this.id,
      });
    }
    if (/[*?[\]]/.test(image.reference)) {
      throw new ApiError('invalid-request', `The name ${image.reference} looks like a pattern to ch-image; remove ${image.location} yourself.`, {
        engineId: this.id,
      });
    }
    const chImage = await findOnPath('ch-image', this.context.env);
    if (!chImage) throw new ApiError('engine-unavailable', 'ch-image is not on PATH: it is needed to delete images from Charliecloud\'s storage.', { engineId: this.id });
    const command = chImageCommand(chImage, this.context.env);
    const outcome = await runProgram(command.file, [...command.prefix, '--storage', storageRoot(this.context.env), 'delete', image.reference], {
      env: command.env,
      timeoutMs: DELETE_TIMEOUT_MS,
    });
    if (outcome.exitCode !== 0) {
      const words = firstLine(outcome.stderr.split('\n').filter((line) => /error|fatal/i.test(line)).join('\n') || outcome.stderr || outcome.stdout);
      if (outcome.timedOut) throw new ApiError('timeout', `ch-image delete ${image.reference} did not finish within ${DELETE_TIMEOUT_MS / 1000} s.`, { engineId: this.id });
      if (outcome.spawnError) throw new ApiError('engine-unavailable', `ch-image could not be started (${outcome.spawnError}).`, { engineId: this.id });
      if (/no image matching|not found/i.test(words)) throw new ApiError('not-found', `ch-image: ${words}`, { engineId: this.id });
      if (/permission denied/i.test(words)) throw new ApiError('permission-denied', `ch-image: ${words}`, { engineId: this.id });
      throw new ApiError('internal', `ch-image delete ${image.reference} failed (exit ${outcome.exitCode}): ${words}`, { engineId: this.id });
    }
    if (await pathExists(image.location)) {
      throw new ApiError('internal', `ch-image delete ${image.reference} succeeded but ${image.location} is still there.`, { engineId: this.id });
    }
    return { untagged: [image.reference], deleted: [image.summary.id], layersDeleted: 0 };
  }

  /** Charliecloud has no dangling images: nothing is left over that no name holds. */
  async pruneImages(): Promise<PruneResult> {
    return { engineId: this.id, deleted: [], layersDeleted: 0, reclaimedBytes: 0 };
  }

  dispose(): void {}

  private async listed(signal: AbortSignal): Promise<ListedImage[]> {
    const folders =
      (await this.context.imageFolders?.().catch((error: unknown) => {
        this.context.log(`charliecloud: the image folders could not be read: ${String(error)}`);
        return [] as string[];
      })) ?? [];
    return listImages(this.id, { imagesDir: storageImagesDir(this.context.env), folders }, this.fs, this.context.log, signal);
  }

  private async find(imageId: string, signal: AbortSignal): Promise<ListedImage> {
    const bare = imageId.replace(/^sha256:/, '').toLowerCase();
    const matches = (await this.listed(signal)).filter((image) => image.summary.id.startsWith(bare));
    if (matches.length !== 1) {
      throw new ApiError(
        'not-found',
        matches.length === 0 ? `Charliecloud has no image with id ${imageId}.` : `The id ${imageId} is ambiguous: give more of it.`,
        { engineId: this.id },
      );
    }
    return matches[0]!;
  }
}

