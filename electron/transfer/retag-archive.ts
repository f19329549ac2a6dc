// A → A between engines: the archive passes through unchanged except for its names. The manifest's
// RepoTags become the one name the user chose for the target (so a load never sets a name in the
// target that was not asked for, possibly over another image), and so does the legacy
// `repositories` file, which udocker's load reads. Layers are counted as they pass, for the progress.
// Podman's archives keep each layer once, as "<digest>.tar", and make the legacy "<id>/layer.tar"
// a symbolic link to "../<digest>.tar"; udocker's load moves that link itself into its layers
// folder, where it dangles once the load's temporary folder is gone. Such a link is held back and
// written at the end as a hard link to the layer file (a header only, no content copied): tar
// extracts it as a second name of the same file, which udocker moves as a real file.
import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { asTarSource, type TarHeader } from './tar-types';
import { ApiError } from '../../shared/errors';
import { safeRelativeName } from './apply-layer';

/** Metadata files are read whole; a bigger one is no archive an engine wrote. */
const MAX_METADATA = 16 * 1024 * 1024;

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
  // A reader that stops (a target that died, a full disk) closes `out`. Without this, streamx's
  // pipe would destroy `pack` with "Writable stream closed", and pack hands that error to the entry
  // being written, whose 'error' event nobody hears: an uncaught exception. Destroyed first, with no
  // error, pack ends its entries quietly and their callbacks fail the loop below instead.
  out.once('close', () => pack.destroy());
  pack.pipe(out);
  const done = (async () => {
    const feeding = pipeline(source, extract, { signal: options.signal });
    // A cancel or a bad entry ends the loop below before `feeding` is awaited: marked handled now
    // (the loop's own error, or the await below, is what `done` reports).
    feeding.catch(() => undefined);
    let sawManifest = false;
    /** The top layer's legacy id, by the first of: the source's `repositories`, the manifest, the folders' parent chain. */
    let repositoriesTop: string | null = null;
    let repositoriesHeader: TarHeader = { name: 'repositories', mode: 0o644 };
    let manifestTop: string | null = null;
    /** Legacy layer folders ("<id>/json"): each id with the parent its json names. */
    const legacyParents = new Map<string, string | null>();
    /** Names of the regular files written so far; legacy layer links held back, by name. */
    const files = new Set<string>();
    const heldLinks: { header: TarHeader; target: string }[] = [];
    for await (const raw of extract) {
      const entry = asTarSource(raw);
      const name = safeRelativeName(entry.header.name);
      const linkTarget = legacyLayerLinkTarget(name, entry.header);
      if (linkTarget !== null) {
        entry.resume();
        heldLinks.push({ header: { ...entry.header, name }, target: linkTarget });
        continue;
      }
      if (name === 'repositories') {
        // udocker loads by this file ({repo: {tag: top layer id}}): written at the end with the new
        // name. An archive saved by id has none, or Podman's "{}".
        const old = parseJson(await readSmall(entry, name));
        const tops = old && typeof old === 'object' ? Object.values(old).flatMap((tags) => (tags && typeof tags === 'object' ? Object.values(tags) : [])) : [];
        repositoriesTop = tops.find((id): id is string => typeof id === 'string' && id !== '') ?? null;
        repositoriesHeader = { ...entry.header, size: undefined };
        continue;
      }
      if (name === 'manifest.json') {
        const manifest = JSON.parse((await readSmall(entry, name)).toString('utf8')) as { RepoTags?: unknown }[];
        if (!Array.isArray(manifest) || manifest.length !== 1) throw new ApiError('internal', 'The source archive holds more than one image.');
        const [repository, tag] = splitName(options.name);
        // With its tag spelled out: udocker looks the image up in RepoTags as "repo:tag".
        manifest[0]!.RepoTags = [`${repository}:${tag}`];
        const layers = (manifest[0] as { Layers?: unknown }).Layers;
        const last = Array.isArray(layers) ? String(layers.at(-1) ?? '') : '';
        manifestTop = /^[a-f0-9]{64}\/layer\.tar$/.test(last) ? last.slice(0, 64) : null;
        sawManifest = true;
        await write(pack, { ...entry.header, size: undefined }, Buffer.from(JSON.stringify(manifest)));
        continue;
      }
      const legacyJson = /^([a-f0-9]{64})\/json$/.exec(name);
      if (legacyJson && entry.header.type === 'file') {
        const content = await readSmall(entry, name);
        const parent = (parseJson(content) as { parent?: unknown } | null)?.parent;
        legacyParents.set(legacyJson[1]!, typeof parent === 'string' && parent !== '' ? parent : null);
        files.add(name);
        await write(pack, { ...entry.header, size: undefined }, content);
        continue;
      }
      const isFile = entry.header.type === 'file' || entry.header.type === 'contiguous-file';
      if (isFile) files.add(name);
      // Only content counts: a link named like a layer is no layer of its own.
      const isLayer = isFile && (/(^|\/)layer\.tar$/.test(name) || /^[a-f0-9]{64}\.tar$/.test(name));
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
    for (const { header, target } of heldLinks) {
      if (files.has(target)) await write(pack, { name: header.name, mode: header.mode ?? 0o644, mtime: header.mtime, type: 'link', linkname: target }, Buffer.alloc(0));
      else await write(pack, header, Buffer.alloc(0));
    }
    // Always under the new name, also for an archive saved by id (no names at all, or Podman's
    // "{}"): udocker loads only the names this file lists, and an unnamed archive under a random one.
    const top = repositoriesTop ?? manifestTop ?? topOfChain(legacyParents);
    if (top) {
      const [repository, tag] = splitName(options.name);
      await write(pack, repositoriesHeader, Buffer.from(JSON.stringify({ [repository]: { [tag]: top } })));
    }
    pack.finalize();
  })();
  done.catch((error: unknown) => {
    source.destroy();
    out.destroy(error as Error);
  });
  return { stream: out, done, layerDigests };
}

/** The legacy layer no other layer names as its parent, when there is exactly one. */
function topOfChain(parents: Map<string, string | null>): string | null {
  const named = new Set([...parents.values()].filter((parent): parent is string => parent !== null));
  const tops = [...parents.keys()].filter((id) => !named.has(id));
  return tops.length === 1 ? tops[0]! : null;
}

/** The content of a small metadata entry (manifest, repositories, a layer's json), size-capped. */
async function readSmall(entry: AsyncIterable<unknown>, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry) {
    size += (chunk as Buffer).length;
    if (size > MAX_METADATA) throw new ApiError('internal', `The source archive's ${name} is larger than ${MAX_METADATA} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** For a symbolic link "<id>/layer.tar" → a file of the archive: that file's name; else null. */
function legacyLayerLinkTarget(name: string, header: TarHeader): string | null {
  if (header.type !== 'symlink' || !header.linkname || !/^[^/]+\/layer\.tar$/.test(name)) return null;
  try {
    // Relative to the link's folder; a target that leaves the archive is kept as the link it was.
    const target = safeRelativeName(header.linkname.startsWith('../') ? header.linkname.slice(3) : `${name.split('/')[0]}/${header.linkname}`);
    return target === '' || header.linkname.startsWith('/') ? null : target;
  } catch {
    return null;
  }
}

export function splitName(name: string): [string, string] {
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? [name.slice(0, colon), name.slice(colon + 1)] : [name, 'latest'];
}

function write(pack: tar.Pack, header: TarHeader, content: Buffer): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ ...header, size: content.length }, content, (error) => (error ? reject(error) : resolve())));
}
