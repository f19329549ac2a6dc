// What can be told of a directory image: its summary, the architecture of its programs (from an
// ELF header), and, for images ch-image built or imported, the metadata it keeps in ch/:
// metadata.json ("arch", "env", "cwd", "labels", "history", "shell") and ch/environment.
import { join } from 'node:path';
import type { ImageDetail, ImageSummary } from '../../../shared/model';
import { imageArchitecture } from './elf';
import type { FsOps } from './fs-ops';

export interface ChMetadata {
  arch: string | null;
  env: string[] | null;
  cwd: string | null;
  labels: Record<string, string>;
  history: ImageDetail['history'];
  shell: string[] | null;
}

/** Parses ch/metadata.json; anything missing or of the wrong type is left out, never guessed. */
export function parseMetadata(text: string): ChMetadata {
  const empty: ChMetadata = { arch: null, env: null, cwd: null, labels: {}, history: [], shell: null };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return empty;
  }
  if (typeof raw !== 'object' || raw === null) return empty;
  const record = raw as Record<string, unknown>;
  const arch = typeof record.arch === 'string' && record.arch !== '' && record.arch !== 'unknown' && record.arch !== 'yolo' ? record.arch : null;
  const env =
    typeof record.env === 'object' && record.env !== null && !Array.isArray(record.env)
      ? Object.entries(record.env as Record<string, unknown>).map(([key, value]) => `${key}=${String(value)}`)
      : null;
  const labels: Record<string, string> = {};
  if (typeof record.labels === 'object' && record.labels !== null && !Array.isArray(record.labels)) {
    for (const [key, value] of Object.entries(record.labels as Record<string, unknown>)) labels[key] = String(value);
  }
  const history = Array.isArray(record.history)
    ? record.history
        .filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null)
        .map((entry) => ({
          createdAt: isoOrNull(entry.created),
          createdBy: typeof entry.created_by === 'string' ? entry.created_by.slice(0, 65536) : '',
          sizeBytes: 0,
          comment: typeof entry.comment === 'string' ? entry.comment.slice(0, 4096) : '',
          emptyLayer: entry.empty_layer === true,
        }))
    : [];
  const shell = Array.isArray(record.shell) && record.shell.every((part) => typeof part === 'string') ? (record.shell as string[]) : null;
  return { arch, env, cwd: typeof record.cwd === 'string' && record.cwd !== '' ? record.cwd : null, labels, history, shell };
}

/** ch/environment: one KEY=VALUE a line. */
export function parseEnvironmentFile(text: string): string[] {
  return text.split('\n').filter((line) => /^[^=\s][^=]*=/.test(line));
}

function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

export async function describeImage(summary: ImageSummary, location: string, fs: FsOps): Promise<ImageDetail> {
  const metadata = await readText(fs, join(location, 'ch', 'metadata.json')).then((text) => (text === null ? null : parseMetadata(text)));
  const environment = await readText(fs, join(location, 'ch', 'environment'));
  const env = metadata?.env ?? (environment === null ? [] : parseEnvironmentFile(environment));
  const architecture = (await imageArchitecture(location)) ?? metadata?.arch ?? null;
  const labels = { ...summary.labels, ...(metadata?.labels ?? {}) };
  return {
    summary: { ...summary, labels },
    architecture,
    os: architecture ? 'linux' : null,
    variant: null,
    author: null,
    entrypoint: null,
    cmd: null,
    env,
    workingDir: metadata?.cwd ?? null,
    user: null,
    exposedPorts: [],
    labels,
    layers: [],
    history: metadata?.history ?? [],
  };
}

async function readText(fs: FsOps, path: string): Promise<string | null> {
  try {
    return (await fs.readFile(path)).toString('utf8');
  } catch {
    return null;
  }
}
