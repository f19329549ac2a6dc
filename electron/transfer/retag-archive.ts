// A → A between engines: the archive passes through unchanged except for its names. The manifest's
// RepoTags become the one name the user chose for the target (so a load never sets a name in the
// target that was not asked for, possibly over another image), and so does the legacy
// `repositories` file, which udocker's load reads. Layers are counted as they pass, for the progress.
import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { asTarSource, type TarHeader } from './tar-types';
import { ApiError } from '../../shared/errors';
import { safeRelativeName } from './apply-layer';

export interface RetagOptions {
  name: string;
  signal: AbortSignal;
  onLayer?: () => void;
}

export function retagArchive(source: Readable, options: RetagOptions): { stream: Readable; done: Promise<void>; layerDigests: string[] } {
  const layerDigests: string[] = [];
  const extract = tar.extract();
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  const done = (async () => {
    const feeding = pipeline(source, extract, { signal: options.signal });
    let sawManifest = false;
    let sawRepositories = false;
    let topLayer: string | null = null;
    for await (const raw of extract) {
      const entry = asTarSource(raw);
      const name = safeRelativeName(entry.header.name);
      if (name === 'repositories') {
        // udocker loads by this file ({repo: {tag: top layer id}}): the same top layer, the new name.
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        const old = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, Record<string, string>>;
        sawRepositories = true;
        const top = Object.values(old).flatMap((tags) => Object.values(tags))[0];
        if (top) {
          const [repository, tag] = splitName(options.name);
          await write(pack, { ...entry.header, size: undefined }, Buffer.from(JSON.stringify({ [repository]: { [tag]: top } })));
        }
        continue;
      }
      if (name === 'manifest.json') {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        const manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { RepoTags?: unknown }[];
        if (!Array.isArray(manifest) || manifest.length !== 1) throw new ApiError('internal', 'The source archive holds more than one image.');
        manifest[0]!.RepoTags = [options.name];
        const layers = (manifest[0] as { Layers?: unknown }).Layers;
        const last = Array.isArray(layers) ? String(layers.at(-1) ?? '') : '';
        topLayer = /^[a-f0-9]{64}\/layer\.tar$/.test(last) ? last.slice(0, 64) : null;
        sawManifest = true;
        await write(pack, { ...entry.header, size: undefined }, Buffer.from(JSON.stringify(manifest)));
        continue;
      }
      const isLayer = /(^|\/)layer\.tar$/.test(name) || /^[a-f0-9]{64}\.tar$/.test(name);
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry(entry.header, (error) => (error ? reject(error) : resolve()));
        entry.on('error', reject);
        if (isLayer) {
          const hash = createHash('sha256');
          entry.on('data', (chunk: Buffer) => hash.update(chunk));
          entry.on('end', () => layerDigests.push(`sha256:${hash.digest('hex')}`));
        }
        entry.pipe(sink as unknown as NodeJS.WritableStream);
      });
      if (isLayer) options.onLayer?.();
    }
    await feeding;
    if (!sawManifest) throw new ApiError('internal', 'The source archive has no manifest.json.');
    // An archive saved by id has no names at all: udocker needs one to load it under.
    if (!sawRepositories && topLayer) {
      const [repository, tag] = splitName(options.name);
      await write(pack, { name: 'repositories', mode: 0o644 }, Buffer.from(JSON.stringify({ [repository]: { [tag]: topLayer } })));
    }
    pack.finalize();
  })();
  done.catch((error: unknown) => {
    source.destroy();
    out.destroy(error as Error);
  });
  return { stream: out, done, layerDigests };
}

export function splitName(name: string): [string, string] {
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? [name.slice(0, colon), name.slice(colon + 1)] : [name, 'latest'];
}

function write(pack: tar.Pack, header: TarHeader, content: Buffer): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ ...header, size: content.length }, content, (error) => (error ? reject(error) : resolve())));
}
