// SIF files, written and read by Crossdock itself (electron/sif/), so that they work where
// Apptainer is absent. A SIF target is a .sif file in a folder (by default the first of the
// user's image folders, where the Apptainer engine lists SIF files even without Apptainer).
import { mkdir, statfs } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import type { Engine } from '../../engines/engine';
import { readSif } from '../../engines/apptainer/sif/reader';
import { imageIdOf } from '../../engines/file-image';
import { unpackSif } from '../../sif/unpack';
import { writeSif } from '../../sif/write';
import type { ImageConfig } from '../image-config';
import { TEMP_PREFIX_MARK, type Received, type Source, type Target, type TargetCall, type TransferContext } from './endpoint';
import { pathExists } from '../../storage/path-exists';

export function isSifEngine(engine: Engine): boolean {
  return engine.family === 'apptainer';
}

export async function sifSource(engine: Engine, imageId: string, signal: AbortSignal): Promise<Source> {
  const bare = imageId.replace(/^sha256:/, '');
  const row = (await engine.listImages(signal)).find((candidate) => candidate.id.replace(/^sha256:/, '').startsWith(bare) && candidate.format === 'sif');
  if (!row?.location) throw new ApiError('not-found', `There is no SIF file with id ${imageId} in the image folders.`, { engineId: engine.id });
  const sifPath = row.location;
  // The architecture and the signature come from the file's own header and descriptors: list rows
  // carry only the image's labels.
  const read = await readSif(sifPath, { contents: 'labels' });
  if (!read.ok) throw new ApiError('invalid-request', `${sifPath} cannot be read as a SIF file: ${read.reason}.`, { engineId: engine.id });
  const signed = read.sif.signed;
  const architecture = read.sif.arch && read.sif.arch !== 'unknown' ? read.sif.arch : null;
  return {
    facts: {
      label: `${sifPath} (SIF)`,
      reference: null,
      sizeBytes: row.sizeBytes,
      layers: 1,
      architecture,
      contentDigest: row.contentDigest ?? null,
      warnings: signed ? ['The SIF file is signed: its signature does not carry over to the copy.'] : [],
    },
    shape: {
      kind: 'unpack',
      unpack: async (destDir, signal, progress) => {
        let last = 0;
        // unpackSif works in a mkdtemp folder beside destDir: recorded by its prefix, so that a
        // restart after a crash removes it (see TEMP_PREFIX_MARK in the transfer manager).
        await progress.addLeftover?.(tempPrefixOf(destDir));
        const result = await unpackSif({
          sifPath,
          destDir,
          signal,
          onProgress: (done) => {
            progress.onBytes(done - last);
            last = done;
          },
        });
        progress.onLayer();
        return result;
      },
    },
  };
}

export function sifTarget(engine: Engine, context: TransferContext, folder: string | null): Target {
  const folderOf = async (): Promise<string> => {
    const chosen = folder ?? (await context.imageFolders())[0];
    if (!chosen) throw new ApiError('invalid-request', 'No folder for the SIF file: add an image folder in the engines panel, or choose one.');
    return chosen;
  };
  const fileName = (name: string) => `${name.replace(/^localhost\//, '').replace(/[/:@]+/g, '_')}.sif`;
  return {
    label: 'SIF file',
    takes: 'folder',
    runsHere: false,
    spaceFactor: 1,
    defaultName: (source) => source.reference?.replace(/^localhost\//, '') ?? 'copy',
    describeName: async (name) => join(await folderOf(), fileName(name)),
    nameExists: async (name) => pathExists(join(await folderOf(), fileName(name))),
    space: async () => {
      try {
        const where = await folderOf();
        const stats = await statfs(where);
        return { where, freeBytes: stats.bavail * stats.bsize };
      } catch {
        return null;
      }
    },
    // A folder of its own inside the staging folder: the staging folder also holds the layers'
    // spool, which must not end up in the image.
    folderStaging: async (call) => {
      const rootfs = join(call.stagingDir, 'rootfs');
      await mkdir(rootfs, { recursive: true, mode: 0o755 });
      return rootfs;
    },
    receiveFolder: async (rootDir: string, config: ImageConfig, _exclude: string[], call: TargetCall): Promise<Received> => {
      const outPath = join(await folderOf(), fileName(call.name));
      if (!call.replace && (await pathExists(outPath))) throw new ApiError('conflict', `${outPath} exists already.`, { engineId: engine.id });
      call.onPhase('writing the SIF file');
      // writeSif builds the file in a mkdtemp folder beside outPath (".NAME.sif.crossdock-XXXXXX").
      await call.addLeftover(tempPrefixOf(outPath));
      const result = await writeSif({ rootfsDir: rootDir, config, outPath, signal: call.signal });
      return { imageId: imageIdOf(outPath), reference: null, location: outPath, notes: result.notes, treeRoot: null };
    },
  };
}

/** What a restart removes for a mkdtemp folder made beside `path` (electron/sif's naming). */
export function tempPrefixOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.crossdock-${TEMP_PREFIX_MARK}`);
}

