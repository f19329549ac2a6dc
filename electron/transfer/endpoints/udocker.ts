// udocker: no daemon and no stream API. In, a Docker archive is written to a file in this
// transfer's staging folder under Crossdock's runtime folder and given to `udocker load -i` (the
// file is always removed after). Out, the layer files of its repository are applied in order.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, readlink, rm, statfs, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { ApiError } from '../../../shared/errors';
import type { Engine } from '../../engines/engine';
import { findOnPath } from '../../engines/docker-api/path-lookup';
import { runUdocker, udockerWords, type CliOutcome, type UdockerCli } from '../../engines/udocker/cli';
import { markToolsPresent, udockerEnvironment } from '../../engines/udocker/environment';
import { UdockerEngine } from '../../engines/udocker/engine';
import { readRepository, type UdockerImage } from '../../engines/udocker/repository';
import { parseUdockerVersion } from '../../engines/udocker/version';
import { LayerApplier } from '../apply-layer';
import { imageConfigFromDocker } from '../docker-config';
import { saysOutOfSpace, withPath } from '../target-errors';
import type { Received, Source, Target, TargetCall, TransferContext } from './endpoint';

export function isUdocker(engine: Engine): boolean {
  return engine instanceof UdockerEngine;
}

async function udockerCli(engine: Engine, context: TransferContext): Promise<{ cli: UdockerCli; dir: string }> {
  const binaryPath = await findOnPath('udocker', context.env);
  if (!binaryPath) throw new ApiError('engine-unavailable', 'udocker is not on PATH (pip install udocker).', { engineId: engine.id });
  const environment = await udockerEnvironment(context.env);
  const cli = { binaryPath, env: environment.env, asRoot: process.getuid?.() === 0 };
  let release = engine instanceof UdockerEngine ? (engine.detectedVersion?.tarballRelease ?? null) : null;
  if (!release) release = parseUdockerVersion((await runUdocker(cli, ['version'], { timeoutMs: 30_000 })).stdout)?.tarballRelease ?? null;
  const wrote = await markToolsPresent(environment, release);
  if (wrote) context.log(wrote);
  return { cli, dir: environment.dir };
}

async function findImage(dir: string, name: string, log: (message: string) => void): Promise<UdockerImage | null> {
  const wanted = name.includes(':') && name.lastIndexOf(':') > name.lastIndexOf('/') ? name : `${name}:latest`;
  return (await readRepository(dir, log)).find((image) => image.reference === wanted) ?? null;
}

export async function udockerSource(engine: Engine, context: TransferContext, imageId: string, reference: string | null): Promise<Source> {
  const dir = (await udockerEnvironment(context.env)).dir;
  const bare = imageId.replace(/^sha256:/, '');
  const image = (await readRepository(dir, context.log)).find((candidate) => candidate.id.startsWith(bare) && (reference === null || candidate.reference === reference));
  if (!image) throw new ApiError('not-found', `udocker has no image ${reference ?? imageId}.`, { engineId: engine.id });
  if (image.incomplete) throw new ApiError('conflict', `udocker's ${image.reference} is incomplete (${image.incomplete}).`, { engineId: engine.id });
  const layerFiles = image.layers.map((layer) => join(image.folder, image.format === 'v1' ? `${layer}.layer` : layer));
  const rawConfig = image.configFile ? JSON.parse(await readText(image.configFile)) : null;
  const config = imageConfigFromDocker(rawConfig);
  return {
    facts: {
      label: `${image.reference} (udocker)`,
      reference: image.reference,
      sizeBytes: image.sizeBytes,
      layers: layerFiles.length,
      architecture: rawConfig && typeof rawConfig.architecture === 'string' ? rawConfig.architecture : null,
      contentDigest: null,
      warnings: [],
    },
    shape: {
      kind: 'unpack',
      unpack: async (destDir, signal, progress) => {
        const applier = new LayerApplier(destDir);
        for (const file of layerFiles) {
          // Layer files may be gzip-compressed where udocker pulled them; load keeps them plain.
          await applier.apply(await maybeGunzip(file), signal, progress.onBytes);
          progress.onLayer();
        }
        await applier.finish();
        return { config, notes: [] };
      },
    },
  };
}

async function maybeGunzip(file: string): Promise<Readable> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const stream = createReadStream(file, { start: 0, end: 1 });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => chunks.push(chunk as Buffer));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
  const stream = createReadStream(file);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const { createGunzip } = await import('node:zlib');
    return stream.pipe(createGunzip());
  }
  return stream;
}

async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

export function udockerTarget(engine: Engine, context: TransferContext): Target {
  return {
    label: engine.label,
    takes: 'archive',
    runsHere: true,
    // The archive sits in the runtime folder while udocker copies it into its repository.
    spaceFactor: 2,
    defaultName: (source) => source.reference?.replace(/^localhost\//, '') ?? 'crossdock/copy:latest',
    describeName: async (name) => name,
    nameExists: async (name) => (await findImage((await udockerEnvironment(context.env)).dir, name, context.log)) !== null,
    space: async () => {
      const dir = (await udockerEnvironment(context.env)).dir;
      for (const where of [dir, join(dir, '..')]) {
        try {
          const stats = await statfs(where);
          return { where, freeBytes: stats.bavail * stats.bsize };
        } catch {
          // Not made yet: its parent.
        }
      }
      return null;
    },
    receiveArchive: async (archive: Readable, call: TargetCall): Promise<Received> => {
      const { cli, dir } = await udockerCli(engine, context);
      const existing = await findImage(dir, call.name, context.log);
      const file = join(call.stagingDir, 'image.tar');
      call.onPhase('writing the archive for udocker');
      await pipeline(archive, createWriteStream(file, { flags: 'wx', mode: 0o600 }), { signal: call.signal }).catch((error: unknown) => {
        throw withPath(error, file);
      });
      if (existing) {
        call.onPhase(`removing the old ${existing.reference}`);
        const removed = await runUdocker(cli, ['rmi', existing.reference], { signal: call.signal, timeoutMs: 120_000 });
        if (removed.exitCode !== 0) throw new ApiError('internal', `udocker rmi ${existing.reference} failed: ${udockerWords(removed)}`, { engineId: engine.id });
      }
      const [repository, tag] = splitName(call.name);
      const tagFolder = join(dir, 'repos', ...repository.split('/'), tag);
      await call.addLeftover(tagFolder);
      // udocker unpacks the archive into its temporary folder (UDOCKER_TMP, else /tmp) before it
      // moves the layers in: inside the staging folder, whatever a failed load leaves there goes
      // with it.
      const udockerTmp = join(call.stagingDir, 'udocker-tmp');
      await mkdir(udockerTmp, { mode: 0o700 });
      const layersBefore = new Set(await readdir(join(dir, 'layers')).catch(() => [] as string[]));
      call.onPhase('udocker load');
      const outcome = await runUdocker({ ...cli, env: { ...cli.env, UDOCKER_TMP: udockerTmp } }, ['load', '-i', file], { signal: call.signal, timeoutMs: 3_600_000 });
      if (outcome.exitCode !== 0) {
        // Its tar may outlive a udocker that was killed (it is udocker's child): it goes first, so
        // that nothing writes into the folders removed below.
        await killProcessesNaming(file);
        if (!call.signal.aborted) {
          await rm(tagFolder, { recursive: true, force: true });
          await removeOrphanLayers(dir, layersBefore, context.log);
        }
      }
      await rm(file, { force: true });
      call.signal.throwIfAborted();
      if (outcome.exitCode !== 0) throw await loadFailure(outcome, engine, dir);
      const loaded = await findImage(dir, call.name, context.log);
      if (!loaded || loaded.incomplete) throw new ApiError('internal', `udocker load answered but ${call.name} is ${loaded ? `incomplete (${loaded.incomplete})` : 'not in its repository'}.`, { engineId: engine.id });
      const layerDigests: string[] = [];
      for (const layer of loaded.layers) layerDigests.push(await fileSha256(join(loaded.folder, loaded.format === 'v1' ? `${layer}.layer` : layer)));
      return { imageId: `sha256:${loaded.id}`, reference: loaded.reference, location: loaded.folder, notes: [], layerDigests };
    },
  };
}

/** Why `udocker load` failed, in a sentence: killed, out of space, or udocker's own words. */
async function loadFailure(outcome: CliOutcome, engine: Engine, dir: string): Promise<ApiError> {
  const extra = { engineId: engine.id };
  const words = udockerWords(outcome);
  if (outcome.timedOut) return new ApiError('timeout', 'udocker load did not finish within an hour and was stopped; its half-loaded image was removed.', extra);
  // Killed by a signal (execa then has neither an exit code nor a start error of its own).
  if (outcome.exitCode === null && (outcome.spawnError === null || outcome.spawnError === 'UNKNOWN')) {
    return new ApiError('internal', `udocker load was killed before it finished (by a signal: another program, or the system short of memory); its half-loaded image was removed from ${dir}.`, extra);
  }
  if (outcome.exitCode === null) return new ApiError('engine-unavailable', `udocker could not be started (${outcome.spawnError}).`, extra);
  if (saysOutOfSpace(`${outcome.stdout}\n${outcome.stderr}`)) {
    return new ApiError('internal', `udocker ran out of space while loading the image into ${dir} (${words}). Free some space there and try again.`, extra);
  }
  return new ApiError('internal', `udocker load failed: ${words}`, extra);
}

/**
 * Ends what is left of a killed `udocker load`: processes whose command line names this copy's
 * archive (its tar). The archive's path is in this transfer's private staging folder, so no other
 * program's process can name it. Read from /proc; where there is none, nothing is done.
 */
async function killProcessesNaming(file: string): Promise<void> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (command.split('\0').includes(file)) {
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
}

/**
 * Layer files a failed load moved into udocker's layers/ and no tag links to any more. Only files
 * that were not there before this load are candidates, so the user's own layers are never touched.
 */
async function removeOrphanLayers(dir: string, before: Set<string>, log: (message: string) => void): Promise<void> {
  const layers = join(dir, 'layers');
  const added = (await readdir(layers).catch(() => [] as string[])).filter((name) => !before.has(name));
  if (added.length === 0) return;
  const linked = await linkedLayerNames(join(dir, 'repos'), 0);
  for (const name of added) {
    if (linked.has(name)) continue;
    await rm(join(layers, name), { recursive: true, force: true });
    log(`udocker: removed ${join(layers, name)}, left by a load that failed`);
  }
}

/** The names in layers/ that the tags' links point to. */
async function linkedLayerNames(folder: string, depth: number): Promise<Set<string>> {
  const names = new Set<string>();
  if (depth > 10) return names;
  for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
    const path = join(folder, entry.name);
    if (entry.isSymbolicLink()) {
      const target = await readlink(path).catch(() => null);
      if (target) names.add(basename(target));
    } else if (entry.isDirectory()) {
      for (const name of await linkedLayerNames(path, depth + 1)) names.add(name);
    }
  }
  return names;
}

function splitName(name: string): [string, string] {
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? [name.slice(0, colon), name.slice(colon + 1)] : [name, 'latest'];
}

async function fileSha256(path: string): Promise<string> {
  await stat(path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
