// A → B: a Docker archive stream (`docker save`, `podman save`) becomes a root folder and an
// ImageConfig. Layers are applied in the manifest's order. `docker save` writes the manifest last,
// so a layer can only be applied as it streams by when it is known to be the next one: the only
// layer of a one-layer image, or the layer whose v1 "json" (read just before it) names the layer
// applied last as its parent. Any other layer is spooled to a file in `spoolDir` and applied, then
// deleted, once the manifest says where it goes. Every layer's sha256 is checked against the
// config's diff_ids: what was applied is what the source engine holds.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { asTarSource } from './tar-types';
import { ApiError } from '../../shared/errors';
import { LayerApplier, safeRelativeName } from './apply-layer';
import { withPath } from './target-errors';
import { diffIdsOf, imageConfigFromDocker } from './docker-config';
import type { ImageConfig } from './image-config';

export interface ArchiveToRootfsOptions {
  archive: Readable;
  rootDir: string;
  spoolDir: string;
  signal: AbortSignal;
  /** The source's layer count when known: 1 lets the only layer stream straight in. */
  expectedLayers?: number | null;
  onBytes?: (count: number) => void;
  onLayer?: () => void;
}

export interface ArchiveToRootfsResult {
  config: ImageConfig;
  diffIds: string[];
  notes: string[];
}

const MAX_SMALL_FILE = 16 * 1024 * 1024;

export async function archiveToRootfs(options: ArchiveToRootfsOptions): Promise<ArchiveToRootfsResult> {
  const { signal } = options;
  const applier = new LayerApplier(options.rootDir);
  const extract = tar.extract();
  const feeding = pipeline(options.archive, extract, { signal });
  // A cancel rejects this at once, while the layer being applied still winds down: marked handled
  // now (it is still awaited below) so the rejection is never reported as unhandled.
  feeding.catch(() => undefined);
  const small = new Map<string, Buffer>();
  const spooled = new Map<string, { path: string; sha256: string }>();
  /** Layer names applied while streaming, in order, with their sha256. */
  const applied: { name: string; sha256: string }[] = [];
  let lastV1Id: string | null = null;
  let nextV1Parent: { dir: string; parent: string | null } | null = null;
  let spoolCount = 0;
  try {
    for await (const raw of extract) {
      const entry = asTarSource(raw);
      signal.throwIfAborted();
      const name = safeRelativeName(entry.header.name);
      const isLayer = /(^|\/)layer\.tar$/.test(name) || /^blobs\/sha256\/[a-f0-9]{64}$/.test(name) || /^[a-f0-9]{64}\.tar$/.test(name);
      if (entry.header.type !== 'file' && entry.header.type !== null && entry.header.type !== undefined) {
        entry.resume();
        continue;
      }
      if (!isLayer && (entry.header.size ?? 0) <= MAX_SMALL_FILE) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        const content = Buffer.concat(chunks);
        small.set(name, content);
        const v1 = /^([a-f0-9]{64})\/json$/.exec(name);
        if (v1) {
          const parsed = parseJson(content) as { parent?: unknown } | null;
          nextV1Parent = { dir: v1[1]!, parent: typeof parsed?.parent === 'string' ? parsed.parent : null };
        }
        continue;
      }
      if (!isLayer) {
        // A big file that is not a layer (an OCI blob that is a layer under another name): spool it.
        spooled.set(name, await spool(entry, join(options.spoolDir, `spool-${spoolCount++}`), signal));
        continue;
      }
      const dir = name.split('/')[0]!;
      const streamable =
        (options.expectedLayers === 1 && applied.length === 0) ||
        (nextV1Parent !== null && nextV1Parent.dir === dir && nextV1Parent.parent === lastV1Id && name === `${dir}/layer.tar`);
      if (streamable) {
        const hash = createHash('sha256');
        const tap = new PassThrough();
        tap.on('data', (chunk: Buffer) => hash.update(chunk));
        // A layer that fails to apply (a full disk) closes `tap`: streamx then fails `entry` with
        // "Writable stream closed", which must not become an uncaught exception.
        entry.on('error', (error: Error) => {
          if (!tap.destroyed) tap.destroy(error);
        });
        entry.pipe(tap);
        await applier.apply(tap, signal, options.onBytes);
        applied.push({ name, sha256: `sha256:${hash.digest('hex')}` });
        lastV1Id = /^[a-f0-9]{64}$/.test(dir) ? dir : null;
        options.onLayer?.();
      } else {
        spooled.set(name, await spool(entry, join(options.spoolDir, `spool-${spoolCount++}`), signal));
      }
    }
    await feeding;

    const manifestText = small.get('manifest.json');
    const manifest = manifestText ? (parseJson(manifestText) as { Config?: unknown; Layers?: unknown }[] | null) : null;
    const first = Array.isArray(manifest) ? manifest[0] : null;
    if (!first || typeof first.Config !== 'string' || !Array.isArray(first.Layers)) {
      throw new ApiError('internal', 'The image archive has no usable manifest.json (is it a Docker archive?).');
    }
    const configText = small.get(safeRelativeName(first.Config));
    if (!configText) throw new ApiError('internal', `The image archive lacks its config ${first.Config}.`);
    const rawConfig = parseJson(configText);
    const diffIds = diffIdsOf(rawConfig);
    const layers = (first.Layers as unknown[]).map((layer) => safeRelativeName(String(layer)));
    for (let index = 0; index < applied.length; index += 1) {
      if (layers[index] !== applied[index]!.name) throw new ApiError('internal', 'The archive\'s layers came in an order its manifest contradicts.');
    }
    const sums = applied.map((layer) => layer.sha256);
    for (const layer of layers.slice(applied.length)) {
      const file = spooled.get(layer);
      if (!file) throw new ApiError('internal', `The image archive lacks its layer ${layer}.`);
      signal.throwIfAborted();
      await applier.apply(createReadStream(file.path), signal, options.onBytes);
      await rm(file.path, { force: true });
      sums.push(file.sha256);
      options.onLayer?.();
    }
    if (diffIds.length === sums.length && diffIds.some((id, index) => id !== sums[index])) {
      throw new ApiError('internal', 'A layer of the archive does not match the digest its config gives: the source changed or was damaged while it was read.');
    }
    await applier.finish();
    const notes: string[] = [];
    if (applier.stats.skippedDevices > 0) notes.push(`${applier.stats.skippedDevices} device file(s) or FIFO(s) were left out: they cannot be made without privileges, and engines make /dev themselves.`);
    return { config: imageConfigFromDocker(rawConfig), diffIds: sums, notes };
  } catch (error) {
    options.archive.destroy();
    extract.destroy();
    await feeding.catch(() => undefined);
    throw error;
  } finally {
    for (const file of spooled.values()) await rm(file.path, { force: true });
  }
}

async function spool(entry: Readable, path: string, signal: AbortSignal): Promise<{ path: string; sha256: string }> {
  const hash = createHash('sha256');
  entry.on('data', (chunk: Buffer) => hash.update(chunk));
  await pipeline(entry, createWriteStream(path, { flags: 'wx', mode: 0o600 }), { signal }).catch((error: unknown) => {
    throw withPath(error, path);
  });
  return { path, sha256: `sha256:${hash.digest('hex')}` };
}

function parseJson(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
