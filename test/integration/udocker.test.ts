// udocker for real, on a private repository folder (UDOCKER_DIR in a temporary folder) and with
// no UDOCKER_* settings from the host, so Crossdock's own set-up (the system's proot and runc,
// lib/VERSION) is what is tested. Detection probes every execution mode; the busybox test image is
// imported, listed, inspected, run in P1 and in another working mode, and removed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import { ImageDetailSchema, ImageSummarySchema } from '../../shared/model';
import { PROBE_LABEL } from '../../shared/probe';
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { runUdocker, type UdockerCli } from '../../electron/engines/udocker/cli';
import { UdockerEngine } from '../../electron/engines/udocker/engine';
import { udockerEnvironment } from '../../electron/engines/udocker/environment';
import { discoverUdocker } from '../../electron/engines/udocker/provider';
import { busyboxRootTar, randomTestReference } from '../fixtures/busybox-image';
import { privateUdockerEnv, requireUdocker } from '../helpers/udocker';
import { apiErrorOf } from '../helpers/waiting';
import { writeFile } from 'node:fs/promises';

const udocker = await requireUdocker();
const uid = process.getuid?.() ?? 0;

describe.skipIf(udocker.skip)('udocker (real)', () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;
  let engine: UdockerEngine;
  let cli: UdockerCli;
  const logs: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'crossdock-udocker-'));
    env = privateUdockerEnv(join(folder, 'udocker'));
    const [found] = await discoverUdocker({ env, runtimeDir: join(folder, 'run'), log: (line) => logs.push(line) }, uid);
    engine = found as UdockerEngine;
    cli = { binaryPath: (await findOnPath('udocker', env))!, env: (await udockerEnvironment(env)).env, asRoot: uid === 0 };
  });

  afterAll(async () => {
    await engine?.dispose();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('answers "checking" with its version before the probe', async () => {
    const reached = await engine.detect(AbortSignal.timeout(30_000), { probe: false });
    expect(reached.state).toBe('checking');
    expect(reached.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(reached.apiVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(reached.probe.attempted).toBe(false);
  });

  it('probes every execution mode: P1 and P2 keep exit code 37, R modes are reported as they are', async () => {
    const detection = await engine.detect(AbortSignal.timeout(120_000), { probe: true });
    console.log(`udocker probe: ${detection.probe.message}`);
    expect(detection.state, detection.message ?? '').toBe('ready');
    expect(detection.probe).toMatchObject({ attempted: true, ok: true, exitCode: 37 });
    const working = String(detection.attributes.ExecModes).split(',');
    expect(working).toEqual(expect.arrayContaining(['P1', 'P2']));
    // HasSIF: Crossdock's SIF route (a SIF file it wrote and unpacked, run by `udocker run --location`) ran too.
    expect(detection.attributes).toMatchObject({ DefaultExecMode: 'P1', Daemonless: true, HasOCI: true, ImageFormats: 'docker,oci,sif', HasSIF: true });
    // Every R mode is classified (runc here loses the code without a terminal, or fails), never left out.
    const classified = ['ExecModes', 'ExecModesExitCodeLost', 'ExecModesFailed', 'ExecModesNotAvailable'].flatMap((key) =>
      String(detection.attributes[key] ?? '').split(',').filter(Boolean),
    );
    for (const mode of ['P1', 'P2', 'R1', 'R2', 'R3', 'F1', 'F2', 'F3', 'F4', 'S1']) expect(classified).toContain(mode);
    expect(detection.probe.message).toMatch(/P1 ok \(37\)/);
    if (String(detection.attributes.ExecModesExitCodeLost).includes('R1')) expect(detection.probe.message).toMatch(/R1 exit code lost/);
    // The test containers are gone; the test image stays and is listed as such.
    const left = await runUdocker(cli, ['ps']);
    expect(left.stdout).not.toMatch(/crossdock-probe-/);
    const probeRow = (await engine.listImages()).find((image) => image.repoTags.includes('crossdock-probe:1'));
    expect(probeRow?.labels[PROBE_LABEL]).toBe('1');
    expect(logs.join('\n')).toMatch(/lib\/VERSION|using the system's/);
  });

  it('is ready again in a later session, on the folder the first one prepared (lib/VERSION written)', async () => {
    // A new engine object stands for Crossdock started again: udocker's tools are still not its own.
    const [again] = await discoverUdocker({ env, runtimeDir: join(folder, 'run-again'), log: () => undefined }, uid);
    try {
      const detection = await again!.detect(new AbortController().signal, { probe: true });
      expect(detection.state, detection.message ?? '').toBe('ready');
      expect(String(detection.attributes.ExecModes).split(',')).toContain('P1');
    } finally {
      await again?.dispose();
    }
  });

  it('lists, inspects, runs and removes an imported busybox image', async () => {
    const name = randomTestReference();
    const tar = join(folder, 'busybox.tar');
    await writeFile(tar, busyboxRootTar());
    const imported = await runUdocker(cli, ['import', tar, name.reference], { timeoutMs: 60_000 });
    expect(imported.exitCode, imported.stderr).toBe(0);

    const rows = await engine.listImages();
    const row = rows.find((image) => image.repoTags.includes(name.reference));
    expect(row).toBeDefined();
    ImageSummarySchema.parse(row);
    expect(row).toMatchObject({ repository: name.repository, tag: name.tag, format: 'docker', containers: 0, dangling: false });
    expect(row!.id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(row!.sizeBytes).toBeGreaterThan(1_000_000);
    expect(row!.location).toBe(join(env.UDOCKER_DIR!, 'repos', name.repository, name.tag));
    expect(row!.labels['org.crossdock.incomplete']).toBeUndefined();

    const detail = ImageDetailSchema.parse(await engine.inspectImage(row!.id, AbortSignal.timeout(30_000)));
    expect(detail.architecture).toBe(process.arch === 'x64' ? 'amd64' : 'arm64');
    expect(detail.os).toBe('linux');
    expect(detail.layers).toHaveLength(1);
    expect(detail.layers[0]).toMatch(/^sha256:[a-f0-9]{64}$/);

    const detection = await engine.detect(AbortSignal.timeout(120_000), { probe: true });
    const other = String(detection.attributes.ExecModes).split(',').find((mode) => mode !== 'P1');
    expect(other).toBeDefined();
    const container = `crossdock-test-${name.tag}`;
    expect((await runUdocker(cli, ['create', `--name=${container}`, name.reference])).exitCode).toBe(0);
    try {
      for (const mode of ['P1', other!]) {
        expect((await runUdocker(cli, ['setup', `--execmode=${mode}`, container])).exitCode).toBe(0);
        expect((await runUdocker(cli, ['setup', container])).stdout).toMatch(new RegExp(`execmode: ${mode}`));
        const ran = await runUdocker(cli, ['run', '--nobanner', '--workdir=/', container, '/bin/sh', '-c', 'exit 37'], { timeoutMs: 30_000 });
        expect(ran.exitCode, `${mode}: ${ran.stderr}`).toBe(37);
      }
      expect((await engine.listImages()).find((image) => image.id === row!.id)?.containers).toBe(1);
      // The created container shows in the image's detail, by its name and id.
      const created = ImageDetailSchema.parse(await engine.inspectImage(row!.id, AbortSignal.timeout(30_000))).containers;
      expect(created).toHaveLength(1);
      expect(created![0]).toMatchObject({ name: container, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      const conflict = await apiErrorOf(engine.removeImage({ imageId: row!.id, reference: name.reference, force: false }));
      expect(conflict.kind).toBe('conflict');
    } finally {
      await runUdocker(cli, ['rm', '-f', container]);
    }

    const removed = await engine.removeImage({ imageId: row!.id, reference: name.reference, force: false });
    expect(removed.untagged).toEqual([name.reference]);
    expect((await engine.listImages()).some((image) => image.repoTags.includes(name.reference))).toBe(false);
    const gone = await apiErrorOf(engine.inspectImage(row!.id, AbortSignal.timeout(30_000)));
    expect(gone).toBeInstanceOf(ApiError);
    expect(gone.kind).toBe('not-found');
    expect(await engine.pruneImages()).toEqual({ engineId: 'udocker', deleted: [], layersDeleted: 0, reclaimedBytes: 0 });
  });

  it('reports "not-installed" without udocker on PATH', async () => {
    const [missing] = await discoverUdocker({ env: { ...env, PATH: '/nonexistent' }, runtimeDir: join(folder, 'run'), log: () => {} }, uid);
    expect((await missing!.detect(AbortSignal.timeout(5_000), { probe: true })).state).toBe('not-installed');
  });
});
