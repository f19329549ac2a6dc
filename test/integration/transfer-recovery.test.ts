// What a restart after a SIGKILL does with what the killed Crossdock left running or half-renamed.
// - The processes a target had started (`udocker load`, `mksquashfs`) are orphans that go on by
//   themselves. The restart comes at once, while they still run: it must end them before it cleans
//   up, or `udocker load` would put the image into udocker's repository after the clean-up.
// - Charliecloud replaces an image with two renames (old aside, new in). A crash between them
//   leaves the user's image only aside: the restart must put it back, unchanged, and list it.
// - A recorded pid that now belongs to another process (its start time differs) is left alone.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeStorageName } from '../../electron/engines/charliecloud/names';
import { storageImagesDir } from '../../electron/engines/charliecloud/storage';
import { createAppHost } from '../../electron/host/app-host';
import { processStartTime } from '../../electron/process/proc-stat';
import { asidePathOf } from '../../electron/transfer/endpoints/charliecloud';
import { stopChildren } from '../../electron/transfer/recovery';
import { TransferStore } from '../../electron/transfer/transfer-store';
import { treeDigest } from '../../electron/transfer/tree-digest';
import { TransferRecordSchema, type TransferRecord } from '../../shared/transfer';
import { busyboxRootTar } from '../fixtures/busybox-image';
import { requireCharliecloud } from '../helpers/charliecloud';
import { buildCli, exitCode } from '../helpers/cli';
import { requireEngine } from '../helpers/engines';
import { buildBigImage, processesNaming, serveWorkspace, stopLeftPodmanService, temporaries, waitForPhase, waitUntil, type BigImage } from '../helpers/transfer-host';
import { listRows, udockerEnv, workspaceEnv, type Workspace } from '../helpers/transfer-sources';
import { requireUdocker } from '../helpers/udocker';

const docker = await requireEngine('docker');
const udocker = await requireUdocker();
const charliecloud = await requireCharliecloud();

/** Whether `pid` is a live process (a zombie has ended: nobody reaped it yet). */
async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && /\) (\S) /.exec(stat)?.[1] !== 'Z';
}

/** The record as the killed host left it on disk (what the restart reads). */
async function recordOnDisk(workspace: Workspace, id: string): Promise<TransferRecord | null> {
  const text = await readFile(join(workspace.env.CROSSDOCK_DATA_DIR!, 'transfers', `${id}.json`), 'utf8').catch(() => null);
  const parsed = text === null ? null : TransferRecordSchema.safeParse(JSON.parse(text));
  return parsed?.success ? parsed.data : null;
}

describe('a recorded child whose pid now belongs to another process', () => {
  it('is left running; the one it names is stopped', async () => {
    const stranger = spawn('sleep', ['300'], { stdio: 'ignore' });
    const ours = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      const strangerStart = await processStartTime(stranger.pid!);
      const oursStart = await processStartTime(ours.pid!);
      expect(strangerStart).not.toBeNull();
      expect(oursStart).not.toBeNull();
      // The stranger's pid recorded with another start time: what a reused pid looks like.
      const stopped = await stopChildren(
        [
          { pid: stranger.pid!, startedAt: strangerStart! - 60_000, name: 'sleep' },
          { pid: ours.pid!, startedAt: oursStart!, name: 'sleep' },
        ],
        { log: () => undefined },
      );
      expect(stopped.map((child) => child.pid)).toEqual([ours.pid]);
      expect(await alive(stranger.pid!)).toBe(true);
      const ended = ours.exitCode !== null || ours.signalCode !== null ? ours.signalCode : await new Promise((resolve) => ours.once('exit', (_code, signal) => resolve(signal)));
      expect(ended).toBe('SIGKILL');
    } finally {
      stranger.kill('SIGKILL');
      ours.kill('SIGKILL');
    }
  });
});

describe.skipIf(docker.skip || udocker.skip || charliecloud.skip)('a restart right after a SIGKILL', () => {
  const client = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let base: string;
  let big: BigImage;
  let cli: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'crossdock-recovery-'));
    big = await buildBigImage(client, base);
    cli = buildCli('transfer-recovery').cli;
  }, 300_000);

  afterAll(async () => {
    await big?.cleanup();
    if (base) await rm(base, { recursive: true, force: true });
  }, 120_000);

  // Each case: the target, the phase its child runs in, and how to know the child on its command line.
  const CASES = [
    { engineId: 'udocker', phase: /udocker load/, child: '\0load\0' },
    { engineId: 'apptainer', phase: /writing the SIF file/, child: 'mksquashfs' },
  ] as const;

  it.each(CASES)('ends the $engineId child that still runs, then cleans up: no image, even later', async ({ engineId, phase, child }) => {
    const workspace = workspaceEnv(join(base, engineId));
    await mkdir(workspace.sifDir, { recursive: true });
    const first = await serveWorkspace(cli, workspace);
    const name = `crossdock-test/orphan:${Date.now().toString(36)}`;
    try {
      await first.api('settings.update', { imageFolders: [workspace.sifDir] });
      const image = await client.getImage(big.reference).inspect();
      const record = await first.api<TransferRecord>('transfers.start', {
        source: { engineId: 'docker', imageId: image.Id, reference: big.reference },
        targets: [{ engineId, name, replace: false, folder: null }],
      });
      await waitForPhase(first, record.id, phase, `the copy into ${engineId} to reach ${phase}`);
      // Killed once the record on disk names the running child (as the restart will read it).
      let childPid = 0;
      await waitUntil(
        async () => {
          const onDisk = await recordOnDisk(workspace, record.id);
          if (onDisk && onDisk.targets[0]!.state !== 'running') throw new Error(`the copy ended before the kill: ${onDisk.targets[0]!.state}`);
          for (const recorded of onDisk?.targets[0]!.children ?? []) {
            const command = await readFile(`/proc/${recorded.pid}/cmdline`, 'utf8').catch(() => '');
            if (command.includes(child) && (await alive(recorded.pid))) childPid = recorded.pid;
          }
          return childPid !== 0;
        },
        120_000,
        `the record to name the running ${child.replaceAll('\0', ' ').trim()}`,
      );
      first.child.kill('SIGKILL');
      await exitCode(first.child);
      // The precondition that makes this test mean something: the orphan outlived its host.
      expect(await alive(childPid)).toBe(true);

      const host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
      try {
        const after = await host.transfers.get(record.id);
        expect(await alive(childPid)).toBe(false);
        expect(await processesNaming(workspace.base)).toEqual([]);
        expect(after.state).toBe('interrupted');
        const target = after.targets[0]!;
        expect(target.state).toBe('interrupted');
        expect(target.message).toContain(`(process ${childPid}) was still running and was stopped first`);
        expect(target.leftovers).toEqual([]);
        expect(target.children).toEqual([]);
        expect(await temporaries(workspace)).toEqual([]);
        const noCopy = async () => {
          const rows = await listRows(host, engineId);
          expect(rows.filter((row) => row.repoTags.includes(name) || (row.location ?? '').includes('orphan'))).toEqual([]);
          expect((await readdir(workspace.sifDir)).filter((entry) => entry.includes('orphan'))).toEqual([]);
          if (engineId === 'udocker') {
            const images = await execa('udocker', ['--allow-root', 'images'], { env: udockerEnv(workspace.env), extendEnv: false, reject: false });
            expect(images.stdout).not.toContain('orphan');
            expect(await readdir(join(workspace.base, 'udocker', 'repos', 'crossdock-test')).catch(() => [] as string[])).not.toContain('orphan');
          }
        };
        await noCopy();
        // Long enough for the load or the SIF to have landed had its process been left running.
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        await noCopy();
        expect(await temporaries(workspace)).toEqual([]);
      } finally {
        await host.dispose();
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      await stopLeftPodmanService(workspace);
    }
  }, 300_000);

  describe('Charliecloud replacing an image, killed between its two renames', () => {
    /**
     * The user's image at `name`, then a replace transfer killed while it unpacks (a real record
     * and staging folder on disk), then the endpoint's next steps done as it does them: the aside
     * recorded in the transfer's record (through the store), the old folder renamed to
     * asidePathOf(staging), and for `second`, the staging folder renamed in as the new image.
     */
    async function killedReplace(workspace: Workspace, name: string, second: boolean) {
      const imageDir = join(storageImagesDir(workspace.env), encodeStorageName(name));
      await mkdir(imageDir, { recursive: true });
      await execa('tar', ['-x', '-C', imageDir], { input: busyboxRootTar({ distinct: true }) });
      await writeFile(join(imageDir, 'users-own-file.txt'), 'kept\n');
      const before = (await treeDigest(imageDir)).digest;

      const first = await serveWorkspace(cli, workspace);
      let record: TransferRecord;
      try {
        const image = await client.getImage(big.reference).inspect();
        record = await first.api<TransferRecord>('transfers.start', {
          source: { engineId: 'docker', imageId: image.Id, reference: big.reference },
          targets: [{ engineId: 'charliecloud', name, replace: true, folder: null }],
        });
        await waitForPhase(first, record.id, /unpacking the layers/, 'the copy into Charliecloud to be unpacking');
        first.child.kill('SIGKILL');
        await exitCode(first.child);
      } finally {
        if (first.child.exitCode === null) first.child.kill('SIGKILL');
        await stopLeftPodmanService(workspace);
      }
      const store = new TransferStore(workspace.env.CROSSDOCK_DATA_DIR!);
      const onDisk = (await store.loadAll()).find((candidate) => candidate.id === record.id)!;
      const staging = onDisk.targets[0]!.leftovers.find((path) => path.startsWith(workspace.chStorage))!;
      expect(staging).toBeTruthy();
      const aside = asidePathOf(staging);
      await store.save({ ...onDisk, targets: [{ ...onDisk.targets[0]!, asides: [{ path: imageDir, aside }] }] });
      await store.flush();
      await rename(imageDir, aside);
      let newTree: string | null = null;
      if (second) {
        await rename(staging, imageDir);
        newTree = (await treeDigest(imageDir)).digest;
      }
      return { record: record!, imageDir, aside, staging, before, newTree };
    }

    it('after the first rename: the old image is put back unchanged, listed, and nothing else is left', async () => {
      const workspace = workspaceEnv(join(base, 'ch-first'));
      const name = `crossdock-test/users:${Date.now().toString(36)}`;
      const state = await killedReplace(workspace, name, false);
      const host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
      try {
        const after = await host.transfers.get(state.record.id);
        expect(after.state).toBe('interrupted');
        expect(after.targets[0]!.state).toBe('interrupted');
        expect(after.targets[0]!.message).toContain(`The image it was replacing was put back in ${state.imageDir}.`);
        expect(after.targets[0]!.asides).toEqual([]);
        expect((await treeDigest(state.imageDir)).digest).toBe(state.before);
        expect(await readFile(join(state.imageDir, 'users-own-file.txt'), 'utf8')).toBe('kept\n');
        expect(await temporaries(workspace)).toEqual([]);
        const rows = await listRows(host, 'charliecloud');
        expect(rows.filter((row) => row.location === state.imageDir)).toHaveLength(1);
      } finally {
        await host.dispose();
      }
    }, 300_000);

    it('after the second rename: the new image stays, the old one aside is removed', async () => {
      const workspace = workspaceEnv(join(base, 'ch-second'));
      const name = `crossdock-test/users:${Date.now().toString(36)}`;
      const state = await killedReplace(workspace, name, true);
      const host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
      try {
        const after = await host.transfers.get(state.record.id);
        expect(after.targets[0]!.state).toBe('interrupted');
        expect(after.targets[0]!.message).toContain('the copy was kept there unchecked');
        expect((await treeDigest(state.imageDir)).digest).toBe(state.newTree);
        expect(await temporaries(workspace)).toEqual([]);
        expect((await listRows(host, 'charliecloud')).filter((row) => row.location === state.imageDir)).toHaveLength(1);
      } finally {
        await host.dispose();
      }
    }, 300_000);
  });
});
