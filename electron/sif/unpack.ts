// Unpacks a SIF file's primary system partition into a folder with `unsquashfs -o OFFSET -d DIR`
// and reads its ImageConfig back (read-config.ts), without Apptainer. Refused, saying why: a file
// that is not a readable SIF, one with no system partition, an encrypted partition (only Apptainer
// with the key can open it), an ext3 partition (Singularity 2's format, which only a mount can
// read). A signed SIF is unpacked with a note: the signature covers the SIF's objects and means
// nothing for the files once out of it.
//
// The files land in a temporary folder beside destDir, renamed into place once whole: a failure
// or an abort leaves no destDir (nor a half-filled one) behind.
import { lstat, mkdtemp, readdir, readlink, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ApiError } from '../../shared/errors';
import { readSif, type SifImage, type SifPartition } from '../engines/apptainer/sif/reader';
import type { ImageConfig } from '../transfer/image-config';
import { METADATA_DIR, ROOT_LINKS } from './metadata';
import { configFromSif } from './read-config';
import { findSquashfsTool, runSquashfsTool } from './squashfs-tools';

export interface UnpackSifOptions {
  sifPath: string;
  destDir: string;
  signal: AbortSignal;
  onProgress?: (bytesDone: number, bytesTotal: number | null) => void;
  /**
   * Keep Apptainer's metadata (/.singularity.d and the root links into it) even when the config
   * read back says everything it did. Running the unpacked tree (the SIF cache) keeps it for the
   * run action; a copy to another engine drops it, so that a SIF Crossdock wrote unpacks to the
   * very tree it was made from.
   */
  keepMetadata?: boolean;
}

export async function unpackSif(options: UnpackSifOptions): Promise<{ config: ImageConfig; notes: string[] }> {
  const { signal } = options;
  signal.throwIfAborted();
  const sifPath = resolve(options.sifPath);
  const destDir = resolve(options.destDir);
  const notes: string[] = [];
  const { sif, partition } = await openablePartition(sifPath, notes);
  await refuseOccupied(destDir);
  const unsquashfs = await findSquashfsTool('unsquashfs');

  const work = await mkdtemp(join(dirname(destDir), `.${basename(destDir)}.crossdock-`));
  try {
    const root = join(work, 'root');
    options.onProgress?.(0, partition.size);
    const asUser = process.getuid?.() !== 0;
    await runSquashfsTool({
      file: unsquashfs,
      // As an ordinary user, extended attributes other than user.* cannot be set: leave them all
      // out rather than fail on them (Apptainer's unpacker does the same when it cannot set them).
      args: ['-o', String(partition.offset), '-d', root, ...(asUser ? ['-no-xattrs'] : []), sifPath],
      signal,
      onBar: (done, of) => options.onProgress?.(of > 0 ? Math.round((partition.size * done) / of) : 0, partition.size),
    });
    const { config, complete } = await configFromSif(sif, partition, root, notes);
    if (complete && !options.keepMetadata) await dropMetadata(root);
    signal.throwIfAborted();
    await refuseOccupied(destDir);
    await rmdir(destDir).catch(() => undefined); // an empty folder the caller made is replaced
    await rename(root, destDir);
    options.onProgress?.(partition.size, partition.size);
    return { config, notes };
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The primary system partition, when it is one unsquashfs can open; refusals say why not. */
export async function openablePartition(sifPath: string, notes: string[]): Promise<{ sif: SifImage; partition: SifPartition }> {
  const result = await readSif(sifPath);
  if (!result.ok) throw new ApiError('invalid-request', `${sifPath} cannot be read as a SIF file: ${result.reason}.`);
  const sif = result.sif;
  const systems = sif.partitions.filter((candidate) => candidate.partType === 'primary' || candidate.partType === 'system');
  const partition = systems.find((candidate) => candidate.partType === 'primary') ?? systems[0];
  if (!partition) {
    const kinds = sif.partitions.map((candidate) => `${candidate.partType} ${candidate.fsType}`).join(', ');
    throw new ApiError('invalid-request', `${sifPath} has no system partition to unpack${kinds ? ` (it holds: ${kinds})` : ''}.`);
  }
  if (partition.fsType === 'encrypted-squashfs' || partition.fsType === 'unknown (6)') {
    throw new ApiError(
      'invalid-request',
      `${sifPath} is encrypted (its system partition is an encrypted squashfs): only Apptainer, given the key, can open it. Run it with Apptainer, or decrypt it there (apptainer build plain.sif ${basename(sifPath)}).`,
    );
  }
  if (partition.fsType === 'ext3') {
    throw new ApiError(
      'invalid-request',
      `${sifPath} holds an ext3 partition (Singularity 2's writable format): it can only be read by mounting it, which needs root. Convert it with Apptainer first (apptainer build new.sif ${basename(sifPath)}).`,
    );
  }
  if (partition.fsType !== 'squashfs') {
    throw new ApiError('invalid-request', `${sifPath}'s system partition is ${partition.fsType}, not squashfs: Crossdock can only unpack squashfs.`);
  }
  if (sif.signed) {
    notes.push('The SIF file is signed; the signature covers the SIF file itself and does not carry over to the unpacked image.');
  }
  return { sif, partition };
}

/** A destination that holds anything is refused: nothing of the user's is overwritten. */
async function refuseOccupied(destDir: string): Promise<void> {
  const info = await lstat(destDir).catch(() => null);
  if (!info) {
    const parent = await stat(dirname(destDir)).catch(() => null);
    if (!parent?.isDirectory()) throw new ApiError('invalid-request', `The folder ${dirname(destDir)} does not exist.`);
    return;
  }
  if (!info.isDirectory() || (await readdir(destDir)).length > 0) {
    throw new ApiError('conflict', `${destDir} already exists and is not an empty folder; nothing was unpacked over it.`);
  }
}

/** Removes what Apptainer's build adds around an image's own files, once the config holds it. */
async function dropMetadata(root: string): Promise<void> {
  await rm(join(root, METADATA_DIR), { recursive: true, force: true });
  for (const [name, target] of Object.entries(ROOT_LINKS)) {
    const info = await lstat(join(root, name)).catch(() => null);
    if (!info?.isSymbolicLink()) continue;
    const points = await readlink(join(root, name));
    if (points === target || points === `/${target}`) await rm(join(root, name));
  }
}
