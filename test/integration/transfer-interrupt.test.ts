// A transfer stopped halfway leaves no image and no temporary files. A `crossdock serve` is killed
// with SIGKILL in the middle of copying a busybox image with a 100 MB random layer into Charliecloud,
// a SIF file and udocker; the next start on the same folders marks the record interrupted and
// removes what it had made. A cancel in the middle does the same at once.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppHost } from '../../electron/host/app-host';
import type { TransferRecord } from '../../shared/transfer';
import { requireCharliecloud } from '../helpers/charliecloud';
import { buildCli, exitCode } from '../helpers/cli';
import { requireEngine } from '../helpers/engines';
import { buildBigImage, processesNaming, serveWorkspace, stopLeftPodmanService, temporaries, waitForPhase, waitUntil, type BigImage } from '../helpers/transfer-host';
import { listRows, workspaceEnv } from '../helpers/transfer-sources';
import { requireUdocker } from '../helpers/udocker';

const docker = await requireEngine('docker');
const udocker = await requireUdocker();
const charliecloud = await requireCharliecloud();

describe.skipIf(docker.skip || udocker.skip || charliecloud.skip)('a transfer stopped halfway', () => {
  const client = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let base: string;
  let bigImage: BigImage;
  let big: string;
  let cli: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'crossdock-interrupt-'));
    bigImage = await buildBigImage(client, base);
    big = bigImage.reference;
    cli = buildCli('transfer-interrupt').cli;
  }, 300_000);

  afterAll(async () => {
    await bigImage?.cleanup();
    if (base) await rm(base, { recursive: true, force: true });
  }, 120_000);

  // Each case: the target, and the moment to kill (its phase, with bytes already copied).
  const CASES = [
    { engineId: 'charliecloud', phase: /unpacking the layers/ },
    { engineId: 'apptainer', phase: /writing the SIF file/ },
    { engineId: 'udocker', phase: /writing the archive|udocker load/ },
  ] as const;

  it.each(CASES)('killed while copying into $engineId: interrupted, no image, no temporary files', async ({ engineId, phase }) => {
    const workspace = workspaceEnv(join(base, engineId));
    await execa('mkdir', ['-p', workspace.sifDir]);
    const first = await serveWorkspace(cli, workspace);
    const name = `crossdock-test/killed:${Date.now().toString(36)}`;
    try {
      await first.api('settings.update', { imageFolders: [workspace.sifDir] });
      const image = await client.getImage(big).inspect();
      const record = await first.api<TransferRecord>('transfers.start', { source: { engineId: 'docker', imageId: image.Id, reference: big }, targets: [{ engineId, name, replace: false, folder: null }] });
      await waitForPhase(first, record.id, phase, `the copy into ${engineId} to be halfway`);
      expect(await temporaries(workspace)).not.toEqual([]); // there is something to clean up
      first.child.kill('SIGKILL');
      await exitCode(first.child);
      // The killed host's children (mksquashfs, udocker load) may still run: the restart right
      // away ends them before it cleans up (transfer-recovery.test.ts watches that closely).

      const host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
      try {
        const after = await host.transfers.get(record.id);
        expect(after.state).toBe('interrupted');
        expect(after.targets[0]!.state).toBe('interrupted');
        expect(after.targets[0]!.leftovers).toEqual([]);
        expect(await processesNaming(workspace.base)).toEqual([]);
        expect(await temporaries(workspace)).toEqual([]);
        const rows = await listRows(host, engineId);
        expect(rows.filter((row) => row.repoTags.some((tag) => tag.includes('killed')) || (row.location ?? '').includes('killed'))).toEqual([]);
        expect((await readdir(join(workspace.chStorage, 'img')).catch(() => [] as string[])).filter((entry) => entry.includes('killed'))).toEqual([]);
        expect((await readdir(workspace.sifDir)).filter((entry) => entry.includes('killed'))).toEqual([]);
      } finally {
        await host.dispose();
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      await stopLeftPodmanService(workspace);
    }
  }, 300_000);

  it('a cancel halfway: cancelled, no image, no temporary files', async () => {
    const workspace = workspaceEnv(join(base, 'cancel'));
    const host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
    try {
      const image = await client.getImage(big).inspect();
      const name = `crossdock-test/cancelled:${Date.now().toString(36)}`;
      const record = await host.transfers.start({ source: { engineId: 'docker', imageId: image.Id, reference: big }, targets: [{ engineId: 'charliecloud', name, replace: false, folder: null }] });
      await waitUntil(
        async () => {
          const target = (await host.transfers.get(record.id)).targets[0]!;
          if (target.state !== 'running' && target.state !== 'pending') throw new Error(`ended before the cancel: ${target.state}`);
          return target.progress.bytesDone > 0 && (target.progress.bytesTotal === null || target.progress.bytesDone < target.progress.bytesTotal);
        },
        120_000,
        'bytes to be copied',
      );
      const cancelled = await host.transfers.cancel(record.id);
      expect(cancelled.state).toBe('cancelled');
      expect(cancelled.targets[0]!.state).toBe('cancelled');
      expect(cancelled.targets[0]!.progress.bytesDone).toBeGreaterThan(0);
      expect(await temporaries(workspace)).toEqual([]);
      expect((await readdir(join(workspace.chStorage, 'img')).catch(() => [] as string[])).filter((entry) => entry.includes('cancelled'))).toEqual([]);
      expect((await listRows(host, 'charliecloud')).filter((row) => (row.location ?? '').includes('cancelled'))).toEqual([]);
    } finally {
      await host.dispose();
    }
  }, 300_000);

});
