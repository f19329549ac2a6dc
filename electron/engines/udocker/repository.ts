// Reads udocker's repository straight from its folders (udocker prints tables and Python lists,
// never JSON). Under $UDOCKER_DIR:
//   repos/<name...>/<tag>/  TAG (the path of the tag), v1 or v2 (the format), and for v1 `ancestry`
//                           (JSON list of layer ids, top first) with <id>.json / <id>.layer; for v2
//                           `manifest` with sha256:<hex> files; the files are links into layers/.
//   containers/<uuid>/      imagerepo.name ("repo:tag"), container.json; names are links to uuids.
// A half-written tag (an interrupted pull: no ancestry or manifest, a missing layer) is listed with
// an `org.crossdock.incomplete` label saying what is missing; it never fails the whole list.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';

export const INCOMPLETE_LABEL = 'org.crossdock.incomplete';

export interface UdockerImage {
  repository: string;
  tag: string;
  reference: string;
  /** The tag folder. */
  folder: string;
  /** 64 hex: the top layer's id (v1), the config's digest (v2), else sha256 of "repo:tag". */
  id: string;
  format: 'v1' | 'v2' | 'unknown';
  sizeBytes: number;
  createdAt: string | null;
  /** The image config's JSON file, when there is one. */
  configFile: string | null;
  /** Layer ids or digests, bottom first. */
  layers: string[];
  /** What is missing, or null for a complete image. */
  incomplete: string | null;
}

const TAG_MARKERS = ['TAG', 'v1', 'v2', 'ancestry', 'manifest'];
const MAX_DEPTH = 8;

/** Every tag under repos/, in name order. Folders that cannot be read are logged and skipped. */
export async function readRepository(dir: string, log: (message: string) => void): Promise<UdockerImage[]> {
  const repos = join(dir, 'repos');
  const images: UdockerImage[] = [];
  await walk(repos, 0);
  return images.sort((a, b) => a.reference.localeCompare(b.reference));

  async function walk(folder: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || folder !== repos) log(`udocker: cannot read ${folder}: ${String(error)}`);
      return;
    }
    // Markers are files: a repository may well be called ".../manifest".
    const names = new Set(entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name));
    if (folder !== repos && TAG_MARKERS.some((marker) => names.has(marker))) {
      try {
        images.push(await readTag(repos, folder, names));
      } catch (error) {
        log(`udocker: skipping ${folder}: ${String(error)}`);
      }
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const entry of entries) if (entry.isDirectory()) await walk(join(folder, entry.name), depth + 1);
  }
}

async function readTag(repos: string, folder: string, names: Set<string>): Promise<UdockerImage> {
  const parts = relative(repos, folder).split(sep);
  const tag = parts.pop() ?? '';
  const repository = parts.join('/');
  const reference = `${repository}:${tag}`;
  const createdAt = (await stat(folder)).mtime.toISOString();
  const missing: string[] = [];
  let format: UdockerImage['format'] = names.has('v2') || names.has('manifest') ? 'v2' : names.has('v1') || names.has('ancestry') ? 'v1' : 'unknown';
  let layers: string[] = [];
  let layerFiles: string[] = [];
  let configFile: string | null = null;
  let id: string | null = null;

  if (format === 'v1') {
    const ancestry = await readJson(join(folder, 'ancestry'));
    if (!Array.isArray(ancestry) || ancestry.length === 0 || !ancestry.every((entry) => typeof entry === 'string')) {
      missing.push('ancestry missing or empty');
    } else {
      const ids = ancestry as string[];
      id = /^[a-f0-9]{64}$/.test(ids[0]!) ? ids[0]! : null;
      layers = [...ids].reverse();
      layerFiles = layers.map((layer) => `${layer}.layer`);
      configFile = join(folder, `${ids[0]}.json`);
      if (!(await isFile(configFile))) {
        missing.push(`${ids[0]}.json missing`);
        configFile = null;
      }
    }
  } else if (format === 'v2') {
    const manifest = await readJson(join(folder, 'manifest'));
    const parsed = manifestLayers(manifest);
    if (!parsed) {
      missing.push('manifest missing or empty');
    } else {
      layers = parsed.layers;
      layerFiles = parsed.layers;
      if (parsed.config) {
        id = parsed.config.replace(/^sha256:/, '');
        configFile = join(folder, parsed.config);
        if (!(await isFile(configFile))) {
          missing.push(`config ${parsed.config} missing`);
          configFile = null;
        }
      }
    }
  } else {
    missing.push('no ancestry or manifest (an interrupted pull?)');
    format = 'unknown';
  }

  let sizeBytes = 0;
  for (const file of layerFiles) {
    try {
      const info = await stat(join(folder, file));
      if (!info.isFile()) throw new Error('not a file');
      sizeBytes += info.size;
    } catch {
      missing.push(`layer ${file.replace(/\.layer$/, '')} missing`);
    }
  }
  if (layerFiles.length === 0 && missing.length === 0) missing.push('no layers');

  return {
    repository,
    tag,
    reference,
    folder,
    id: id && /^[a-f0-9]{64}$/.test(id) ? id : createHash('sha256').update(reference).digest('hex'),
    format,
    sizeBytes,
    createdAt,
    configFile,
    layers,
    incomplete: missing.length > 0 ? missing.join('; ') : null,
  };
}

/** Layers of a v2 manifest (schema 2: layers[].digest; schema 1: fsLayers[].blobSum, top first). */
export function manifestLayers(manifest: unknown): { layers: string[]; config: string | null } | null {
  if (typeof manifest !== 'object' || manifest === null) return null;
  const record = manifest as Record<string, unknown>;
  const digests = (list: unknown, key: string): string[] =>
    Array.isArray(list) ? list.map((item) => (item as Record<string, unknown>)?.[key]).filter((value): value is string => typeof value === 'string') : [];
  if (Array.isArray(record.layers)) {
    const config = (record.config as Record<string, unknown> | undefined)?.digest;
    const layers = digests(record.layers, 'digest');
    return layers.length > 0 ? { layers, config: typeof config === 'string' ? config : null } : null;
  }
  if (Array.isArray(record.fsLayers)) {
    const layers = digests(record.fsLayers, 'blobSum').reverse();
    return layers.length > 0 ? { layers: [...new Set(layers)], config: null } : null;
  }
  return null;
}

/** Containers per image reference, from containers/<uuid>/imagerepo.name (name links are skipped). */
export async function countContainers(dir: string, log: (message: string) => void): Promise<Map<string, string[]>> {
  const folder = join(dir, 'containers');
  const byImage = new Map<string, string[]>();
  let entries;
  try {
    entries = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`udocker: cannot read ${folder}: ${String(error)}`);
    return byImage;
  }
  for (const entry of entries) {
    const path = join(folder, entry);
    try {
      if (!(await lstat(path)).isDirectory()) continue;
      const image = (await readFile(join(path, 'imagerepo.name'), 'utf8')).trim();
      if (!image) continue;
      byImage.set(image, [...(byImage.get(image) ?? []), entry]);
    } catch {
      // A container being created or removed: not counted.
    }
  }
  return byImage;
}

/** Container names: udocker keeps each name as a link in containers/ pointing at the container's id. */
export async function containerNames(dir: string): Promise<Map<string, string>> {
  const folder = join(dir, 'containers');
  const names = new Map<string, string>();
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return names;
  }
  for (const entry of entries) {
    try {
      if ((await lstat(join(folder, entry))).isSymbolicLink()) names.set(basename(await readlink(join(folder, entry))), entry);
    } catch {
      // A name being created or removed.
    }
  }
  return names;
}

async function readJson(path: string): Promise<unknown> {
  try {
    const text = await readFile(path, 'utf8');
    return text.trim() ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
