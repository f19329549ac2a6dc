// Apptainer's images are files and folders, not entries in a store: SIF files (named *.sif, or
// any file that starts with the SIF magic, as the cache's files do) and sandbox folders (a folder
// holding `.singularity.d/`). They are found in the user's image folders and in the Apptainer or
// Singularity cache, and read natively, so listing needs no Apptainer at all.
//
// A file that claims to be a SIF (a .sif name, or the magic) but cannot be read is still listed,
// with the label `org.crossdock.unreadable` giving the reason, so one broken file neither hides
// the others nor vanishes silently. Files with neither a .sif name nor the magic are not images
// and are passed over. Folders that cannot be read are logged and passed over.
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ImageDetail, ImageSummary } from '../../../shared/model';
import { errorCode } from '../../storage/error-code';
import { fileImageSummary } from '../file-image';
import { hasSifMagic, readSif, type SifImage } from './sif/reader';

export const UNREADABLE_LABEL = 'org.crossdock.unreadable';
export const DEFFILE_LABEL = 'org.crossdock.deffile';
export const CACHE_LABEL = 'org.crossdock.cache';
/** Entries looked at in one folder; a folder with more is read up to this many. */
const MAX_ENTRIES_PER_FOLDER = 5000;
/** Files and folders counted when sizing a sandbox. */
const MAX_SANDBOX_ENTRIES = 50_000;
const MAX_SANDBOX_LABELS_BYTES = 1024 * 1024;
/** The cache's subfolders that hold SIF files (the "blob" one holds OCI layers). */
export const SIF_CACHE_TYPES = ['library', 'oci-tmp', 'oci-sif', 'oras', 'net', 'shub'];

export interface FoundImage {
  path: string;
  kind: 'sif' | 'sandbox';
  /** The cache type when found in the cache. */
  cacheType: string | null;
}


/** SIF files and sandboxes directly inside `folder` (and `folder` itself if it is a sandbox). */
export async function scanFolder(folder: string, log: (message: string) => void, cacheType: string | null = null): Promise<FoundImage[]> {
  const found: FoundImage[] = [];
  if (await isSandbox(folder)) return [{ path: folder, kind: 'sandbox', cacheType }];
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT') log(`apptainer: cannot read the image folder ${folder} (${code ?? String(error)}); passed over`);
    return found;
  }
  for (const name of names.sort().slice(0, MAX_ENTRIES_PER_FOLDER)) {
    const path = join(folder, name);
    let info;
    try {
      info = await stat(path);
    } catch {
      continue; // a dangling link or a file that went away
    }
    if (info.isDirectory()) {
      if (await isSandbox(path)) found.push({ path, kind: 'sandbox', cacheType });
    } else if (info.isFile()) {
      if (name.toLowerCase().endsWith('.sif') || (await hasSifMagic(path))) found.push({ path, kind: 'sif', cacheType });
    }
  }
  return found;
}

async function isSandbox(folder: string): Promise<boolean> {
  try {
    return (await stat(join(folder, '.singularity.d'))).isDirectory();
  } catch {
    return false;
  }
}

/** Drops images already found under another path (a link, a folder given twice). */
export async function uniqueImages(images: FoundImage[]): Promise<FoundImage[]> {
  const seen = new Set<string>();
  const unique: FoundImage[] = [];
  for (const image of images) {
    const key = await realpath(image.path).catch(() => resolve(image.path));
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(image);
  }
  return unique;
}

export interface DescribedImage {
  summary: ImageSummary;
  detail: () => Promise<ImageDetail>;
}

export async function describeImage(engineId: string, image: FoundImage): Promise<DescribedImage> {
  return image.kind === 'sif' ? describeSif(engineId, image) : describeSandbox(engineId, image);
}

async function describeSif(engineId: string, image: FoundImage): Promise<DescribedImage> {
  const path = resolve(image.path);
  const result = await readSif(path, { contents: 'labels' });
  const size = await stat(path).then((info) => info.size).catch(() => 0);
  const base = fileImageSummary({ engineId, path, format: 'sif', sizeBytes: size, createdAt: null, labels: {} });
  if (image.cacheType) base.labels[CACHE_LABEL] = image.cacheType;
  if (!result.ok) {
    const summary = { ...base, labels: { ...base.labels, [UNREADABLE_LABEL]: result.reason } };
    return { summary, detail: async () => emptyDetail(summary) };
  }
  const summary: ImageSummary = {
    ...base,
    createdAt: result.sif.createdAt?.toISOString() ?? null,
    labels: { ...(result.sif.labels ?? {}), ...base.labels },
  };
  if (result.sif.labelsProblem) summary.labels[UNREADABLE_LABEL] = result.sif.labelsProblem;
  return {
    summary,
    detail: async () => {
      const full = await readSif(path);
      if (!full.ok) return emptyDetail({ ...summary, labels: { ...summary.labels, [UNREADABLE_LABEL]: full.reason } });
      return sifDetail(summary, full.sif);
    },
  };
}

export function sifDetail(summary: ImageSummary, sif: SifImage): ImageDetail {
  const labels: Record<string, string> = { ...summary.labels, 'org.crossdock.sif.uuid': sif.uuid, 'org.crossdock.sif.signed': String(sif.signed) };
  if (sif.definition !== null) labels[DEFFILE_LABEL] = sif.definition + (sif.definitionTruncated ? '\n[… cut at 64 KiB]' : '');
  const primary = sif.partitions.find((partition) => partition.partType === 'primary') ?? sif.partitions[0];
  return {
    summary,
    architecture: primary?.arch ?? (sif.arch === 'unknown' ? null : sif.arch),
    os: 'linux',
    variant: null,
    author: sif.labels?.['MAINTAINER'] ?? sif.labels?.['org.opencontainers.image.authors'] ?? null,
    entrypoint: null,
    cmd: null,
    env: environmentLines(sif.environment),
    workingDir: null,
    user: null,
    exposedPorts: [],
    labels,
    layers: sif.partitions.map(
      (partition) =>
        `${partition.fsType} ${partition.partType === 'primary' ? 'primary system' : partition.partType} partition, ${formatBytes(partition.size)} (${partition.arch})`,
    ),
    history: [],
  };
}

/** KEY=VALUE lines of the EnvVar object (also `export KEY=VALUE`); anything else is left out. */
function environmentLines(text: string | null): string[] {
  if (!text) return [];
  return text
    .split('\n')
    .map((line) => line.trim().replace(/^export\s+/, ''))
    .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line));
}

async function describeSandbox(engineId: string, image: FoundImage): Promise<DescribedImage> {
  const path = resolve(image.path);
  const labels: Record<string, string> = {};
  const labelsFile = join(path, '.singularity.d', 'labels.json');
  try {
    const info = await stat(labelsFile);
    if (info.size <= MAX_SANDBOX_LABELS_BYTES) {
      const parsed: unknown = JSON.parse(await readFile(labelsFile, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        for (const [key, value] of Object.entries(parsed)) labels[key] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    }
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') labels[UNREADABLE_LABEL] = `.singularity.d/labels.json: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (image.cacheType) labels[CACHE_LABEL] = image.cacheType;
  const summary = fileImageSummary({ engineId, path, format: 'sandbox', sizeBytes: await folderSize(path), createdAt: null, labels });
  return {
    summary,
    detail: async () => ({ ...emptyDetail(summary), os: 'linux', layers: [`sandbox folder, ${formatBytes(summary.sizeBytes)}`] }),
  };
}

function emptyDetail(summary: ImageSummary): ImageDetail {
  return {
    summary,
    architecture: null,
    os: null,
    variant: null,
    author: null,
    entrypoint: null,
    cmd: null,
    env: [],
    workingDir: null,
    user: null,
    exposedPorts: [],
    labels: summary.labels,
    layers: [],
    history: [],
  };
}

/** The bytes of the regular files under `root`, counting at most MAX_SANDBOX_ENTRIES entries. */
async function folderSize(root: string): Promise<number> {
  let total = 0;
  let seen = 0;
  const pending = [root];
  while (pending.length > 0 && seen < MAX_SANDBOX_ENTRIES) {
    const folder = pending.pop()!;
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      if (++seen > MAX_SANDBOX_ENTRIES) break;
      const path = join(folder, name);
      const info = await lstat(path).catch(() => null);
      if (!info) continue;
      if (info.isDirectory()) pending.push(path);
      else if (info.isFile()) total += info.size;
    }
  }
  return total;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
