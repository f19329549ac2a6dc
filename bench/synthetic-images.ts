// Many images without many downloads. Every bench image is the test fixtures' busybox root file
// system (one real, small layer, stored once), told apart by a label so that each has its own id,
// and named crossdock-bench/img-<k>:t<j> with TAGS_PER_IMAGE tags each (even k in Docker, odd k in
// Podman, so a name is one image). Engines list a row per tag: N names are N rows in the window.
//
// Why not every tag on one image: both engines answer each tag's row with the image's whole tag
// list, so Crossdock's images.list answer grows with the square of the tags on one image (1,000
// tags on one image: a 29 MB answer; 10,000: about 3 GB, past what V8 can hold in one string). A
// machine with 10,000 images has thousands of images with a few tags each, and so do these.
//
// The images come from one `docker load` / `podman load` of an archive built here (one layer, a
// config per image, the first name of each); the other names are tags: Docker's through the API
// (dockerode), DOCKER_CONCURRENCY requests at a time, Podman's with `podman tag IMAGE NAME...`.
// Everything under crossdock-bench/ is the bench's: removeBenchImages() removes it all by listing,
// so what a killed run left goes too.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { drainProgress } from '../electron/engines/docker-api/ndjson';
import { buildTar, type TarEntry } from '../electron/engines/docker-api/tar-archive';
import { busyboxRootTar } from '../test/fixtures/busybox-image';
import { countFromEnv } from './report';

export type SyntheticEngine = 'docker' | 'podman';
export type Split = Record<SyntheticEngine, number>;

const REPOSITORY = 'crossdock-bench';
/** Docker requests in flight at once: the daemon serialises tag writes, so more mostly queues. */
export const DOCKER_CONCURRENCY = 16;
/** Names per `podman rmi` command line: far below ARG_MAX, few enough commands. */
const PODMAN_NAMES_PER_COMMAND = 500;

export function tagsPerImage(): number {
  return countFromEnv('BENCH_TAGS_PER_IMAGE', 10);
}

/** The engine's `index`-th bench name: image floor(index / perImage), tag index % perImage. */
function nameOf(engine: SyntheticEngine, index: number, perImage: number): string {
  const image = 2 * Math.floor(index / perImage) + (engine === 'docker' ? 0 : 1);
  return `${REPOSITORY}/img-${image}:t${index % perImage}`;
}

/** Podman spells a short name under localhost/; both spellings are ours. */
function isBenchName(name: string): boolean {
  return name.startsWith(`${REPOSITORY}/`) || name.startsWith(`localhost/${REPOSITORY}/`);
}

function dockerClient(): Dockerode {
  return new Dockerode({ socketPath: '/var/run/docker.sock' });
}

export interface Resized {
  ms: number;
  /** Images loaded (each with its first name) and names added by tagging, and the time each took. */
  loaded: number;
  loadMs: number;
  tagged: number;
  tagMs: number;
  removed: number;
}

export class SyntheticImages {
  private readonly docker = dockerClient();
  readonly perImage = tagsPerImage();
  /** How many bench names each engine holds: always the first `count` of nameOf's sequence. */
  private readonly held: Split = { docker: 0, podman: 0 };
  private current: Promise<unknown> | null = null;
  private removing: Promise<{ ms: number; removed: number }> | null = null;
  private stopped = false;

  /** Adds or removes names until each engine holds `target` of them. */
  async resize(target: Split): Promise<Resized> {
    const started = performance.now();
    const result: Resized = { ms: 0, loaded: 0, loadMs: 0, tagged: 0, tagMs: 0, removed: 0 };
    const work = (async () => {
      for (const engine of ['docker', 'podman'] as const) {
        if (target[engine] > this.held[engine]) await this.grow(engine, target[engine], result);
        else if (target[engine] < this.held[engine]) await this.shrink(engine, target[engine], result);
      }
    })();
    this.current = work;
    try {
      await work;
    } finally {
      this.current = null;
    }
    result.ms = performance.now() - started;
    return result;
  }

  /**
   * Stops any tagging under way and removes every bench image, ours or left by an earlier run. A
   * second caller while it runs (the section's `finally` and the Ctrl-C handler) waits for the same removal.
   */
  removeAll(): Promise<{ ms: number; removed: number }> {
    this.removing ??= (async () => {
      this.stopped = true;
      await this.current?.catch(() => undefined);
      try {
        return await removeBenchImages(this.docker);
      } finally {
        this.held.docker = 0;
        this.held.podman = 0;
        this.stopped = false;
        this.removing = null;
      }
    })();
    return this.removing;
  }

  private async grow(engine: SyntheticEngine, target: number, result: Resized): Promise<void> {
    const from = this.held[engine];
    const indices = Array.from({ length: target - from }, (_, offset) => from + offset);
    // An index on a multiple of perImage starts an image: loaded with that name.
    const firsts = indices.filter((index) => index % this.perImage === 0);
    const others = indices.filter((index) => index % this.perImage !== 0);

    let started = performance.now();
    if (firsts.length > 0) {
      const archive = imageArchive(firsts.map((index) => ({ name: nameOf(engine, index, this.perImage), label: `${engine}-${index / this.perImage}` })));
      if (engine === 'docker') await drainProgress(await this.docker.loadImage(Readable.from([archive]), { quiet: true }));
      else await execa('podman', ['load'], { input: archive, timeout: 600_000 });
    }
    result.loaded += firsts.length;
    result.loadMs += performance.now() - started;

    started = performance.now();
    const baseOf = (index: number) => nameOf(engine, index - (index % this.perImage), this.perImage);
    if (engine === 'docker') {
      await atMost(DOCKER_CONCURRENCY, others, async (index) => {
        if (this.stopped) return;
        const [repo, tag] = splitName(nameOf(engine, index, this.perImage));
        await this.docker.getImage(baseOf(index)).tag({ repo, tag });
      });
    } else {
      // All of an image's new names in one command.
      const byImage = groupBy(others, baseOf);
      for (const [base, group] of byImage) {
        if (this.stopped) break;
        await execa('podman', ['tag', base, ...group.map((index) => nameOf(engine, index, this.perImage))], { timeout: 300_000 });
      }
    }
    result.tagged += others.length;
    result.tagMs += performance.now() - started;
    this.held[engine] = target;
  }

  private async shrink(engine: SyntheticEngine, target: number, result: Resized): Promise<void> {
    const going = Array.from({ length: this.held[engine] - target }, (_, offset) => target + offset);
    if (engine === 'docker') {
      const byImage = groupBy(going, (index) => String(Math.floor(index / this.perImage)));
      await removeFromDocker(this.docker, new Map([...byImage].map(([image, indices]) => [image, indices.map((index) => nameOf(engine, index, this.perImage))])));
    } else {
      await removeFromPodman(going.map((index) => nameOf(engine, index, this.perImage)));
    }
    result.removed += going.length;
    this.held[engine] = target;
  }
}

/**
 * A `docker save`-style archive that `docker load` and `podman load` both read: the one layer, a
 * config per image (the label makes each config, and so each image id, its own), and a manifest
 * giving each image its first name.
 */
function imageArchive(images: ReadonlyArray<{ name: string; label: string }>): Buffer {
  const layer = busyboxRootTar();
  const diffId = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
  const created = new Date().toISOString();
  const entries: TarEntry[] = [{ type: 'file', path: 'layer.tar', content: layer }];
  const manifest = images.map(({ name, label }) => {
    const config = Buffer.from(
      JSON.stringify({
        architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
        os: 'linux',
        created,
        config: { Cmd: ['/bin/sh'], Labels: { 'org.crossdock.bench': label } },
        rootfs: { type: 'layers', diff_ids: [diffId] },
        history: [{ created, created_by: 'crossdock bench (bench/synthetic-images.ts)' }],
      }),
    );
    const path = `${createHash('sha256').update(config).digest('hex')}.json`;
    entries.push({ type: 'file', path, content: config });
    return { Config: path, RepoTags: [name], Layers: ['layer.tar'] };
  });
  entries.push({ type: 'file', path: 'manifest.json', content: Buffer.from(JSON.stringify(manifest)) });
  return buildTar(entries);
}

/**
 * Every image name under crossdock-bench/ in Docker and Podman, removed (a name at a time: an image
 * goes with its last name). Run at the start of the bench too, for what an interrupted run left.
 */
export async function removeBenchImages(docker: Dockerode = dockerClient()): Promise<{ ms: number; removed: number }> {
  const started = performance.now();
  const inDocker = new Map((await docker.listImages()).map((image) => [image.Id, (image.RepoTags ?? []).filter(isBenchName)]));
  await removeFromDocker(docker, inDocker);
  const listed = await execa('podman', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { timeout: 120_000, reject: false });
  const inPodman = listed.exitCode === 0 ? [...new Set(listed.stdout.split('\n').map((line) => line.trim()).filter(isBenchName))] : [];
  await removeFromPodman(inPodman);
  return { ms: performance.now() - started, removed: [...inDocker.values()].flat().length + inPodman.length };
}

/**
 * Names grouped by image. An image's last name is removed only after its others: two requests
 * racing for an image's last names both try to delete it, and the loser fails ("unrecognized image ID").
 */
async function removeFromDocker(docker: Dockerode, namesByImage: ReadonlyMap<string, readonly string[]>): Promise<void> {
  const groups = [...namesByImage.values()].filter((names) => names.length > 0);
  const remove = async (name: string) => {
    try {
      await docker.getImage(name).remove();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  };
  await atMost(DOCKER_CONCURRENCY, groups.flatMap((names) => names.slice(0, -1)), remove);
  await atMost(DOCKER_CONCURRENCY, groups.map((names) => names.at(-1)!), remove);
}

async function removeFromPodman(names: readonly string[]): Promise<void> {
  // `podman rmi NAME` untags while the image has other names, and deletes it with its last one.
  for (let start = 0; start < names.length; start += PODMAN_NAMES_PER_COMMAND) {
    await execa('podman', ['rmi', '--ignore', '--', ...names.slice(start, start + PODMAN_NAMES_PER_COMMAND)], { timeout: 600_000 });
  }
}

/** Map.groupBy, which Node 20 lacks. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function splitName(name: string): [string, string] {
  const colon = name.lastIndexOf(':');
  return [name.slice(0, colon), name.slice(colon + 1)];
}

/** `work` over every item, `limit` at a time; the first failure rejects once the others in flight settled. */
async function atMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (next < items.length && failure === null) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => (failure ??= error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw failure;
}
