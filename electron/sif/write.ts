// Writes a SIF file from a root file system and an image configuration, without Apptainer: the
// squashfs partition is made by mksquashfs straight into the SIF (its -offset option leaves room
// for the header, the descriptor table and the small objects, written afterwards), so the image's
// bytes are written once and never held in memory. See metadata.ts for what Apptainer records and
// encode.ts for the bytes around it.
//
// mksquashfs runs as Apptainer's build runs it (assemblers/sif.go, packer/squashfs.go):
// `-noappend -comp gzip`, plus `-all-root` when not run as root (files then belong to root in the
// image rather than to the user who unpacked them). Crossdock adds `-exit-on-error`: without it an
// unreadable file is stored empty with only a warning, and nothing may be lost silently. The
// metadata (/.singularity.d and the root links) is appended by a second mksquashfs run, so the
// source folder is never written to.
//
// Everything is made in a temporary folder beside outPath and renamed into place at the end; a
// failure or an abort (mksquashfs is killed) removes the folder and leaves outPath as it was.
import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, open, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ApiError } from '../../shared/errors';
import { DATA_DEFFILE, DATA_LABELS, DATA_PARTITION } from '../engines/apptainer/sif/layout';
import type { ImageConfig } from '../transfer/image-config';
import { archCode, encodeDescriptors, encodeHeader, FS_SQUASHFS, PART_PRIMARY_SYSTEM, planObjects, type PlannedObject } from './encode';
import {
  baseFiles,
  definitionFile,
  ENV_SCRIPT,
  envScript,
  INSPECT_METADATA_NAME,
  inspectMetadata,
  METADATA_DIR,
  OCI_CONFIG_NAME,
  ociConfig,
  ROOT_LINKS,
  runscript,
  sifLabels,
} from './metadata';
import { findSquashfsTool, runSquashfsTool } from './squashfs-tools';
import { treeBytes } from './tree-size';
import { errorCode } from '../storage/error-code';
import { isOutOfSpace, saysOutOfSpace } from '../transfer/target-errors';

const DATA_GENERIC_JSON = 0x4006;

export interface WriteSifOptions {
  rootfsDir: string;
  config: ImageConfig;
  outPath: string;
  signal: AbortSignal;
  onProgress?: (bytesDone: number, bytesTotal: number | null) => void;
}

export async function writeSif(options: WriteSifOptions): Promise<{ sifId: string; notes: string[] }> {
  const { config, signal } = options;
  signal.throwIfAborted();
  const rootfsDir = resolve(options.rootfsDir);
  const outPath = resolve(options.outPath);
  if (config.os !== 'linux') throw new ApiError('invalid-request', `A SIF file holds a Linux image; this image is for ${JSON.stringify(config.os)}.`);
  if (!archCode(config.architecture)) {
    throw new ApiError('invalid-request', `SIF has no code for the architecture ${JSON.stringify(config.architecture)}, so no SIF file can say what this image runs on.`);
  }
  const rootInfo = await stat(rootfsDir).catch(() => null);
  if (!rootInfo?.isDirectory()) throw new ApiError('invalid-request', `The root file system ${rootfsDir} is not a folder.`);
  const outDirInfo = await stat(dirname(outPath)).catch(() => null);
  if (!outDirInfo?.isDirectory()) throw new ApiError('invalid-request', `The folder for ${outPath} does not exist.`);
  const mksquashfs = await findSquashfsTool('mksquashfs');

  const notes: string[] = [];
  try {
    return await writeInFolder(options, rootfsDir, outPath, mksquashfs, notes);
  } catch (error) {
    throw outOfSpaceOrAsIs(error, outPath);
  }
}

/**
 * A full disk (or quota) while the SIF file is written, whether Node saw it (ENOSPC, EDQUOT) or
 * mksquashfs did ("Write failed because No space left on device"): one sentence naming the file
 * and its folder. Anything else is returned as it was.
 */
function outOfSpaceOrAsIs(error: unknown, outPath: string): unknown {
  const words = error instanceof ApiError ? error.message : null;
  if (!isOutOfSpace(error) && !(words !== null && saysOutOfSpace(words))) return error;
  const why = words ?? (errorCode(error) === 'EDQUOT' ? 'the disk quota is used up' : 'no space left on device');
  return new ApiError('internal', `The SIF file's folder ${dirname(outPath)} ran out of space while ${basename(outPath)} was written (${why}). Free some space there and try again.`);
}

async function writeInFolder(options: WriteSifOptions, rootfsDir: string, outPath: string, mksquashfs: string, notes: string[]): Promise<{ sifId: string; notes: string[] }> {
  const { config, signal } = options;
  const work = await mkdtemp(join(dirname(outPath), `.${basename(outPath)}.crossdock-`));
  try {
    const meta = join(work, 'meta');
    const temp = join(work, 'image.sif');
    const replaced = await replacedRootEntries(rootfsDir, notes);
    const files = metadataFiles(config, notes);
    await writeMetadataTree(meta, files.tree, replaced.links);

    const objects = planObjects([
      { dataType: DATA_DEFFILE, name: '', data: files.deffile, size: files.deffile.length },
      { dataType: DATA_LABELS, name: '', data: files.labels, size: files.labels.length },
      // Apptainer adds its JSON objects in name order.
      { dataType: DATA_GENERIC_JSON, name: INSPECT_METADATA_NAME, data: files.inspect, size: files.inspect.length },
      { dataType: DATA_GENERIC_JSON, name: OCI_CONFIG_NAME, data: files.oci, size: files.oci.length },
      {
        dataType: DATA_PARTITION,
        name: '',
        data: null,
        size: 0,
        partition: { fsType: FS_SQUASHFS, partType: PART_PRIMARY_SYSTEM, arch: config.architecture },
      },
    ]);
    const partition = objects.at(-1)!;

    const total = await treeBytes(rootfsDir, signal);
    options.onProgress?.(0, total);
    const offset = String(partition.offset);
    const asUser = process.getuid?.() !== 0;
    await runSquashfsTool({
      file: mksquashfs,
      args: [
        rootfsDir,
        temp,
        '-noappend',
        '-comp',
        'gzip',
        '-offset',
        offset,
        '-exit-on-error',
        '-no-recovery',
        ...(asUser ? ['-all-root'] : []),
        // -e takes every argument after it: it must come last.
        ...(replaced.excluded.length > 0 ? ['-e', ...replaced.excluded] : []),
      ],
      signal,
      onBar: (done, of) => options.onProgress?.(of > 0 ? Math.min(total, Math.round((total * done) / of)) : 0, total),
    });
    await runSquashfsTool({
      file: mksquashfs,
      args: [meta, temp, '-offset', offset, '-all-root', '-exit-on-error', '-no-recovery', '-quiet', '-no-progress'],
      signal,
    });

    partition.size = (await stat(temp)).size - partition.offset;
    partition.sizeWithPadding += partition.size;
    const sifId = randomUUID();
    await writeFrame(temp, objects, sifId, config.architecture);
    await chmod(temp, 0o755 & ~process.umask());
    signal.throwIfAborted();
    await rename(temp, outPath);
    options.onProgress?.(total, total);
    return { sifId, notes };
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The header, the descriptor table and the small objects, written into the room mksquashfs left. */
async function writeFrame(path: string, objects: PlannedObject[], sifId: string, arch: string): Promise<void> {
  const time = Math.floor(Date.now() / 1000);
  const handle = await open(path, 'r+');
  try {
    const uuid = Buffer.from(sifId.replaceAll('-', ''), 'hex');
    await handle.write(encodeHeader({ uuid, time, arch, objects }), 0, undefined, 0);
    const table = encodeDescriptors(objects, time);
    await handle.write(table, 0, table.length, 4096);
    for (const object of objects) if (object.data) await handle.write(object.data, 0, object.data.length, object.offset);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface MetadataFiles {
  /** Paths under the image's root → content and mode. */
  tree: Record<string, { content: string; mode: number }>;
  deffile: Buffer;
  labels: Buffer;
  inspect: Buffer;
  oci: Buffer;
}

function metadataFiles(config: ImageConfig, notes: string[]): MetadataFiles {
  const env = envScript(config.env);
  if (env.skipped.length > 0) {
    notes.push(`Environment entries Apptainer cannot export were left out: ${env.skipped.map((name) => JSON.stringify(name)).join(', ')}.`);
  }
  const labels = sifLabels(config);
  const labelsText = JSON.stringify(labels, null, '\t');
  const script = runscript(config.entrypoint ?? [], config.cmd ?? []);
  const deffile = definitionFile();
  const base = baseFiles(config.workingDir);
  if (config.user) notes.push(`Apptainer ignores the image's user (${config.user}) and runs it as the calling user; the user is kept in the SIF's ${OCI_CONFIG_NAME} only.`);
  if (config.workingDir) notes.push(`The working directory ${config.workingDir} is applied by the image's run action only; Apptainer itself starts in the caller's folder.`);
  const tree: MetadataFiles['tree'] = {};
  for (const [path, content] of Object.entries(base)) tree[path] = { content, mode: 0o755 };
  tree[ENV_SCRIPT] = { content: env.text, mode: 0o755 };
  tree[`${METADATA_DIR}/runscript`] = { content: script, mode: 0o755 };
  tree[`${METADATA_DIR}/labels.json`] = { content: labelsText, mode: 0o644 };
  tree[`${METADATA_DIR}/Singularity`] = { content: deffile, mode: 0o644 };
  const inspect = inspectMetadata({
    labels,
    runscript: script,
    envScript: env.text,
    environment: base[`${METADATA_DIR}/env/90-environment.sh`]!,
    deffile,
  });
  return {
    tree,
    deffile: Buffer.from(deffile),
    labels: Buffer.from(labelsText),
    inspect: Buffer.from(JSON.stringify(inspect)),
    oci: Buffer.from(JSON.stringify(ociConfig(config))),
  };
}

/**
 * What of the source root the metadata replaces: its own /.singularity.d, and Apptainer's root
 * links where the source has them as links. A root entry of one of those names that is not a link
 * is the image's own file: kept, and Crossdock's link left out.
 */
async function replacedRootEntries(rootfsDir: string, notes: string[]): Promise<{ excluded: string[]; links: Record<string, string> }> {
  const excluded: string[] = [];
  const links: Record<string, string> = {};
  const existing = await lstat(join(rootfsDir, METADATA_DIR)).catch(() => null);
  if (existing) {
    excluded.push(METADATA_DIR);
    notes.push(`The image's own /${METADATA_DIR} was replaced by one made from its configuration.`);
  }
  for (const [name, target] of Object.entries(ROOT_LINKS)) {
    const info = await lstat(join(rootfsDir, name)).catch(() => null);
    if (info && !info.isSymbolicLink()) continue;
    if (info) excluded.push(name);
    links[name] = target;
  }
  return { excluded, links };
}

async function writeMetadataTree(meta: string, tree: MetadataFiles['tree'], links: Record<string, string>): Promise<void> {
  for (const folder of ['actions', 'env', 'libs']) await mkdir(join(meta, METADATA_DIR, folder), { recursive: true, mode: 0o755 });
  await chmod(join(meta, METADATA_DIR), 0o755);
  for (const folder of ['actions', 'env', 'libs']) await chmod(join(meta, METADATA_DIR, folder), 0o755);
  // mkdtemp made `work` 0700; the metadata root's mode does not reach the image (the source's root does).
  for (const [path, file] of Object.entries(tree)) {
    await writeFile(join(meta, path), file.content, { mode: file.mode });
    await chmod(join(meta, path), file.mode);
  }
  for (const [name, target] of Object.entries(links)) await symlink(target, join(meta, name));
}
