// Finds Charliecloud's images without running anything: the folders of ch-image's storage (named
// after their references) and the directory images in the folders the user added. A folder that
// cannot be read, or vanishes while it is walked, is skipped and reported through `log`; it never
// fails the whole list.
import { join, resolve } from 'node:path';
import type { ImageSummary } from '../../../shared/model';
import { fileImageSummary } from '../file-image';
import { describeError, errorCode, type FsOps } from './fs-ops';
import { decodeStorageName, splitReference } from './names';
import { checkRootFs } from './rootfs';
import { directorySize } from './size';

export type ImageOrigin = 'storage' | 'folder';

export interface FoundImage {
  /** Absolute path of the image's root folder. */
  location: string;
  origin: ImageOrigin;
  /** The decoded reference for images of the storage; null for folder images. */
  reference: string | null;
}

export interface ListedImage extends FoundImage {
  summary: ImageSummary;
}


/** The storage's images: every folder under img/. A missing storage is no images, silently. */
export async function storageImages(imagesDir: string, fs: FsOps, log: (message: string) => void): Promise<FoundImage[]> {
  let entries;
  try {
    entries = await fs.readdir(imagesDir);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') log(`charliecloud: skipped the storage folder ${imagesDir}: ${describeError(error)}`);
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ location: join(imagesDir, entry.name), origin: 'storage' as const, reference: decodeStorageName(entry.name) }));
}

/** Directory images in one user folder: the folder itself when it is a root file system, else its direct subfolders that are. */
export async function folderImages(folder: string, fs: FsOps, log: (message: string) => void): Promise<FoundImage[]> {
  const root = resolve(folder);
  if ((await checkRootFs(root, fs)).rootFs) return [{ location: root, origin: 'folder', reference: null }];
  let entries;
  try {
    entries = await fs.readdir(root);
  } catch (error) {
    log(`charliecloud: skipped the image folder ${root}: ${describeError(error)}`);
    return [];
  }
  const found: FoundImage[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const location = join(root, entry.name);
    const check = await checkRootFs(location, fs);
    if (check.rootFs) found.push({ location, origin: 'folder', reference: null });
    else if (check.problem) log(`charliecloud: skipped ${location}: ${check.problem}`);
  }
  return found;
}

/**
 * A summary row for a found image, or null (logged) when its folder cannot be read any more.
 * Size is what a bounded walk counted; creation time is the folder's modification time.
 */
export async function summarize(engineId: string, image: FoundImage, fs: FsOps, log: (message: string) => void, signal?: AbortSignal): Promise<ImageSummary | null> {
  let stats;
  try {
    stats = await fs.stat(image.location);
    if (!stats.isDirectory()) return null;
  } catch (error) {
    log(`charliecloud: skipped the image ${image.location}: ${describeError(error)}`);
    return null;
  }
  let sizeBytes = 0;
  try {
    const size = await directorySize(image.location, fs, signal ? { signal } : {});
    sizeBytes = size.bytes;
    if (size.skipped.length > 0) {
      log(`charliecloud: ${image.location}: ${size.skipped.length} folder(s) could not be read and were not counted (${size.skipped.slice(0, 3).join('; ')})`);
    }
    if (size.truncated) log(`charliecloud: ${image.location}: too many files, its size is a lower bound`);
  } catch (error) {
    if (signal?.aborted) throw error;
    log(`charliecloud: skipped the image ${image.location}: ${describeError(error)}`);
    return null;
  }
  const name = image.reference ? splitReference(image.reference) : null;
  // A folder image in the user's folders is known by its folder's name, as a SIF file by its file name.
  return fileImageSummary({
    engineId,
    path: image.location,
    format: 'directory',
    sizeBytes,
    createdAt: Number.isFinite(stats.mtimeMs) ? new Date(stats.mtimeMs).toISOString() : null,
    labels: {},
    reference: name && image.reference ? { repository: name.repository, tag: name.tag, full: image.reference } : null,
  });
}

/** Every image, storage first; one row per location even where a folder is also the storage. */
export async function listImages(
  engineId: string,
  sources: { imagesDir: string; folders: string[] },
  fs: FsOps,
  log: (message: string) => void,
  signal?: AbortSignal,
): Promise<ListedImage[]> {
  const found = await storageImages(sources.imagesDir, fs, log);
  for (const folder of sources.folders) {
    signal?.throwIfAborted();
    found.push(...(await folderImages(folder, fs, log)));
  }
  const seen = new Set<string>();
  const listed: ListedImage[] = [];
  for (const image of found) {
    signal?.throwIfAborted();
    if (seen.has(image.location)) continue;
    seen.add(image.location);
    const summary = await summarize(engineId, image, fs, log, signal);
    if (summary) listed.push({ ...image, summary });
  }
  return listed;
}
