// The Podman adapters against the real podman: the Docker-compatible API through a service
// Crossdock starts itself, and the CLI fallback. Everything runs on a private image store
// (CONTAINERS_STORAGE_CONF in the engine's environment), so pruning and removing here cannot
// touch anybody else's images, and removing the folder afterwards removes every trace.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, EngineContext } from '../../electron/engines/engine';
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { PodmanCliEngine } from '../../electron/engines/podman/cli-engine';
import { PodmanEngine } from '../../electron/engines/podman/engine';
import { discoverPodman } from '../../electron/engines/podman/provider';
import { importIntoPodman, TEST_IMAGE_CMD, TEST_IMAGE_ENV, type TestImage } from '../fixtures/busybox-image';
import { requireEngine } from '../helpers/engines';
import { apiErrorOf, waitFor } from '../helpers/waiting';

const podman = await requireEngine('podman');
const never = new AbortController().signal;



function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A private store: its own graph root and run root under `root`. */
async function privateStore(root: string): Promise<NodeJS.ProcessEnv> {
  const conf = join(root, 'storage.conf');
  await writeFile(conf, `[storage]\ndriver = "overlay"\ngraphroot = "${join(root, 'graph')}"\nrunroot = "${join(root, 'run')}"\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_STORAGE_CONF: conf };
  delete env.CONTAINER_HOST;
  return env;
}

async function podmanCli(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  return (await execa('podman', args, { env, extendEnv: false, timeout: 60_000 })).stdout;
}

describe.skipIf(podman.skip)('Podman connections', () => {
  it('shows the rootful connection to root, and the rootless one to an ordinary user', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cdp-'));
    try {
      const context: EngineContext = { env: { ...process.env, XDG_RUNTIME_DIR: root, CONTAINER_HOST: '' }, runtimeDir: root, log: () => undefined };
      const asRoot = await discoverPodman(context, 0);
      expect(asRoot.map((engine) => [engine.id, engine.label, engine.family])).toEqual([['podman', 'Podman (rootful)', 'podman']]);
      const asUser = await discoverPodman(context, 1000);
      // No rootful socket is running here, so a user sees only the rootless connection.
      expect(asUser.map((engine) => [engine.id, engine.label])).toEqual([['podman-rootless', 'Podman (rootless)']]);
      await Promise.all([...asRoot, ...asUser].map((engine) => engine.dispose()));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe.skipIf(podman.skip)('Podman through the compatible API of a service Crossdock starts', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let engine: PodmanEngine;
  let image: TestImage;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cdp-'));
    env = await privateStore(root);
    engine = new PodmanEngine({
      id: 'podman',
      label: 'Podman (rootful)',
      rootless: false,
      // Nothing answers here, so the engine must start its own service (a podman socket another
      // session may have started at /run/podman would otherwise be used, with the shared store).
      defaultSocket: join(root, 'nobody.sock'),
      configuredSocket: null,
      mayStartOwn: true,
      env,
      runtimeDir: join(root, 'runtime'),
      log: () => undefined,
    });
    image = await importIntoPodman(env);
  });

  afterAll(async () => {
    await engine?.dispose();
    if (env) await execa('podman', ['rmi', '--all', '--force'], { env, extendEnv: false, reject: false, timeout: 60_000 });
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('reaches Podman first without a test container: "checking", with the version from /_ping', async () => {
    const reached = await engine.detect(never, { probe: false });
    expect(reached).toMatchObject({ state: 'checking', probe: { attempted: false } });
    const { stdout } = await execa('podman', ['version', '--format', '{{.Client.Version}}'], { env, extendEnv: false });
    expect(reached.version).toBe(stdout.trim());
  });

  it('detects Podman as ready through the service it started, with the probe exiting 37', async () => {
    const detection = await engine.detect(never, { probe: true });
    const socketPath = join(root, 'runtime', 'podman-podman.sock');
    expect(detection).toMatchObject({
      state: 'ready',
      rootless: false,
      endpoint: socketPath,
      via: `Docker-compatible API on ${socketPath} (started by Crossdock)`,
      message: null,
      probe: { attempted: true, ok: true, exitCode: 37 },
      attributes: { HasPodman: true, HasDockerAPI: true, ProbeExitCodeKept: true, GpuFlag: '--device nvidia.com/gpu=all (CDI)' },
    });
    expect(detection.version).toMatch(/^\d+\.\d+/);
    expect(detection.apiVersion).toMatch(/^1\.\d+$/);
    const service = await engine.startedService();
    expect(service).toMatchObject({ socketPath });
    expect(processAlive(service!.pid!)).toBe(true);
    // The probe's container is gone.
    expect(await podmanCli(env, ['ps', '--all', '--quiet'])).toBe('');
  });

  it('lists the fixture image under the name Podman gave it', async () => {
    const row = (await engine.listImages(never)).find((candidate) => candidate.id === image.id);
    const size = Number(await podmanCli(env, ['image', 'inspect', '--format', '{{.Size}}', image.id]));
    expect(row).toMatchObject({
      engineId: 'podman',
      repository: image.repository,
      tag: image.tag,
      dangling: false,
      sizeBytes: size,
      labels: { 'org.crossdock.test': '1' },
    });
    expect(image.repository).toMatch(/^localhost\//);
  });

  it('inspects the image: command, environment, architecture, layers and history', async () => {
    const detail = await engine.inspectImage(image.id, never);
    expect(detail.summary.id).toBe(image.id);
    expect(detail.cmd).toEqual(TEST_IMAGE_CMD);
    expect(detail.env).toContain(TEST_IMAGE_ENV);
    expect(detail.architecture).toBe(process.arch === 'x64' ? 'amd64' : process.arch);
    expect(detail.layers).toHaveLength(1);
    expect(detail.history.length).toBeGreaterThanOrEqual(1);
  });

  it('watches image events from the compatible API', async () => {
    let changes = 0;
    let lost: string | null = null;
    const watch = engine.watchImages({ onChange: () => (changes += 1), onLost: (reason) => (lost = reason) });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await podmanCli(env, ['tag', image.id, `${image.repository!}:watched`]);
      await waitFor(() => changes >= 1, 10_000, 'a tag event');
      await podmanCli(env, ['rmi', `${image.repository!}:watched`]);
    } finally {
      await watch.dispose();
    }
    expect(lost).toBeNull();
  });

  it('untags, removes by id, then answers not-found', async () => {
    const second = `${image.repository!}:second`;
    await podmanCli(env, ['tag', image.id, second]);
    const untag = await engine.removeImage({ imageId: image.id, reference: second, force: false });
    expect(untag).toEqual({ untagged: [second], deleted: [], layersDeleted: 0 });
    expect((await engine.listImages(never)).filter((row) => row.id === image.id).map((row) => row.tag)).toEqual([image.tag]);

    const removed = await engine.removeImage({ imageId: image.id, reference: null, force: false });
    expect(removed.untagged).toEqual([image.reference]);
    // Podman's compatible API writes the bare hex id; it is still recognised as the image.
    expect(removed.deleted.map((id) => id.replace(/^sha256:/, ''))).toEqual([image.id.replace(/^sha256:/, '')]);

    const error = await apiErrorOf(engine.inspectImage(image.id, never));
    expect(error.kind).toBe('not-found');
    expect(error.message).toMatch(/no longer in Podman — removed outside Crossdock\?/);
  });

  it('prunes dangling images only', async () => {
    const dangling = await importIntoPodman(env, { named: false, distinct: true });
    const named = await importIntoPodman(env);
    try {
      expect((await engine.listImages(never)).find((row) => row.id === dangling.id)).toMatchObject({ repository: null, tag: null, dangling: true });
      const result = await engine.pruneImages();
      expect(result.deleted.map((id) => id.replace(/^sha256:/, ''))).toContain(dangling.id.replace(/^sha256:/, ''));
      // Podman names images only; none of them may be counted as layers.
      expect(result.layersDeleted).toBe(0);
      expect(result.reclaimedBytes).toBeGreaterThan(0);
      const ids = (await engine.listImages(never)).map((row) => row.id);
      expect(ids).not.toContain(dangling.id);
      expect(ids).toContain(named.id);
    } finally {
      await dangling.cleanup();
      await named.cleanup();
    }
  });

  it('stops the service it started when disposed: process gone, socket removed', async () => {
    const service = await engine.startedService();
    expect(service).not.toBeNull();
    await engine.dispose();
    expect(processAlive(service!.pid!)).toBe(false);
    await expect(stat(service!.socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe.skipIf(podman.skip)('Podman through its CLI (the route without a socket)', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let engine: Engine;
  let image: TestImage;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cdp-'));
    env = await privateStore(root);
    const podmanPath = (await findOnPath('podman', env))!;
    engine = new PodmanCliEngine({ id: 'podman', label: 'Podman (rootful)', family: 'podman', rootless: false, cli: { podmanPath, env } });
    image = await importIntoPodman(env);
  });

  afterAll(async () => {
    await engine?.dispose();
    if (env) {
      await execa('podman', ['rm', '--all', '--force'], { env, extendEnv: false, reject: false, timeout: 60_000 });
      await execa('podman', ['rmi', '--all', '--force'], { env, extendEnv: false, reject: false, timeout: 60_000 });
    }
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('detects Podman as ready with podman run keeping exit code 37', async () => {
    const detection = await engine.detect(never, { probe: true });
    expect(detection).toMatchObject({ state: 'ready', via: 'podman CLI (JSON)', probe: { ok: true, exitCode: 37 }, attributes: { HasPodman: true } });
    // The probe image got its label through `podman import --change`.
    expect(await podmanCli(env, ['image', 'inspect', '--format', '{{index .Labels "org.crossdock.probe"}}', 'crossdock-probe:1'])).toBe('1');
  });

  it('lists (one row per name, though podman repeats the image per name) and inspects', async () => {
    await podmanCli(env, ['tag', image.id, `${image.repository!}:second`]);
    const rows = (await engine.listImages(never)).filter((row) => row.id === image.id);
    expect(rows.map((row) => row.tag).sort()).toEqual([image.tag, 'second'].sort());
    expect(rows[0]!.repository).toBe(image.repository);
    const detail = await engine.inspectImage(image.id, never);
    expect(detail.cmd).toEqual(TEST_IMAGE_CMD);
    expect(detail.env).toContain(TEST_IMAGE_ENV);
    expect(detail.history[0]!.createdAt).not.toBeNull();
  });

  it('refuses a reference that looks like an option before podman sees it', async () => {
    const error = await apiErrorOf(engine.removeImage({ imageId: image.id, reference: '--all', force: true }));
    expect(error.kind).toBe('invalid-request');
    expect((await engine.listImages(never)).some((row) => row.id === image.id)).toBe(true);
  });

  it('says conflict when an id names several tags or a container uses the image; untags, removes, then not-found', async () => {
    const severalNames = await apiErrorOf(engine.removeImage({ imageId: image.id, reference: null, force: false }));
    expect(severalNames.kind).toBe('conflict');
    expect(severalNames.message).toMatch(/more than one tag/);

    const untag = await engine.removeImage({ imageId: image.id, reference: `${image.repository!}:second`, force: false });
    expect(untag).toEqual({ untagged: [`${image.repository!}:second`], deleted: [], layersDeleted: 0 });

    await podmanCli(env, ['create', '--network', 'none', '--name', 'crossdock-test-user', image.id]);
    const inUse = await apiErrorOf(engine.removeImage({ imageId: image.id, reference: null, force: false }));
    expect(inUse.kind).toBe('conflict');
    expect(inUse.message).toMatch(/in use by a container/);
    await podmanCli(env, ['rm', '--force', 'crossdock-test-user']);

    const removed = await engine.removeImage({ imageId: image.id, reference: null, force: false });
    expect(removed.deleted).toEqual([image.id]);
    const error = await apiErrorOf(engine.inspectImage(image.id, never));
    expect(error.kind).toBe('not-found');
  });

  it('prunes dangling images and works out what that freed', async () => {
    const dangling = await importIntoPodman(env, { named: false, distinct: true });
    try {
      const result = await engine.pruneImages();
      expect(result.deleted).toContain(dangling.id);
      expect(result.layersDeleted).toBe(0);
      expect(result.reclaimedBytes).toBeGreaterThan(0);
    } finally {
      await dangling.cleanup();
    }
  });
});
