// SIF files, written and read by Crossdock itself (electron/sif/), so that they work where
// Apptainer is absent. A SIF target is a .sif file in a folder (by default the first of the
// user's image folders, where the Apptainer engine lists SIF files even without Apptainer).
import { stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import type { Engine } from '../../engines/engine';
import { imageIdOf } from '../../engines/file-image';
import { unpackSif } from '../../sif/unpack';
import { writeSif } from '../../sif/write';
import type { ImageConfig } from '../image-config';
import type { Received, Source, Target, TargetCall, TransferContext } from './endpoint';

export function isSifEngine(engine: Engine): boolean {
  return engine.family === 'apptainer';
}

export async function sifSource(engine: Engine, imageId: string, signal: AbortSignal): Promise<Source> {
  const bare = imageId.replace(/^sha256:/, '');
  const row = (await engine.listImages(signal)).find((candidate) => candidate.id.replace(/^sha256:/, '').startsWith(bare) && candidate.format === 'sif');
  if (!row?.location) throw new ApiError('not-found', `There is no SIF file with id ${imageId} in the image folders.`, { engineId: engine.id });
  const sifPath = row.location;
  const signed = row.labels['org.crossdock.sif.signed'] === 'true';
  return {
    facts: {
      label: `${sifPath} (SIF)`,
      reference: null,
      sizeBytes: row.sizeBytes,
      layers: 1,
      architecture: row.labels['org.crossdock.sif.arch'] ?? null,
      contentDigest: row.contentDigest ?? null,
      warnings: signed ? ['The SIF file is signed: its signature does not carry over to the copy.'] : [],
    },
    shape: {
      kind: 'unpack',
      unpack: async (destDir, signal, progress) => {
        let last = 0;
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
    nameExists: async (name) => exists(join(await folderOf(), fileName(name))),
    space: async () => {
      try {
        const where = await folderOf();
        const stats = await statfs(where);
        return { where, freeBytes: stats.bavail * stats.bsize };
      } catch {
        return null;
      }
    },
    folderStaging: async (call) => call.stagingDir,
    receiveFolder: async (rootDir: string, config: ImageConfig, _exclude: string[], call: TargetCall): Promise<Received> => {
      const outPath = join(await folderOf(), fileName(call.name));
      if (!call.replace && (await exists(outPath))) throw new ApiError('conflict', `${outPath} exists already.`, { engineId: engine.id });
      call.onPhase('writing the SIF file');
      const result = await writeSif({ rootfsDir: rootDir, config, outPath, signal: call.signal });
      return { imageId: imageIdOf(outPath), reference: null, location: outPath, notes: result.notes, treeRoot: null };
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
