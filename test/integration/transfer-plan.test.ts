// transfers.plan against real engines: an image whose config says another CPU architecture is
// refused for an engine that would run it here (and only warned about for a SIF file, which is
// carried, not run), and a target folder too small for the image (a 1 MB tmpfs) is refused before
// anything is written. transfers.start refuses the same and leaves nothing behind.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppHost, type AppHost } from '../../electron/host/app-host';
import { HOST_ARCHITECTURE } from '../../electron/transfer/transfer-manager';
import type { TransferPlan } from '../../shared/transfer';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { requireCharliecloud } from '../helpers/charliecloud';
import { requireEngine } from '../helpers/engines';
import { call, workspaceEnv, type Workspace } from '../helpers/transfer-sources';

const docker = await requireEngine('docker');
const charliecloud = await requireCharliecloud();
const FOREIGN = HOST_ARCHITECTURE === 'arm64' ? 's390x' : 'arm64';

describe.skipIf(docker.skip || charliecloud.skip)('transfers.plan refuses what cannot work', () => {
  const client = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let workspace: Workspace;
  let host: AppHost;
  let image: TestImage;
  let foreign: string;
  let tiny: string | null = null;

  beforeAll(async () => {
    workspace = workspaceEnv(await mkdtemp(join(tmpdir(), 'crossdock-plan-')));
    host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
    image = await importIntoDocker(client, { distinct: true });
    // Another architecture without a registry: docker save, the config's "architecture" edited by
    // hand (the file renamed to its new digest, manifest.json following), docker load.
    const dir = join(workspace.base, 'archive');
    await execa('mkdir', ['-p', dir]);
    await execa('sh', ['-c', 'docker save "$1" | tar -x -C "$2"', 'sh', image.reference!, dir]);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { Config: string; RepoTags: string[] }[];
    const config = JSON.parse(await readFile(join(dir, manifest[0]!.Config), 'utf8')) as Record<string, unknown>;
    config.architecture = FOREIGN;
    const text = JSON.stringify(config);
    const digest = (await import('node:crypto')).createHash('sha256').update(text).digest('hex');
    await rm(join(dir, manifest[0]!.Config));
    await writeFile(join(dir, `${digest}.json`), text);
    foreign = `crossdock-test/foreign:${Date.now().toString(36)}`;
    manifest[0] = { ...manifest[0]!, Config: `${digest}.json`, RepoTags: [foreign] };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await rm(join(dir, 'repositories'), { force: true });
    await execa('sh', ['-c', 'tar -c -C "$1" . | docker load -q', 'sh', dir]);
    await rm(dir, { recursive: true, force: true });
  }, 120_000);

  afterAll(async () => {
    await host?.dispose();
    if (foreign) await execa('docker', ['rmi', '--force', foreign], { reject: false });
    await image?.cleanup();
    if (tiny) await execa('umount', [tiny], { reject: false });
    if (workspace) await rm(workspace.base, { recursive: true, force: true });
  }, 120_000);

  const planFor = (reference: string, id: string, targets: { engineId: string; folder?: string | null }[]) =>
    call<TransferPlan>(host, 'transfers.plan', { source: { engineId: 'docker', imageId: id, reference }, targets: targets.map((t) => ({ name: null, replace: false, folder: null, ...t })) });

  it(`an ${FOREIGN} image: refused for Charliecloud and udocker (they would run it here), a warning for a SIF file`, async () => {
    const id = (await client.getImage(foreign).inspect()).Id;
    expect((await client.getImage(foreign).inspect()).Architecture).toBe(FOREIGN);
    await execa('mkdir', ['-p', workspace.sifDir]);
    const plan = await planFor(foreign, id, [{ engineId: 'charliecloud' }, { engineId: 'udocker' }, { engineId: 'apptainer', folder: workspace.sifDir }]);
    const [ch, ud, sif] = plan.entries;
    for (const entry of [ch!, ud!]) {
      expect(entry.canReceive).toBe(false);
      expect(entry.sourceArchitecture).toBe(FOREIGN);
      expect(entry.problems.join(' ')).toContain(`The image is for ${FOREIGN}, this machine is ${HOST_ARCHITECTURE}`);
    }
    expect(sif!.canReceive).toBe(true);
    expect(sif!.warnings.join(' ')).toContain(`The image is for ${FOREIGN}`);
    // start refuses the same, before making anything.
    await expect(host.transfers.start({ source: { engineId: 'docker', imageId: id, reference: foreign }, targets: [{ engineId: 'charliecloud', name: 'crossdock-test/foreign:x', replace: false, folder: null }] })).rejects.toThrow(
      new RegExp(`The image is for ${FOREIGN}`),
    );
    expect(await readdir(join(workspace.chStorage, 'img')).catch(() => [] as string[])).toEqual([]);
  }, 60_000);

  it('a SIF folder on a 1 MB tmpfs: not enough space, said before anything is written', async () => {
    tiny = join(workspace.base, 'tiny');
    await execa('mkdir', ['-p', tiny]);
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', tiny], { reject: false });
    if (mounted.exitCode !== 0) throw new Error(`cannot mount a tmpfs here (root is needed): ${mounted.stderr}`);
    const plan = await planFor(image.reference!, image.id, [{ engineId: 'apptainer', folder: tiny }]);
    const entry = plan.entries[0]!;
    expect(entry.canReceive).toBe(false);
    expect(entry.spaceWhere).toBe(tiny);
    expect(entry.spaceFreeBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(entry.spaceNeededBytes).toBeGreaterThan(entry.spaceFreeBytes!);
    expect(entry.problems.join(' ')).toMatch(new RegExp(`Not enough space in ${tiny}: [\\d.]+ MB needed, [\\d.]+ MB free`));
    await expect(host.transfers.start({ source: { engineId: 'docker', imageId: image.id, reference: image.reference }, targets: [{ engineId: 'apptainer', name: 'crossdock-test/tiny:x', replace: false, folder: tiny }] })).rejects.toThrow(/Not enough space/);
    expect(await readdir(tiny)).toEqual([]);
  }, 60_000);
});
