// A target that fails in the middle of a copy: the transfer ends failed with a sentence that names
// the target (never a raw ECONNRESET or ENOSPC), and leaves no half-made image and no temporary
// files. The source is a busybox image with a 150 MB random layer in Docker; the targets fail for
// real:
// - Podman: the API service this test started on its own socket is killed (SIGKILL) while the
//   archive streams into it; a fresh service then lists nothing of the copy.
// - udocker: its `udocker load` is killed (SIGKILL) while it unpacks the archive.
// - Charliecloud and a SIF folder on a small tmpfs the test mounts: big enough for the plan's
//   space check, then filled up by the test once the copy is writing there.
// The system's dockerd and any Podman service this test did not start are never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppHost, type AppHost } from '../../electron/host/app-host';
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { socketAnswers } from '../../electron/engines/docker-api/ping';
import { encodeStorageName } from '../../electron/engines/charliecloud/names';
import type { TransferRecord, TransferStartRequest } from '../../shared/transfer';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { requireCharliecloud } from '../helpers/charliecloud';
import { isCi, requireEngine, type EngineRequirement } from '../helpers/engines';
import { listRows, workspaceEnv, type Workspace } from '../helpers/transfer-sources';
import { requireUdocker } from '../helpers/udocker';

const docker = await requireEngine('docker');
const podman = await requireEngine('podman');
const udocker = await requireUdocker();
const charliecloud = await requireCharliecloud();
const mounts = await requireTmpfsMounts();

const RANDOM_MIB = 150;

/** Mounting a tmpfs needs root and mount(8); a CI run (as root) fails instead of skipping. */
async function requireTmpfsMounts(): Promise<EngineRequirement> {
  const reason =
    process.getuid?.() !== 0 ? 'not running as root (the out-of-space cases mount a small tmpfs)' : !(await findOnPath('mount', process.env)) ? 'mount not found on PATH' : null;
  if (reason === null) return { skip: false, reason: null };
  if (isCi()) throw new Error(`the out-of-space transfer tests must run on CI, but ${reason}`);
  console.warn(`skipping the out-of-space transfer tests: ${reason}`);
  return { skip: true, reason };
}

/** Polls an async check until it holds; fails after `timeoutMs`, naming `what`. */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Running processes whose command line holds `text` as a whole argument or inside one. */
async function processesNaming(text: string): Promise<{ pid: number; args: string[] }[]> {
  const found: { pid: number; args: string[] }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (command.includes(text)) found.push({ pid: Number(entry), args: command.split('\0').filter(Boolean) });
  }
  return found;
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [] as string[]);
}

/** Fills the file system of `dir` to the last block with a file of its own; answers its path. */
async function fillUp(dir: string): Promise<string> {
  const filler = join(dir, 'filler.bin');
  const handle = await open(filler, 'w');
  try {
    for (const size of [1024 * 1024, 4096]) {
      const block = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          await handle.write(block);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    await handle.close();
  }
  return filler;
}

interface PodmanService {
  child: ChildProcess;
  socketPath: string;
  stop(): Promise<void>;
}

/** `podman system service` on a socket of its own, with its temporary files in `tmp`. */
async function startPodmanService(socketPath: string, tmp: string): Promise<PodmanService> {
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socketPath}`], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(async () => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`podman system service on ${socketPath} exited at once`);
    return socketAnswers(socketPath, 1_000);
  }, 60_000, `podman system service on ${socketPath}`);
  return {
    child,
    socketPath,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

describe.skipIf(docker.skip || podman.skip || udocker.skip || charliecloud.skip)('a target that fails in the middle of a copy', () => {
  const client = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let base: string;
  let busybox: TestImage;
  let big: string;
  let bigId: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'crossdock-failure-'));
    busybox = await importIntoDocker(client, { distinct: true });
    // busybox plus a layer of random data, built from a local context (no registry).
    const context = join(base, 'context');
    await mkdir(context, { recursive: true });
    await execa('dd', ['if=/dev/urandom', `of=${join(context, 'random.bin')}`, 'bs=1M', `count=${RANDOM_MIB}`, 'status=none']);
    await writeFile(join(context, 'Dockerfile'), `FROM ${busybox.reference}\nCOPY random.bin /random.bin\n`);
    big = `crossdock-test/failure:${Date.now().toString(36)}`;
    await execa('docker', ['build', '-q', '-t', big, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    await rm(context, { recursive: true, force: true });
    bigId = (await client.getImage(big).inspect()).Id;
  }, 300_000);

  afterAll(async () => {
    if (big) await execa('docker', ['rmi', '--force', big], { reject: false });
    await busybox?.cleanup();
    if (base) await rm(base, { recursive: true, force: true });
  }, 120_000);

  const request = (engineId: string, name: string, folder: string | null = null): TransferStartRequest => ({
    source: { engineId: 'docker', imageId: bigId, reference: big },
    targets: [{ engineId, name, replace: false, folder }],
  });

  /** Waits until the only target runs in `phase` with bytes copied; fails if it ended before. */
  async function waitUntilCopying(host: AppHost, id: string, phase: RegExp, extra: () => Promise<boolean> = async () => true): Promise<void> {
    await waitFor(
      async () => {
        const target = (await host.transfers.get(id)).targets[0]!;
        if (target.state !== 'running' && target.state !== 'pending') throw new Error(`the copy ended before the target could fail: ${JSON.stringify(target)}`);
        return target.progress.bytesDone > 0 && phase.test(target.progress.phase) && (await extra());
      },
      180_000,
      `the copy to be in its phase ${phase}`,
    );
  }

  /** The one target's end, with the record-level checks every case shares. */
  async function failedTarget(host: AppHost, id: string): Promise<TransferRecord['targets'][number]> {
    const done = await host.transfers.settled(id);
    expect(done.state).toBe('failed');
    const target = done.targets[0]!;
    expect(target.state).toBe('failed');
    expect(target.leftovers).toEqual([]);
    expect(target.result).toBeNull();
    // A sentence, not a dump of Node's error.
    expect(target.message).not.toMatch(/ECONNRESET|EPIPE|socket hang up|ENOSPC: |^Error:|\n\s+at /);
    return target;
  }

  /** Crossdock's own temporary folders for this workspace's transfers. */
  const stagingLeft = (workspace: Workspace) => entries(join(workspace.base, 'runtime', 'transfers'));

  it('Podman: its service killed during the load → failed, named, nothing in Podman, no temporary files', async () => {
    // Short names: a unix socket's path must stay under 108 bytes.
    const own = await mkdtemp('/tmp/cdpf-');
    const podmanTmp = join(own, 'tmp');
    await mkdir(podmanTmp);
    const workspace = workspaceEnv(join(base, 'podman'));
    const name = `crossdock-test/podman-killed:${Date.now().toString(36)}`;
    const services: PodmanService[] = [];
    let host: AppHost | null = null;
    try {
      const service = await startPodmanService(join(own, 'a.sock'), podmanTmp);
      services.push(service);
      host = createAppHost({ env: { ...workspace.env, CONTAINER_HOST: `unix://${service.socketPath}` }, detectOnStart: false, log: () => undefined });
      const record = await host.transfers.start(request('podman', name));
      await waitUntilCopying(host, record.id, /loading into Podman/, async () => (await entries(podmanTmp)).some((entry) => entry.startsWith('api_load.tar')));
      service.child.kill('SIGKILL');

      const target = await failedTarget(host, record.id);
      expect(target.message).toMatch(/^The connection to Podman \(rootful\) broke in the middle of the load: its API service on \/tmp\/cdpf-\S+\/a\.sock stopped or crashed/);
      expect(await stagingLeft(workspace)).toEqual([]);

      // A fresh service on the same storage: neither the name nor the image is there.
      const fresh = await startPodmanService(join(own, 'b.sock'), podmanTmp);
      services.push(fresh);
      const images = await new Dockerode({ socketPath: fresh.socketPath }).listImages({ all: true });
      expect(images.filter((image) => image.Id === bigId || (image.RepoTags ?? []).some((tag) => tag.includes('podman-killed')))).toEqual([]);
      // Podman writes the upload to $TMPDIR/api_load.tar<random> and removes it when the request
      // ends, which SIGKILL prevents; its TMPDIR is the dead service's own, beyond Crossdock's reach.
      // That one file (in this test's folder, removed below) is all the kill may leave there.
      expect((await entries(podmanTmp)).filter((entry) => !/^api_load\.tar\d*$/.test(entry))).toEqual([]);
    } finally {
      await host?.dispose();
      for (const service of services) await service.stop();
      await execa('podman', ['rmi', '--force', name], { reject: false });
      await rm(own, { recursive: true, force: true });
    }
  }, 300_000);

  it('udocker: `udocker load` killed → failed, named, no image in its repository, no temporary files', async () => {
    const workspace = workspaceEnv(join(base, 'udocker'));
    const name = `crossdock-test/udocker-killed:${Date.now().toString(36)}`;
    const host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
    let transferId = '';
    const runtime = join(workspace.base, 'runtime');
    let udockerPid = 0;
    // udocker names its temporary folder "udocker-<pid>-<uuid>-load", in $UDOCKER_TMP or /tmp.
    const unpackFolders = async (pid: number) => {
      const found: string[] = [];
      for (const dir of [join(runtime, 'transfers', transferId, '0', 'udocker-tmp'), tmpdir()]) {
        found.push(...(await entries(dir)).filter((entry) => entry.startsWith(`udocker-${pid}-`) && entry.endsWith('-load')).map((entry) => join(dir, entry)));
      }
      return found;
    };
    try {
      const record = await host.transfers.start(request('udocker', name));
      transferId = record.id;
      // udocker itself (python, `load -i ARCHIVE`), once it has made the folder it unpacks into
      // (its tar runs right after; the whole load takes about a second here, so no later moment
      // can be waited for reliably).
      await waitUntilCopying(host, record.id, /udocker load/, async () => {
        const loader = (await processesNaming(runtime)).find((proc) => proc.args.includes('load') && proc.args.some((arg) => arg.endsWith('udocker')));
        udockerPid = loader?.pid ?? 0;
        return loader !== undefined && (await unpackFolders(loader.pid)).length > 0;
      });
      process.kill(udockerPid, 'SIGKILL');

      const target = await failedTarget(host, record.id);
      expect(target.message).toMatch(/^udocker load was killed before it finished/);
      // Nothing of the load is listed, nor in its folders: no tag, no layer files.
      expect((await listRows(host, 'udocker')).filter((row) => row.repoTags.some((tag) => tag.includes('udocker-killed')))).toEqual([]);
      expect(await entries(join(workspace.base, 'udocker', 'repos', 'crossdock-test', 'udocker-killed'))).toEqual([]);
      expect(await entries(join(workspace.base, 'udocker', 'layers'))).toEqual([]);
      // No temporary archive, no udocker temporary folder, and nothing of the load still running.
      expect(await stagingLeft(workspace)).toEqual([]);
      expect(await unpackFolders(udockerPid)).toEqual([]);
      expect(await processesNaming(runtime)).toEqual([]);
    } finally {
      await host.dispose();
      // What a failing run would leave in /tmp goes all the same.
      for (const folder of udockerPid ? await unpackFolders(udockerPid) : []) await rm(folder, { recursive: true, force: true });
    }
  }, 300_000);

  describe.skipIf(mounts.skip)('out of space', () => {
    const mounted: string[] = [];

    afterAll(async () => {
      for (const dir of mounted) await execa('umount', [dir], { reject: false });
    });

    /** A tmpfs at `dir` a fifth larger than the plan says the copy needs there. */
    async function smallDisk(dir: string, host: AppHost, wanted: TransferStartRequest): Promise<void> {
      await mkdir(dir, { recursive: true });
      const size = Math.ceil(((await client.getImage(big).inspect()).Size * 1.2) / (1024 * 1024));
      await execa('mount', ['-t', 'tmpfs', '-o', `size=${size}m,mode=0755`, 'tmpfs', dir]);
      mounted.push(dir);
      const plan = await host.transfers.plan(wanted, AbortSignal.timeout(60_000));
      const entry = plan.entries[0]!;
      // The up-front check passes: the disk runs out only in the middle.
      expect(entry.problems).toEqual([]);
      expect(entry.canReceive).toBe(true);
      expect(entry.spaceFreeBytes).toBeGreaterThanOrEqual(entry.spaceNeededBytes ?? Infinity);
    }

    it('Charliecloud: its storage fills up while the layers are written → failed, says where, nothing half-made', async () => {
      const workspace = workspaceEnv(join(base, 'ch-full'));
      const host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
      const name = `crossdock-test/ch-full:${Date.now().toString(36)}`;
      let filler: string | null = null;
      try {
        await smallDisk(workspace.chStorage, host, request('charliecloud', name));
        const record = await host.transfers.start(request('charliecloud', name));
        // Files of the copy are being written into the storage's staging folder.
        await waitUntilCopying(host, record.id, /unpacking the layers/, async () => (await entries(workspace.chStorage)).some((entry) => entry.startsWith('.crossdock-transfer-')));
        filler = await fillUp(workspace.chStorage);

        const target = await failedTarget(host, record.id);
        expect(target.message).toMatch(new RegExp(`^Charliecloud ran out of space in ${escape(workspace.chStorage)}: the file system there is full`));
        expect(target.message).toMatch(/while writing \//);
        expect(await entries(join(workspace.chStorage, 'img'))).not.toContain(encodeStorageName(name));
        expect((await entries(workspace.chStorage)).filter((entry) => entry.startsWith('.'))).toEqual([]);
        expect((await listRows(host, 'charliecloud')).filter((row) => (row.location ?? '').includes('ch-full'))).toEqual([]);
        expect(await stagingLeft(workspace)).toEqual([]);
      } finally {
        await host.dispose();
        if (filler) await rm(filler, { force: true });
      }
      expect(await entries(workspace.chStorage)).not.toContain('filler.bin');
    }, 300_000);

    it('SIF: the folder fills up while mksquashfs writes the file → failed, says where, no SIF file, no temporary names', async () => {
      const workspace = workspaceEnv(join(base, 'sif-full'));
      const host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
      const name = `crossdock-test/sif-full:${Date.now().toString(36)}`;
      const wanted = request('apptainer', name, workspace.sifDir);
      let filler: string | null = null;
      try {
        await smallDisk(workspace.sifDir, host, wanted);
        const record = await host.transfers.start(wanted);
        // mksquashfs is writing the file in its temporary folder beside the final name.
        const writing = async () => {
          for (const entry of (await entries(workspace.sifDir)).filter((candidate) => candidate.includes('.crossdock-'))) {
            if (((await stat(join(workspace.sifDir, entry, 'image.sif')).catch(() => null))?.size ?? 0) > 1024 * 1024) return true;
          }
          return false;
        };
        await waitUntilCopying(host, record.id, /writing the SIF file/, writing);
        filler = await fillUp(workspace.sifDir);

        const target = await failedTarget(host, record.id);
        expect(target.message).toMatch(new RegExp(`^The SIF file's folder ${escape(workspace.sifDir)} ran out of space while \\S+\\.sif was written \\(.*No space left on device`, 'i'));
        expect((await entries(workspace.sifDir)).filter((entry) => entry !== 'filler.bin')).toEqual([]);
        expect(await stagingLeft(workspace)).toEqual([]);
      } finally {
        await host.dispose();
        if (filler) await rm(filler, { force: true });
      }
      expect(await entries(workspace.sifDir)).toEqual([]);
    }, 300_000);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
