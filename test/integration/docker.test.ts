// The Docker adapter against real daemons: the machine's shared dockerd for everything that
// leaves it as it was, and a private dockerd started here for what would disturb others (prune
// removes every dangling image of a daemon) or stop a daemon (losing the connection).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, EngineContext } from '../../electron/engines/engine';
import { createDockerEngine, dockerProvider } from '../../electron/engines/docker/provider';
import { PROBE_IMAGE_REFERENCE } from '../../electron/engines/docker-api/probe-image';
import { importIntoDocker, TEST_IMAGE_CMD, TEST_IMAGE_ENV, type TestImage } from '../fixtures/busybox-image';
import { DOCKER_SOCKET, requireDockerd, requireEngine } from '../helpers/engines';
import { apiErrorOf, waitFor } from '../helpers/waiting';
import { startPrivateDockerd, type PrivateDockerd } from '../helpers/private-dockerd';

const docker = await requireEngine('docker');
const dockerd = await requireDockerd();
const never = new AbortController().signal;
const hostEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.DOCKER_HOST;
  return env;
};
const context = (env: NodeJS.ProcessEnv): EngineContext => ({ env, runtimeDir: tmpdir(), log: () => undefined });



describe.skipIf(docker.skip)('Docker adapter on the shared daemon', () => {
  const client = new Dockerode({ socketPath: DOCKER_SOCKET });
  let engine: Engine;
  let image: TestImage;
  let probeImageExisted = false;
  const extraTags: string[] = [];
  const containers: Dockerode.Container[] = [];

  beforeAll(async () => {
    probeImageExisted = await client.getImage(PROBE_IMAGE_REFERENCE).inspect().then(() => true, () => false);
    const discovered = await dockerProvider.discover(context(hostEnv()));
    expect(discovered.map((candidate) => [candidate.id, candidate.label, candidate.family])).toEqual([['docker', 'Docker', 'docker']]);
    engine = discovered[0]!;
    image = await importIntoDocker(client);
  });

  afterAll(async () => {
    for (const container of containers) await container.remove({ force: true }).catch(() => undefined);
    for (const tag of extraTags) await client.getImage(tag).remove({ force: true }).catch(() => undefined);
    await image?.cleanup();
    // The probe image is Crossdock's own; leave the daemon as the test found it.
    if (!probeImageExisted) await client.getImage(PROBE_IMAGE_REFERENCE).remove({ force: true }).catch(() => undefined);
    await engine?.dispose();
  });

  it('reaches Docker first without a test container: "checking", with the version from /_ping', async () => {
    const reached = await engine.detect(never, { probe: false });
    const version = await client.version();
    expect(reached).toMatchObject({ state: 'checking', version: version.Version, apiVersion: version.ApiVersion, probe: { attempted: false } });
  });

  it('detects Docker as ready: version from /version and a test container that exited 37', async () => {
    const detection = await engine.detect(never, { probe: true });
    expect(detection).toMatchObject({
      state: 'ready',
      endpoint: DOCKER_SOCKET,
      via: 'Docker API over unix socket',
      message: null,
      probe: { attempted: true, ok: true, expectedExitCode: 37, exitCode: 37 },
      attributes: { HasDocker: true, HasDockerAPI: true, ProbeExitCodeKept: true, GpuFlag: '--gpus' },
    });
    const version = await client.version();
    expect(detection.version).toBe(version.Version);
    expect(detection.apiVersion).toBe(version.ApiVersion);
    // The probe's container is gone again.
    const left = await client.listContainers({ all: true, filters: { label: ['org.crossdock.probe=1'] } });
    expect(left).toEqual([]);
    // The probe image is labelled as Crossdock's.
    const probe = await client.getImage(PROBE_IMAGE_REFERENCE).inspect();
    expect(probe.Config.Labels).toMatchObject({ 'org.crossdock.probe': '1' });
  });

  it('removes finished probe containers an interrupted run left behind, never a running one', async () => {
    const create = (cmd: string[]) =>
      client.createContainer({ Image: PROBE_IMAGE_REFERENCE, Cmd: cmd, Labels: { 'org.crossdock.probe': '1' }, HostConfig: { NetworkMode: 'none' } });
    const leftOver = await create(['/probe']);
    await leftOver.start();
    await leftOver.wait();
    const running = await client.createContainer({ Image: image.reference!, Cmd: ['sleep', '60'], Labels: { 'org.crossdock.probe': '1' }, HostConfig: { NetworkMode: 'none' } });
    await running.start();
    try {
      expect((await engine.detect(never, { probe: true })).state).toBe('ready');
      await expect(leftOver.inspect()).rejects.toMatchObject({ statusCode: 404 });
      expect((await running.inspect()).State.Running).toBe(true);
    } finally {
      await running.remove({ force: true });
    }
  });

  it('lists the fixture image with its repository, tag and size', async () => {
    const rows = await engine.listImages(never);
    const row = rows.find((candidate) => candidate.id === image.id);
    const inspected = await client.getImage(image.id).inspect();
    expect(row).toMatchObject({
      engineId: 'docker',
      repository: image.repository,
      tag: image.tag,
      repoTags: [image.reference],
      sizeBytes: inspected.Size,
      dangling: false,
      labels: { 'org.crossdock.test': '1' },
    });
    expect(row!.sizeBytes).toBeGreaterThan(500_000);
    expect(row!.createdAt).not.toBeNull();
  });

  it('inspects the image: command, environment, architecture, layers and history', async () => {
    const detail = await engine.inspectImage(image.id, never);
    expect(detail.summary.id).toBe(image.id);
    expect(detail.cmd).toEqual(TEST_IMAGE_CMD);
    expect(detail.env).toContain(TEST_IMAGE_ENV);
    expect(detail.architecture).toBe(process.arch === 'x64' ? 'amd64' : process.arch);
    expect(detail.os).toBe('linux');
    expect(detail.layers).toHaveLength(1);
    expect(detail.layers[0]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(detail.history.length).toBeGreaterThanOrEqual(1);
    expect(detail.history[0]!.sizeBytes).toBe(detail.summary.sizeBytes);
  });

  it('says conflict, in Docker\'s words, when removing an image a container uses', async () => {
    const container = await client.createContainer({ Image: image.id, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
    containers.push(container);
    const error = await apiErrorOf(engine.removeImage({ imageId: image.id, reference: null, force: false }));
    expect(error.kind).toBe('conflict');
    // Docker's own words, e.g. "conflict: unable to delete 1a2b3c (must be forced) - image is being used by stopped container 4d5e6f".
    expect(error.message).toMatch(/^conflict: .*container [a-f0-9]{12}/);
    await container.remove({ force: true });
  });

  it('watches image events: tagging and untagging call onChange', async () => {
    let changes = 0;
    let lost: string | null = null;
    const watch = engine.watchImages!({ onChange: () => (changes += 1), onLost: (reason) => (lost = reason) });
    try {
      // The stream needs a moment to be open before the first event.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = `${image.repository}:watched-${image.tag}`;
      extraTags.push(second);
      await client.getImage(image.id).tag({ repo: image.repository!, tag: `watched-${image.tag}` });
      await waitFor(() => changes >= 1, 10_000, 'a tag event');
      const before = changes;
      await engine.removeImage({ imageId: image.id, reference: second, force: false });
      await waitFor(() => changes > before, 10_000, 'an untag event');
    } finally {
      await watch.dispose();
    }
    expect(lost).toBeNull();
  });

  it('untags a second tag, keeping the image, then removes the image by id; afterwards it is not-found', async () => {
    const second = `${image.repository}:second-${image.tag}`;
    extraTags.push(second);
    await client.getImage(image.id).tag({ repo: image.repository!, tag: `second-${image.tag}` });

    const untag = await engine.removeImage({ imageId: image.id, reference: second, force: false });
    expect(untag).toEqual({ untagged: [second], deleted: [], layersDeleted: 0 });
    const stillThere = (await engine.listImages(never)).filter((row) => row.id === image.id);
    expect(stillThere.map((row) => row.tag)).toEqual([image.tag]);

    const removed = await engine.removeImage({ imageId: image.id, reference: null, force: false });
    expect(removed.untagged).toEqual([image.reference]);
    // Docker's answer lists the image's own layers as "Deleted" too: only the image is named.
    expect(removed.deleted).toEqual([image.id]);
    expect(removed.layersDeleted).toBeGreaterThanOrEqual(0);
    expect((await engine.listImages(never)).some((row) => row.id === image.id)).toBe(false);

    const error = await apiErrorOf(engine.inspectImage(image.id, never));
    expect(error.kind).toBe('not-found');
    expect(error.message).toMatch(/no longer in Docker — removed outside Crossdock\?/);
    expect(error.engineId).toBe('docker');
  });

  it('reports unreachable for a socket file nobody listens on', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cdx-'));
    const socketPath = join(folder, 'dead.sock');
    // A listener killed hard leaves its socket file behind: connecting to it is refused.
    const holder = spawn(process.execPath, ['-e', "require('net').createServer().listen(process.argv[1], () => console.log('up'))", socketPath]);
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    try {
      const dead = createDockerEngine(context({ ...hostEnv(), DOCKER_HOST: `unix://${socketPath}` }));
      const detection = await dead.detect(never, { probe: true });
      expect(detection.state).toBe('unreachable');
      expect(detection.message).toBe(`Docker is not running: nothing answers on ${socketPath}.`);
      expect(detection.probe.attempted).toBe(false);
      const error = await apiErrorOf(dead.listImages(never));
      expect(error.kind).toBe('engine-unavailable');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe.skipIf(docker.skip || dockerd.skip)('Docker adapter on a private daemon that dies', () => {
  let daemon: PrivateDockerd;
  let engine: Engine;
  let client: Dockerode;

  beforeAll(async () => {
    daemon = await startPrivateDockerd();
    client = new Dockerode({ socketPath: daemon.socketPath });
    engine = createDockerEngine(context({ ...hostEnv(), DOCKER_HOST: daemon.dockerHost }));
  });

  afterAll(async () => {
    await engine?.dispose();
    await daemon?.cleanup();
  });

  it('detects the private daemon as ready through DOCKER_HOST', async () => {
    const detection = await engine.detect(never, { probe: true });
    expect(detection).toMatchObject({ state: 'ready', endpoint: daemon.socketPath, probe: { exitCode: 37 } });
  });

  it('prunes dangling images only, and says how much it freed', async () => {
    // A distinct file system: a layer shared with a named image would free no space.
    const dangling = await importIntoDocker(client, { named: false, distinct: true });
    const named = await importIntoDocker(client);
    try {
      const danglingRow = (await engine.listImages(never)).find((row) => row.id === dangling.id);
      expect(danglingRow).toMatchObject({ repository: null, tag: null, dangling: true, repoTags: [] });
      const result = await engine.pruneImages();
      expect(result.engineId).toBe('docker');
      // One image with a layer of its own: Docker answers two "Deleted" ids, one of them a layer.
      expect(result.deleted).toEqual([dangling.id]);
      expect(result.layersDeleted).toBeGreaterThanOrEqual(1);
      expect(result.reclaimedBytes).toBeGreaterThan(0);
      const ids = (await engine.listImages(never)).map((row) => row.id);
      expect(ids).not.toContain(dangling.id);
      expect(ids).toContain(named.id);
    } finally {
      await dangling.cleanup();
      await named.cleanup();
    }
  });

  it('notices the daemon dying: onLost fires, detection says unreachable, calls throw engine-unavailable', async () => {
    let lost: string | null = null;
    let lostCount = 0;
    const watch = engine.watchImages!({
      onChange: () => undefined,
      onLost: (reason) => {
        lost = reason;
        lostCount += 1;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await daemon.stop();
    await waitFor(() => lost !== null, 15_000, 'onLost');
    await watch.dispose();
    expect(lostCount).toBe(1);

    const detection = await engine.detect(never, { probe: true });
    expect(detection.state).toBe('unreachable');
    // dockerd removed its socket on the way out; dockerd is on PATH, so Docker is installed, not running.
    expect(detection.message).toMatch(/not running|no daemon answers|nothing answers/);
    expect(detection.message).toContain(daemon.socketPath);

    const error = await apiErrorOf(engine.listImages(never));
    expect(error.kind).toBe('engine-unavailable');
    expect(error.message).toBe(`Docker is not running: nothing answers on ${daemon.socketPath}.`);
  });
});
