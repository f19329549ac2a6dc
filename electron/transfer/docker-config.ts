// Docker's image config JSON (the file a `docker save` archive names in its manifest, or udocker's
// v1 <id>.json) to and from the ImageConfig every route carries.
import { createHash } from 'node:crypto';
import type { ImageConfig } from './image-config';
import { EMPTY_IMAGE_CONFIG } from './image-config';

type Json = Record<string, unknown>;

export function imageConfigFromDocker(raw: unknown): ImageConfig {
  const root = isObject(raw) ? raw : {};
  const run = isObject(root.config) ? root.config : isObject(root.container_config) ? root.container_config : {};
  return {
    architecture: typeof root.architecture === 'string' && root.architecture ? root.architecture : EMPTY_IMAGE_CONFIG.architecture,
    os: typeof root.os === 'string' && root.os ? root.os : 'linux',
    env: strings(run.Env) ?? [],
    entrypoint: strings(run.Entrypoint),
    cmd: strings(run.Cmd),
    workingDir: typeof run.WorkingDir === 'string' && run.WorkingDir ? run.WorkingDir : null,
    user: typeof run.User === 'string' && run.User ? run.User : null,
    labels: isObject(run.Labels) ? Object.fromEntries(Object.entries(run.Labels).map(([key, value]) => [key, String(value)])) : {},
  };
}

/** The layer digests (diff_ids, "sha256:...") a Docker config lists, bottom first. */
export function diffIdsOf(raw: unknown): string[] {
  const rootfs = isObject(raw) && isObject(raw.rootfs) ? raw.rootfs : {};
  return (strings(rootfs.diff_ids) ?? []).filter((id) => /^sha256:[a-f0-9]{64}$/.test(id));
}

/** A config for a one-layer image made from a root file system; its digest is the image id. */
export function dockerConfigFor(config: ImageConfig, diffId: string, comment: string): { json: string; digest: string } {
  const created = new Date().toISOString();
  const document = {
    architecture: config.architecture,
    os: config.os,
    created,
    config: {
      Env: config.env,
      Entrypoint: config.entrypoint,
      Cmd: config.cmd,
      WorkingDir: config.workingDir ?? '',
      User: config.user ?? '',
      Labels: config.labels,
    },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, created_by: comment }],
  };
  const json = JSON.stringify(document);
  return { json, digest: `sha256:${createHash('sha256').update(json).digest('hex')}` };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : null;
}
