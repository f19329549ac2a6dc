// Every pair among Docker, Podman, udocker, Charliecloud and SIF files, for real, through the app
// host's transfer manager: the copy runs on the target with its exit code kept (a SIF through
// ch-run of its unsquashed partition, Apptainer being absent here), and its file tree equals the
// source's. Which paths the comparison leaves out, and why: test/helpers/transfer-sources.ts.
// One source image per engine, made by that engine's own tools, serves every pair it starts.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppHost, type AppHost } from '../../electron/host/app-host';
import { requireCharliecloud } from '../helpers/charliecloud';
import { requireEngine } from '../helpers/engines';
import { call, ENDPOINTS, makeSource, runOnTarget, treeOfImage, workspaceEnv, type EndpointId, type SourceImage, type Workspace } from '../helpers/transfer-sources';
import { requireUdocker } from '../helpers/udocker';

const docker = await requireEngine('docker');
const podman = await requireEngine('podman');
const udocker = await requireUdocker();
const charliecloud = await requireCharliecloud();

const PAIRS = ENDPOINTS.flatMap((from) => ENDPOINTS.filter((to) => to !== from).map((to) => [from, to] as const));
const LABEL: Record<EndpointId, string> = { docker: 'Docker', podman: 'Podman', udocker: 'udocker', charliecloud: 'Charliecloud', apptainer: 'SIF' };

describe.skipIf(docker.skip || podman.skip || udocker.skip || charliecloud.skip)('transfers between every pair of engines', () => {
  const client = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let workspace: Workspace;
  let host: AppHost;
  const sources = new Map<EndpointId, SourceImage & { tree: string }>();
  const made: { engineId: EndpointId; name: string }[] = [];

  beforeAll(async () => {
    workspace = workspaceEnv(await mkdtemp(join(tmpdir(), 'crossdock-matrix-')));
    host = createAppHost({ env: workspace.env, detectOnStart: false, log: () => undefined });
    await execa('mkdir', ['-p', workspace.sifDir, join(workspace.base, 'scratch')]);
    await call(host, 'settings.update', { imageFolders: [workspace.sifDir] });
    for (const engineId of ENDPOINTS) {
      const source = await makeSource(engineId, host, workspace, client);
      sources.set(engineId, { ...source, tree: await treeOfImage(host, workspace.env, engineId, source.imageId, source.reference, join(workspace.base, 'scratch')) });
    }
  }, 300_000);

  afterAll(async () => {
    await host?.dispose();
    for (const source of sources.values()) await source.cleanup().catch(() => undefined);
    for (const { engineId, name } of made) {
      if (engineId === 'docker' || engineId === 'podman') await execa(engineId, ['rmi', '--force', name], { reject: false });
    }
    if (workspace) await rm(workspace.base, { recursive: true, force: true });
  }, 300_000);

  it('the sources of every engine hold the same files (the same busybox root, one random file apart)', () => {
    expect([...sources.keys()]).toEqual(ENDPOINTS);
    expect(new Set([...sources.values()].map((source) => source.tree)).size).toBe(ENDPOINTS.length);
  });

  it.each(PAIRS.map(([from, to]) => [`${LABEL[from]} → ${LABEL[to]}`, from, to] as const))('%s: runs on the target with its exit code, same file tree', async (_label, from, to) => {
    const source = sources.get(from)!;
    const name = `crossdock-test/matrix:${from.slice(0, 3)}-${to.slice(0, 3)}-${Date.now().toString(36)}`;
    made.push({ engineId: to, name: to === 'podman' ? `localhost/${name}` : name });
    const started = Date.now();
    const record = await host.transfers.start({
      source: { engineId: from, imageId: source.imageId, reference: source.reference },
      targets: [{ engineId: to, name, replace: false, folder: null }],
    });
    const ended = await host.transfers.settled(record.id);
    const target = ended.targets[0]!;
    console.log(`${LABEL[from]} → ${LABEL[to]}: ${Date.now() - started} ms (${target.progress.bytesDone} bytes)${target.message ? `: ${target.message}` : ''}`);
    expect(target.message).toBeNull();
    expect(target.state).toBe('done');
    expect(ended.state).toBe('done');

    // Where the copy is, as the target engine lists it.
    const result = target.result!;
    const imageId = result.imageId!;
    const reference = to === 'charliecloud' || to === 'apptainer' ? null : (result.reference ?? name);
    expect(await treeOfImage(host, workspace.env, to, imageId, reference, join(workspace.base, 'scratch'))).toBe(source.tree);
    expect(await runOnTarget(to, workspace, reference ?? name, result.location, join(workspace.base, 'scratch'))).toBe(37);

    // Nothing temporary is left: the runtime folder's transfers/, Charliecloud's staging, the SIF folder's work folders.
    expect(await readdir(join(workspace.base, 'runtime', 'transfers')).catch(() => [])).toEqual([]);
    expect((await readdir(workspace.chStorage).catch(() => [] as string[])).filter((entry) => entry.startsWith('.'))).toEqual([]);
    expect((await readdir(workspace.sifDir)).filter((entry) => entry.startsWith('.'))).toEqual([]);
  }, 240_000);
});
