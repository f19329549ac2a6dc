// Real transfers between the engines of this machine, through the app host's transfer manager:
// the copy runs on the target (exit code kept) and its file tree equals the source's. Charliecloud's
// ch/ folder is left out of its tree: it is Charliecloud's own metadata (ch-image writes it beside
// every image), not one of the image's files.
import { execa } from 'execa';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppHost, type AppHost } from '../../electron/host/app-host';
import { archiveToRootfs } from '../../electron/transfer/archive-to-rootfs';
import { treeDigest } from '../../electron/transfer/tree-digest';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { requireEngine } from '../helpers/engines';
import { requireUdocker, privateUdockerEnv } from '../helpers/udocker';
import { requireCharliecloud } from '../helpers/charliecloud';

const docker = await requireEngine('docker');
const podman = await requireEngine('podman');
const udocker = await requireUdocker();
const charliecloud = await requireCharliecloud();

describe.skipIf(docker.skip || podman.skip || udocker.skip || charliecloud.skip)('transfers between real engines', () => {
  const client = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let base: string;
  let host: AppHost;
  let image: TestImage;
  let env: NodeJS.ProcessEnv;
  let sourceTree: string;
  const podmanNames: string[] = [];

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'crossdock-transfer-'));
    env = {
      ...privateUdockerEnv(join(base, 'udocker')),
      CROSSDOCK_CONFIG_DIR: join(base, 'config'),
      CROSSDOCK_DATA_DIR: join(base, 'data'),
      CROSSDOCK_RUNTIME_DIR: join(base, 'runtime'),
      CH_IMAGE_STORAGE: join(base, 'ch'),
    };
    host = createAppHost({ env, detectOnStart: false, log: () => undefined });
    image = await importIntoDocker(client, { distinct: true });
    // The source's tree, made independently of the transfer: docker save through the converter.
    const dir = join(base, 'source-tree');
    await execa('mkdir', ['-p', dir, join(base, 'spool')]);
    await archiveToRootfs({ archive: (await client.getImage(image.id).get()) as never, rootDir: dir, spoolDir: join(base, 'spool'), signal: AbortSignal.timeout(60_000) });
    sourceTree = (await treeDigest(dir)).digest;
  }, 120_000);

  afterAll(async () => {
    await host?.dispose();
    await image?.cleanup();
    for (const name of podmanNames) await execa('podman', ['rmi', '--force', name], { reject: false });
    await rm(base, { recursive: true, force: true });
  }, 120_000);

  const copy = async (targets: { engineId: string; name: string; replace?: boolean }[]) => {
    const record = await host.transfers.start({ source: { engineId: 'docker', imageId: image.id, reference: image.reference }, targets: targets.map((t) => ({ replace: false, folder: null, ...t })) });
    return host.transfers.settled(record.id);
  };

  it('Docker → Podman: streamed, same image id, runs with its exit code', async () => {
    const name = `crossdock-test/transfer:${Date.now().toString(36)}`;
    podmanNames.push(name);
    const done = await copy([{ engineId: 'podman', name }]);
    const target = done.targets[0]!;
    expect(target.message).toBeNull();
    expect(target.state).toBe('done');
    expect(target.result?.imageId).toBe(image.id);
    expect(target.progress.layersDone).toBe(1);
    const run = await execa('podman', ['run', '--rm', '--network', 'none', name, 'sh', '-c', 'exit 37'], { reject: false });
    expect(run.exitCode).toBe(37);
  }, 180_000);

  it('Docker → udocker: loaded, layers matched, tree equal, runs with its exit code, no temp file left', async () => {
    const name = `crossdock-test/transfer:u${Date.now().toString(36)}`;
    const done = await copy([{ engineId: 'udocker', name }]);
    const target = done.targets[0]!;
    expect(target.message).toBeNull();
    expect(target.state).toBe('done');
    // Its tree: udocker's layer files applied in order by the same converter.
    const rows = ((await host.router.call('images.list', { engineId: 'udocker' }, { transport: 'web', signal: AbortSignal.timeout(30_000) } as never)) as { result: unknown }).result;
    const row = (rows as { id: string; repoTags: string[]; contentDigest?: string }[]).find((r) => r.repoTags.includes(name));
    expect(row?.contentDigest).toBe(image.id);
    const run = await execa('udocker', ['--allow-root', 'run', '--rm', '-w', '/', name, 'sh', '-c', 'exit 37'], { env: { ...env, UDOCKER_USE_PROOT_EXECUTABLE: '/usr/bin/proot' }, extendEnv: false, reject: false });
    expect(run.exitCode).toBe(37);
    expect(await readdir(join(base, 'runtime', 'transfers')).catch(() => [])).toEqual([]);
  }, 180_000);

  it('Docker → Charliecloud: a directory image whose tree equals the source, runs in ch-run', async () => {
    const name = `crossdock-test/transfer:c${Date.now().toString(36)}`;
    const done = await copy([{ engineId: 'charliecloud', name }]);
    const target = done.targets[0]!;
    expect(target.message).toBeNull();
    expect(target.result?.treeDigest).toBe(sourceTree);
    const location = target.result!.location!;
    expect((await treeDigest(location, { exclude: ['ch'] })).digest).toBe(sourceTree);
    const run = await execa('ch-run', [location, '--', 'sh', '-c', 'exit 37'], { env: { ...process.env, USER: process.env.USER ?? 'root' }, reject: false });
    expect(run.exitCode).toBe(37);
    // Nothing temporary beside the storage.
    expect((await readdir(join(base, 'ch'))).filter((entry) => entry.startsWith('.crossdock'))).toEqual([]);

    // And back: Charliecloud → Docker, one layer, same tree.
    const back = `crossdock-test/transfer:back${Date.now().toString(36)}`;
    const rows = ((await host.router.call('images.list', { engineId: 'charliecloud' }, { transport: 'web', signal: AbortSignal.timeout(30_000) } as never)) as { result: { id: string; location?: string }[] }).result;
    const row = rows.find((r) => r.location === location)!;
    const returned = await host.transfers.start({ source: { engineId: 'charliecloud', imageId: row.id, reference: null }, targets: [{ engineId: 'docker', name: back, replace: false, folder: null }] });
    const ended = await host.transfers.settled(returned.id);
    expect(ended.targets[0]!.message).toBeNull();
    try {
      const dir = join(base, 'back-tree');
      await execa('mkdir', ['-p', dir]);
      await archiveToRootfs({ archive: (await client.getImage(back).get()) as never, rootDir: dir, spoolDir: join(base, 'spool'), signal: AbortSignal.timeout(60_000) });
      expect((await treeDigest(dir)).digest).toBe(sourceTree);
      const container = await execa('docker', ['run', '--rm', '--network', 'none', back, 'sh', '-c', 'exit 37'], { reject: false });
      expect(container.exitCode).toBe(37);
    } finally {
      await client.getImage(back).remove({ force: true }).catch(() => undefined);
    }
  }, 240_000);

  it('refuses bad input and changes nothing', async () => {
    const source = { engineId: 'docker', imageId: image.id, reference: image.reference };
    await expect(host.transfers.start({ source: { ...source, imageId: 'sha256:' + '0'.repeat(64), reference: null }, targets: [{ engineId: 'charliecloud', name: 'x/y:1', replace: false, folder: null }] })).rejects.toThrow(/no image/i);
    await expect(host.transfers.start({ source, targets: [{ engineId: 'no-such-engine', name: 'x/y:1', replace: false, folder: null }] })).rejects.toThrow(/no engine/i);
    await expect(host.transfers.start({ source, targets: [{ engineId: 'charliecloud', name: 'a/../../../etc:x', replace: false, folder: null }] })).rejects.toThrow(/"\.\." part/);
    // A name that exists needs replace.
    await expect(host.transfers.start({ source, targets: [{ engineId: 'docker', name: image.reference!, replace: false, folder: null }] })).rejects.toThrow(/exists already|already in this engine/);
  }, 60_000);

  it('a cancelled transfer leaves no image and no temporary files', async () => {
    const name = `crossdock-test/transfer:x${Date.now().toString(36)}`;
    const record = await host.transfers.start({ source: { engineId: 'docker', imageId: image.id, reference: image.reference }, targets: [{ engineId: 'charliecloud', name, replace: false, folder: null }] });
    await host.transfers.cancel(record.id).catch(() => undefined);
    const ended = await host.transfers.settled(record.id);
    if (ended.targets[0]!.state === 'cancelled') {
      expect(await readdir(join(base, 'ch', 'img')).then((names) => names.filter((n) => n.includes('transfer+x')))).toEqual([]);
    }
    expect((await readdir(join(base, 'ch'))).filter((entry) => entry.startsWith('.crossdock'))).toEqual([]);
    expect(await readdir(join(base, 'runtime', 'transfers')).catch(() => [])).toEqual([]);
  }, 60_000);
});
