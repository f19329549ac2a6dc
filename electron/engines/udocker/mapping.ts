// udocker's images in Crossdock's shapes: a repository tag folder becomes an ImageSummary, and the
// image config `udocker inspect` prints (Docker's v1 image JSON: config.Env, Cmd, Entrypoint, ...)
// becomes an ImageDetail.
import type { ImageDetail, ImageSummary } from '../../../shared/model';
import { PROBE_LABEL } from '../../../shared/probe';
import { PROBE_IMAGE_REFERENCE } from '../docker-api/probe-image';
import { INCOMPLETE_LABEL, type UdockerImage } from './repository';

export function toSummary(engineId: string, image: UdockerImage, containers: number, configLabels: Record<string, string>): ImageSummary {
  const labels: Record<string, string> = { ...configLabels };
  // udocker's import cannot label an image: Crossdock's test image is known by its name.
  if (image.reference === PROBE_IMAGE_REFERENCE) labels[PROBE_LABEL] = '1';
  if (image.incomplete) labels[INCOMPLETE_LABEL] = image.incomplete;
  return {
    engineId,
    id: `sha256:${image.id}`,
    repository: image.repository,
    tag: image.tag,
    repoTags: [image.reference],
    repoDigests: [],
    sizeBytes: image.sizeBytes,
    createdAt: image.createdAt,
    dangling: false,
    containers,
    labels,
    location: image.folder,
    format: 'docker',
  };
}

type Json = Record<string, unknown>;

/** Parses udocker's inspect output; null when it is not a JSON object. */
export function parseInspect(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}

export function configLabels(config: Json | null): Record<string, string> {
  const labels = (section(config, 'config')?.Labels ?? null) as unknown;
  return stringRecord(labels);
}

export function toDetail(summary: ImageSummary, config: Json | null, layers: string[]): ImageDetail {
  const run = section(config, 'config') ?? section(config, 'container_config');
  const history = Array.isArray(config?.history) ? (config.history as Json[]) : [];
  return {
    summary,
    architecture: stringOrNull(config?.architecture),
    os: stringOrNull(config?.os),
    variant: stringOrNull(config?.variant),
    author: stringOrNull(config?.author),
    entrypoint: stringList(run?.Entrypoint),
    cmd: stringList(run?.Cmd),
    env: stringList(run?.Env) ?? [],
    workingDir: stringOrNull(run?.WorkingDir) || null,
    user: stringOrNull(run?.User) || null,
    exposedPorts: Object.keys(stringRecordKeys(run?.ExposedPorts)),
    labels: summary.labels,
    layers: diffIds(config) ?? layers.map((layer) => (layer.includes(':') ? layer : `sha256:${layer}`)),
    history: history.map((entry) => ({
      createdAt: isoOrNull(entry.created),
      createdBy: typeof entry.created_by === 'string' ? entry.created_by : '',
      sizeBytes: 0,
      comment: typeof entry.comment === 'string' ? entry.comment : '',
      emptyLayer: entry.empty_layer === true,
    })),
  };
}

function section(config: Json | null, key: string): Json | null {
  const value = config?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function diffIds(config: Json | null): string[] | null {
  const ids = section(config, 'rootfs')?.diff_ids;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') && ids.length > 0 ? (ids as string[]) : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function stringList(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : null;
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function stringRecordKeys(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
