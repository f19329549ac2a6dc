// B → A: a root folder and its ImageConfig become a one-layer Docker archive, streamed (what
// `docker load`, Podman's compatible load and `udocker load` read). A tar entry's header carries
// its size before its bytes, and the manifest and config carry the layer's digest: so the layer is
// packed twice, first into a counter and hash (nothing kept), then into the archive. Nothing is
// written to disk and nothing is held in memory beyond one file's chunk. The folder must not
// change between the two passes; if it does, the sizes disagree and the archive fails.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { TarHeader } from './tar-types';
import { dockerConfigFor } from './docker-config';
import { splitName } from './retag-archive';
import type { ImageConfig } from './image-config';

export interface RootfsLayerOptions {
  rootDir: string;
  /** Top-level names left out (Charliecloud's ch/). */
  exclude?: string[];
  signal: AbortSignal;
}

/** Packs the folder as a layer tar into `pack` (sorted paths, hard links kept, devices left out). */
async function packLayer(pack: tar.Pack, options: RootfsLayerOptions, onBytes?: (count: number) => void): Promise<void> {
  const exclude = new Set(options.exclude ?? []);
  const seenInodes = new Map<string, string>();
  const add = (header: TarHeader, content?: Readable): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (!content) {
        pack.entry(header, Buffer.alloc(0), (error) => (error ? reject(error) : resolve()));
        return;
      }
      const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
      {
        content.on('data', (chunk: Buffer) => onBytes?.(chunk.length));
        content.on('error', reject);
        content.pipe(sink as unknown as NodeJS.WritableStream);
      }
    });
  const visit = async (relative: string): Promise<void> => {
    const names = (await readdir(join(options.rootDir, relative))).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      options.signal.throwIfAborted();
      if (!relative && exclude.has(name)) continue;
      const path = relative ? `${relative}/${name}` : name;
      const full = join(options.rootDir, path);
      const stats = await lstat(full);
      const common = { name: path, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, mtime: new Date(Math.floor(stats.mtimeMs / 1000) * 1000) };
      if (stats.isDirectory()) {
        await add({ ...common, type: 'directory' });
        await visit(path);
      } else if (stats.isSymbolicLink()) {
        await add({ ...common, type: 'symlink', linkname: await readlink(full) });
      } else if (stats.isFile()) {
        const inode = `${stats.dev}:${stats.ino}`;
        const first = stats.nlink > 1 ? seenInodes.get(inode) : undefined;
        if (first) {
          await add({ ...common, type: 'link', linkname: first });
          continue;
        }
        if (stats.nlink > 1) seenInodes.set(inode, path);
        await add({ ...common, type: 'file', size: stats.size }, createReadStream(full));
      }
      // Devices, FIFOs and sockets are left out: engines make /dev themselves.
    }
  };
  await visit('');
  pack.finalize();
}

/** Pass 1: the layer's size and digest. */
export async function measureLayer(options: RootfsLayerOptions): Promise<{ size: number; diffId: string }> {
  const pack = tar.pack();
  const hash = createHash('sha256');
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done();
    },
  });
  await Promise.all([packLayer(pack, options), pipeline(pack, sink, { signal: options.signal })]);
  return { size, diffId: `sha256:${hash.digest('hex')}` };
}

export interface RootfsArchive {
  stream: Readable;
  /** The image id the engine will give the loaded image (its config's digest). */
  imageId: string;
  layerSize: number;
  /** Resolves when the whole archive was produced; rejects with what broke it. */
  done: Promise<void>;
}

/** Pass 2: the archive, streamed. `name` becomes its RepoTags. */
export async function rootfsToArchive(options: RootfsLayerOptions & { config: ImageConfig; name: string; onBytes?: (count: number) => void }): Promise<RootfsArchive> {
  const measured = await measureLayer(options);
  const config = dockerConfigFor(options.config, measured.diffId, 'copied by Crossdock from a root file system');
  const configName = `${config.digest.slice('sha256:'.length)}.json`;
  const layerId = measured.diffId.slice('sha256:'.length);
  const layerName = `${layerId}/layer.tar`;
  const [repository, tag] = splitName(options.name);
  // The legacy v1 layout beside the manifest (VERSION, json, repositories): udocker's load reads only that.
  const v1Json = JSON.stringify({ id: layerId, created: new Date().toISOString(), ...JSON.parse(config.json) as object });
  const manifest = JSON.stringify([{ Config: configName, RepoTags: [options.name], Layers: [layerName] }]);
  const archive = tar.pack();
  const out = new PassThrough();
  const done = (async () => {
    const put = (name: string, text: string) =>
      new Promise<void>((resolve, reject) => archive.entry({ name, mode: 0o644 }, text, (error) => (error ? reject(error) : resolve())));
    await put(configName, config.json);
    await put('manifest.json', manifest);
    await put('repositories', JSON.stringify({ [repository]: { [tag]: layerId } }));
    await put(`${layerId}/VERSION`, '1.0');
    await put(`${layerId}/json`, v1Json);
    await new Promise<void>((resolve, reject) => {
      const layerSink = archive.entry({ name: layerName, mode: 0o644, size: measured.size }, (error) => (error ? reject(error) : resolve()));
      const layer = tar.pack();
      layer.pipe(layerSink);
      packLayer(layer, options, options.onBytes).catch((error: unknown) => {
        layer.destroy(error as Error);
        reject(error);
      });
    });
    archive.finalize();
  })();
  // See retag-archive.ts: a reader that stops must not become an uncaught "Writable stream closed".
  out.once('close', () => archive.destroy());
  archive.pipe(out);
  done.catch((error: unknown) => out.destroy(error as Error));
  return { stream: out, imageId: config.digest, layerSize: measured.size, done };
}

/** A folder as one layer tar, streamed in one pass (folder → folder copies). */
export function layerStream(options: RootfsLayerOptions, onBytes?: (count: number) => void): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  out.once('close', () => pack.destroy());
  pack.pipe(out);
  packLayer(pack, options, onBytes).catch((error: unknown) => out.destroy(error as Error));
  return out;
}
