// Charliecloud: images are folders. In, the copy is built in a temporary folder beside ch-image's
// img/ (same file system, not listed: only img/'s folders are images) with the ch/metadata.json and
// ch/environment ch-image writes, then renamed into place. Out, the image folder is read in place;
// its ch/ folder is Charliecloud's own metadata, not part of the image's files.
import { mkdir, readFile, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import type { Engine } from '../../engines/engine';
import { CharliecloudEngine } from '../../engines/charliecloud/engine';
import { parseMetadata } from '../../engines/charliecloud/detail';
import { imageArchitecture } from '../../engines/charliecloud/elf';
import { encodeStorageName } from '../../engines/charliecloud/names';
import { storageImagesDir, storageRoot } from '../../engines/charliecloud/storage';
import { imageIdOf } from '../../engines/file-image';
import { EMPTY_IMAGE_CONFIG, type ImageConfig } from '../image-config';
import type { Received, Source, Target, TargetCall, TransferContext } from './endpoint';
import { pathExists } from '../../storage/path-exists';

/** Charliecloud's own folder in an image: excluded from copies and from tree comparisons. */
export const CH_METADATA = 'ch';

export function isCharliecloud(engine: Engine): boolean {
  return engine instanceof CharliecloudEngine;
}

export async function charliecloudSource(engine: Engine, imageId: string, signal: AbortSignal): Promise<Source> {
  const bare = imageId.replace(/^sha256:/, '');
  const rows = (await engine.listImages(signal)).filter((row) => row.id.replace(/^sha256:/, '').startsWith(bare));
  const row = rows[0];
  if (!row?.location) throw new ApiError('not-found', `Charliecloud has no image with id ${imageId}.`, { engineId: engine.id });
  const rootDir = row.location;
  const architecture = await imageArchitecture(rootDir);
  return {
    facts: {
      label: `${row.repoTags[0] ?? rootDir} (Charliecloud)`,
      reference: row.repoTags[0] ?? null,
      sizeBytes: row.sizeBytes,
      layers: 1,
      architecture,
      contentDigest: row.contentDigest ?? null,
      warnings: [],
    },
    shape: {
      kind: 'folder',
      rootDir,
      exclude: [CH_METADATA],
      config: async () => {
        const text = await readFile(join(rootDir, CH_METADATA, 'metadata.json'), 'utf8').catch(() => null);
        const metadata = text === null ? null : parseMetadata(text);
        return {
          ...EMPTY_IMAGE_CONFIG,
          architecture: architecture ?? metadata?.arch ?? EMPTY_IMAGE_CONFIG.architecture,
          env: metadata?.env ?? [],
          workingDir: metadata?.cwd ?? null,
          labels: metadata?.labels ?? {},
          cmd: metadata?.shell ?? null,
        };
      },
    },
  };
}

export function charliecloudTarget(engine: Engine, context: TransferContext): Target {
  const finalPath = (name: string) => join(storageImagesDir(context.env), encodeStorageName(name));
  return {
    label: engine.label,
    takes: 'folder',
    runsHere: true,
    spaceFactor: 1,
    defaultName: (source) => source.reference?.replace(/^localhost\//, '') ?? 'crossdock/copy:latest',
    describeName: async (name) => name,
    nameExists: async (name) => pathExists(finalPath(name)),
    space: async () => {
      for (const where of [storageRoot(context.env), '/var/tmp']) {
        try {
          const stats = await statfs(where);
          return { where, freeBytes: stats.bavail * stats.bsize };
        } catch {
          // Not made yet.
        }
      }
      return null;
    },
    folderStaging: async (call) => {
      const root = storageRoot(context.env);
      await mkdir(storageImagesDir(context.env), { recursive: true, mode: 0o755 });
      const staging = join(root, stagingNameOf(process.pid, Date.now()));
      await call.addLeftover(staging);
      await mkdir(staging, { mode: 0o755 });
      return staging;
    },
    receiveFolder: async (rootDir: string, config: ImageConfig, _exclude: string[], call: TargetCall): Promise<Received> => {
      await writeChMetadata(rootDir, config);
      const target = finalPath(call.name);
      const old = asidePathOf(rootDir);
      if (await pathExists(target)) {
        if (!call.replace) throw new ApiError('conflict', `Charliecloud already has ${call.name}.`, { engineId: engine.id });
        // Two renames, not one: rename() cannot replace a folder that has files. Between them the
        // user's image exists only as `old`, so it is recorded as an aside (put back after a crash,
        // and by the manager when the second rename fails), never as a leftover (deleted).
        await call.recordAside({ path: target, aside: old });
        await rename(target, old);
      }
      await rename(rootDir, target);
      // Only now, with the replacement in place, may the old image go.
      await rm(old, { recursive: true, force: true });
      return { imageId: imageIdOf(target), reference: call.name, location: target, notes: [], treeRoot: { dir: target, exclude: [CH_METADATA] } };
    },
  };
}

/** The folder a copy is built in, beside img/ in ch-image's storage (a dot name: never listed). */
export function stagingNameOf(pid: number, now: number): string {
  return `.crossdock-transfer-${pid}-${now.toString(36)}`;
}

/** Where the image being replaced waits while its replacement is renamed in. */
export function asidePathOf(stagingDir: string): string {
  return `${stagingDir}.old`;
}

/** What ch-image keeps beside an image's files: its metadata and its environment. */
async function writeChMetadata(rootDir: string, config: ImageConfig): Promise<void> {
  await mkdir(join(rootDir, CH_METADATA), { recursive: true, mode: 0o755 });
  const env = Object.fromEntries(config.env.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]).filter(([key]) => key));
  const metadata = { arch: config.architecture, cwd: config.workingDir ?? '/', env, labels: config.labels, shell: ['/bin/sh', '-c'], volumes: [], history: [] };
  await writeFile(join(rootDir, CH_METADATA, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  await writeFile(join(rootDir, CH_METADATA, 'environment'), config.env.map((entry) => `${entry}\n`).join(''));
}

