// One target of a transfer, from source to copy: picks the route by the two ends' pivots and
// converts where they differ. Archive → archive streams save into load with only the names
// rewritten; archive → folder applies the layers (archive-to-rootfs.ts); folder → archive packs
// one layer (rootfs-to-archive.ts); folder → folder copies the tree as a layer stream. The copy is
// then checked against the source (tree digest or layer digests) before it counts as a match.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { LayerApplier } from './apply-layer';
import { archiveToRootfs } from './archive-to-rootfs';
import type { Received, Source, Target, TargetCall } from './endpoints/endpoint';
import type { ImageConfig } from './image-config';
import { retagArchive } from './retag-archive';
import { explainTargetFailure } from './target-errors';
import { layerStream, rootfsToArchive } from './rootfs-to-archive';
import { treeDigest } from './tree-digest';

export interface RouteOutcome extends Received {
  /** The copy was checked equal to the source, by this digest (tree) or the source's layer digests. */
  verified: { treeDigest: string | null; layersMatched: boolean };
}

export function describeRoute(source: Source, target: Target): string {
  const from = source.shape.kind === 'archive' ? 'save stream' : source.shape.kind === 'folder' ? 'image folder' : 'unpacked files';
  const to = target.takes === 'archive' ? 'load stream' : 'image folder';
  return `${from} → ${to}${source.shape.kind === 'archive' && target.takes === 'archive' ? ' (streamed, names rewritten)' : ''}`;
}

export async function runRoute(source: Source, target: Target, call: TargetCall): Promise<RouteOutcome> {
  try {
    return await runRouteAsIs(source, target, call);
  } catch (error) {
    // A full disk or a dropped engine service, worded with the target's name and folder.
    if (call.signal.aborted) throw error;
    const space = await target.space().catch(() => null);
    throw await explainTargetFailure(error, { label: target.label, where: space?.where ?? null, stagingDir: call.stagingDir });
  }
}

async function runRouteAsIs(source: Source, target: Target, call: TargetCall): Promise<RouteOutcome> {
  const counted = (stream: Readable): Readable => {
    const tap = new PassThrough();
    tap.on('data', (chunk: Buffer) => call.onBytes(chunk.length));
    stream.on('error', (error) => tap.destroy(error));
    return stream.pipe(tap);
  };
  const shape = source.shape;
  if (target.takes === 'archive') {
    if (shape.kind === 'archive') {
      call.onPhase('reading the source');
      const opened = await shape.open(call.signal);
      const retagged = retagArchive(counted(opened), { name: call.name, signal: call.signal, onLayer: call.onLayer });
      const receiving = target.receiveArchive!(retagged.stream, call).catch((error: unknown) => {
        // A target that failed stops reading: without this the source engine's save would stay
        // open, held by back-pressure, for as long as Crossdock runs.
        opened.destroy(new Error('the target stopped reading'));
        throw error;
      });
      const received = await bothEnds(receiving, retagged.done);
      return { ...received, verified: { treeDigest: null, layersMatched: layersMatch(retagged.layerDigests, received) } };
    }
    const { rootDir, config, exclude } = await asFolder(source, join(call.stagingDir, 'rootfs'), call);
    call.onPhase('packing the files');
    const sourceTree = await treeDigest(rootDir, { exclude, signal: call.signal });
    const archive = await rootfsToArchive({ rootDir, exclude, config, name: call.name, signal: call.signal, onBytes: call.onBytes });
    const received = await bothEnds(target.receiveArchive!(archive.stream, call), archive.done);
    call.onLayer();
    return { ...received, verified: { treeDigest: sourceTree.digest, layersMatched: false } };
  }
  // A folder target.
  const staging = await target.folderStaging!(call);
  let config: ImageConfig;
  let sourceDigest: string;
  if (shape.kind === 'archive') {
    call.onPhase('unpacking the layers');
    await mkdir(join(call.stagingDir, 'spool'), { recursive: true });
    const result = await archiveToRootfs({
      archive: counted(await shape.open(call.signal)),
      rootDir: staging,
      spoolDir: join(call.stagingDir, 'spool'),
      signal: call.signal,
      expectedLayers: source.facts.layers,
      onLayer: call.onLayer,
    });
    config = result.config;
    // The layers' digests were checked against the source's config while they were read.
    sourceDigest = (await treeDigest(staging, { signal: call.signal })).digest;
  } else if (shape.kind === 'folder') {
    call.onPhase('copying the files');
    sourceDigest = (await treeDigest(shape.rootDir, { exclude: shape.exclude, signal: call.signal })).digest;
    const applier = new LayerApplier(staging);
    await applier.apply(layerStream({ rootDir: shape.rootDir, exclude: shape.exclude, signal: call.signal }, call.onBytes), call.signal);
    await applier.finish();
    call.onLayer();
    config = await shape.config();
  } else {
    call.onPhase('unpacking the source');
    const result = await shape.unpack(staging, call.signal, { onBytes: call.onBytes, onLayer: call.onLayer, addLeftover: call.addLeftover });
    config = result.config;
    sourceDigest = (await treeDigest(staging, { signal: call.signal })).digest;
  }
  const received = await target.receiveFolder!(staging, config, [], call);
  let copyDigest: string | null = null;
  if (received.treeRoot) {
    call.onPhase('checking the copy');
    copyDigest = (await treeDigest(received.treeRoot.dir, { exclude: received.treeRoot.exclude, signal: call.signal })).digest;
  }
  return { ...received, verified: { treeDigest: copyDigest === sourceDigest ? sourceDigest : null, layersMatched: false } };
}

/**
 * Waits for the target and the stream that feeds it. When the target fails, the feeding fails too
 * (its reader is gone), so the target's error is the one that says what happened; the feeding's
 * own error counts when the target took everything. Each end settles once the other fails: the
 * target's input errors, the feeding's source is destroyed.
 */
async function bothEnds<T>(receiving: Promise<T>, feeding: Promise<void>): Promise<T> {
  const [received, fed] = await Promise.allSettled([receiving, feeding]);
  if (received.status === 'rejected') throw received.reason;
  if (fed.status === 'rejected') throw fed.reason;
  return received.value;
}

/** udocker keeps the layer files it was given: their digests must be those that streamed by. */
function layersMatch(streamed: string[], received: Received): boolean {
  const kept = received.layerDigests;
  if (!kept || kept.length === 0 || kept.length !== streamed.length) return false;
  const sorted = (list: string[]) => [...list].sort().join(',');
  return sorted(kept) === sorted(streamed);
}

async function asFolder(source: Source, dir: string, call: TargetCall): Promise<{ rootDir: string; config: ImageConfig; exclude: string[] }> {
  const shape = source.shape;
  if (shape.kind === 'folder') return { rootDir: shape.rootDir, config: await shape.config(), exclude: shape.exclude };
  if (shape.kind === 'archive') throw new Error('an archive source is not a folder');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  call.onPhase('unpacking the source');
  const result = await shape.unpack(dir, call.signal, { onBytes: () => undefined, onLayer: call.onLayer, addLeftover: call.addLeftover });
  return { rootDir: dir, config: result.config, exclude: [] };
}
