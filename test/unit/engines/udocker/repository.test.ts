// udocker's repository read from folders laid out as a real `udocker import` leaves them (seen
// with udocker 1.3.17): repos/<name>/<tag>/{TAG,v1,ancestry,<id>.json,<id>.layer} with the last
// two linked into layers/, and containers/<uuid>/imagerepo.name with a name link to the uuid.
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageSummarySchema } from '../../../../shared/model';
import { runInOwnGroup } from '../../../../electron/engines/udocker/cli';
import { markToolsPresent, udockerDir, udockerEnvironment } from '../../../../electron/engines/udocker/environment';
import { UdockerEngine } from '../../../../electron/engines/udocker/engine';
import { countContainers, manifestLayers, readRepository } from '../../../../electron/engines/udocker/repository';
import { recordedText } from '../recorded';

const LAYER = '4edb1dd091275c95c0fdcc2862c5941c3435f250df85759cade65ab1ebd29a70';
let dir: string;

/** A killed process whose parent died may stay a zombie until init reaps it: it no longer runs. */
async function goneOrZombie(pid: number): Promise<boolean> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1] ?? '';
    return fields.startsWith('Z') || fields.startsWith('X');
  } catch {
    return true;
  }
}

async function importedTag(repository: string, tag: string, layer: string, options: { layerBytes?: number; ancestry?: string } = {}) {
  const folder = join(dir, 'repos', repository, tag);
  await mkdir(folder, { recursive: true });
  await mkdir(join(dir, 'layers'), { recursive: true });
  await writeFile(join(folder, 'TAG'), `${join(dir, 'repos', repository)}:${tag}`);
  await writeFile(join(folder, 'v1'), '');
  await writeFile(join(folder, 'ancestry'), options.ancestry ?? JSON.stringify([layer]));
  await writeFile(join(dir, 'layers', `${layer}.json`), recordedText('udocker-inspect.json').replace(/"id": "[a-f0-9]+"/, `"id": "${layer}"`));
  if (options.layerBytes !== 0) await writeFile(join(dir, 'layers', `${layer}.layer`), Buffer.alloc(options.layerBytes ?? 10_240));
  const up = '../'.repeat(repository.split('/').length + 2);
  await symlink(`${up}layers/${layer}.json`, join(folder, `${layer}.json`));
  await symlink(`${up}layers/${layer}.layer`, join(folder, `${layer}.layer`));
  return folder;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossdock-udocker-repo-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('udocker repository folders', () => {
  it('lists each tag with its folder, size, time and id', async () => {
    const folder = await importedTag('crossdock-test/busybox', 't1', LAYER);
    const logs: string[] = [];
    const [image, ...rest] = await readRepository(dir, (line) => logs.push(line));
    expect(rest).toHaveLength(0);
    expect(logs).toEqual([]);
    expect(image).toMatchObject({
      repository: 'crossdock-test/busybox',
      tag: 't1',
      reference: 'crossdock-test/busybox:t1',
      folder,
      id: LAYER,
      format: 'v1',
      sizeBytes: 10_240,
      incomplete: null,
      layers: [LAYER],
    });
    expect(image!.createdAt).toBe((await stat(folder)).mtime.toISOString());
  });

  it('counts the containers made from an image, not their name links', async () => {
    await importedTag('crossdock-probe', '1', LAYER);
    const uuid = '3bd371e6-0585-33b7-a4f7-9bb10fd02060';
    await mkdir(join(dir, 'containers', uuid, 'ROOT'), { recursive: true });
    await writeFile(join(dir, 'containers', uuid, 'imagerepo.name'), 'crossdock-probe:1');
    await symlink(uuid, join(dir, 'containers', 'c1'));
    expect(await countContainers(dir, () => {})).toEqual(new Map([['crossdock-probe:1', [uuid]]]));

    const engine = new UdockerEngine({ binaryPath: null, env: { UDOCKER_DIR: dir, PATH: '' }, runtimeDir: dir, log: () => {}, uid: 1000 });
    const [row] = await engine.listImages();
    ImageSummarySchema.parse(row);
    expect(row).toMatchObject({ id: `sha256:${LAYER}`, containers: 1, format: 'docker', labels: { 'org.crossdock.probe': '1' } });
    await expect(engine.removeImage({ imageId: LAYER, reference: 'crossdock-probe:1', force: false })).rejects.toMatchObject({ kind: 'conflict' });
    await expect(engine.inspectImage('abcdef', AbortSignal.timeout(1000))).rejects.toMatchObject({ kind: 'not-found' });
    const detail = await engine.inspectImage(LAYER.slice(0, 12), AbortSignal.timeout(1000));
    expect(detail).toMatchObject({ architecture: 'amd64', os: 'linux', env: [], cmd: null });
    const recordedConfig = JSON.parse(recordedText('udocker-inspect.json')) as { rootfs: { diff_ids: string[] } };
    expect(detail.layers).toEqual(recordedConfig.rootfs.diff_ids);
  });

  it('marks a half-written tag (interrupted pull) instead of failing the list', async () => {
    await importedTag('good/one', 'a', LAYER);
    await importedTag('broken/layer', 'b', 'b'.repeat(64), { layerBytes: 0 });
    await importedTag('broken/ancestry', 'c', 'c'.repeat(64), { ancestry: '' });
    const bare = join(dir, 'repos', 'broken', 'bare', 'd');
    await mkdir(bare, { recursive: true });
    await writeFile(join(bare, 'TAG'), 'x');
    await mkdir(join(dir, 'repos', 'empty', 'repository'), { recursive: true });

    const engine = new UdockerEngine({ binaryPath: null, env: { UDOCKER_DIR: dir, PATH: '' }, runtimeDir: dir, log: () => {}, uid: 1000 });
    const rows = await engine.listImages();
    for (const row of rows) ImageSummarySchema.parse(row);
    const marks = Object.fromEntries(rows.map((row) => [row.repoTags[0], row.labels['org.crossdock.incomplete'] ?? null]));
    expect(marks).toEqual({
      'broken/ancestry:c': 'ancestry missing or empty',
      'broken/bare:d': 'no ancestry or manifest (an interrupted pull?)',
      'broken/layer:b': `layer ${'b'.repeat(64)} missing`,
      'good/one:a': null,
    });
    // The incomplete rows still carry valid ids (a hash of their name when no layer names one).
    expect(rows.every((row) => /^sha256:[a-f0-9]{64}$/.test(row.id))).toBe(true);
  });

  it('an absent repository lists nothing; v2 manifests give their layers', async () => {
    expect(await readRepository(join(dir, 'nothing'), () => {})).toEqual([]);
    expect(manifestLayers({ schemaVersion: 2, config: { digest: 'sha256:aa' }, layers: [{ digest: 'sha256:l1' }, { digest: 'sha256:l2' }] })).toEqual({
      layers: ['sha256:l1', 'sha256:l2'],
      config: 'sha256:aa',
    });
    expect(manifestLayers({ fsLayers: [{ blobSum: 'sha256:top' }, { blobSum: 'sha256:base' }] })).toEqual({ layers: ['sha256:base', 'sha256:top'], config: null });
    expect(manifestLayers('')).toBeNull();
    expect(manifestLayers({ layers: [] })).toBeNull();
  });
});

describe('udocker environment', () => {
  it('honours UDOCKER_DIR, else ~/.udocker', () => {
    expect(udockerDir({ UDOCKER_DIR: '/x/y' })).toBe('/x/y');
    expect(udockerDir({ HOME: '/home/u' })).toBe('/home/u/.udocker');
  });

  it('keeps what the user set and adds only what is missing', async () => {
    const environment = await udockerEnvironment({ UDOCKER_DIR: dir, PATH: '/usr/sbin:/usr/bin', UDOCKER_USE_PROOT_EXECUTABLE: '/mine/proot' });
    expect(environment.env.UDOCKER_USE_PROOT_EXECUTABLE).toBe('/mine/proot');
    expect(environment.added.UDOCKER_USE_PROOT_EXECUTABLE).toBeUndefined();
  });

  it('still adds the stand-ins once lib/VERSION is there, as long as udocker has no engines of its own in bin/', async () => {
    const own = join(dir, 'own-tools');
    await mkdir(join(own, 'lib'), { recursive: true });
    await writeFile(join(own, 'lib', 'VERSION'), '1.2.11\n');
    // A proot on PATH, so the test does not depend on the machine's (Debian's /usr/bin/proot wins where present).
    const systemBin = join(dir, 'system-bin');
    await mkdir(systemBin, { recursive: true });
    await writeFile(join(systemBin, 'proot'), '#!/bin/sh\n', { mode: 0o755 });
    const standIns = await udockerEnvironment({ UDOCKER_DIR: own, PATH: systemBin });
    expect(standIns.added.UDOCKER_USE_PROOT_EXECUTABLE).toMatch(/proot$/);
    await mkdir(join(own, 'bin'), { recursive: true });
    await writeFile(join(own, 'bin', 'proot-x86_64'), '');
    expect((await udockerEnvironment({ UDOCKER_DIR: own, PATH: systemBin })).added).toEqual({});
  });

  it('writes lib/VERSION only when the tools are missing, no tarball is set and a stand-in exists', async () => {
    const base = { dir, added: {} };
    expect(await markToolsPresent({ ...base, env: { UDOCKER_TARBALL: '' , UDOCKER_USE_PROOT_EXECUTABLE: '/usr/bin/proot' } }, '1.2.11')).toBeNull();
    expect(await markToolsPresent({ ...base, env: {} }, '1.2.11')).toBeNull();
    const said = await markToolsPresent({ ...base, env: { UDOCKER_USE_PROOT_EXECUTABLE: '/usr/bin/proot' } }, '1.2.11');
    expect(said).toMatch(/wrote 1\.2\.11 into .*lib\/VERSION/);
    expect(await readFile(join(dir, 'lib', 'VERSION'), 'utf8')).toBe('1.2.11\n');
    expect(await markToolsPresent({ ...base, env: { UDOCKER_USE_PROOT_EXECUTABLE: '/usr/bin/proot' } }, '1.2.11')).toBeNull();
  });
});

describe('running udocker in its own process group', () => {
  it('a timeout kills the whole group, children included', async () => {
    const pidFile = join(dir, 'child.pid');
    const outcome = await runInOwnGroup('/bin/sh', ['-c', `sleep 30 & echo $! > ${pidFile}; wait`], { PATH: '/usr/bin:/bin' }, { timeoutMs: 500 });
    expect(outcome).toMatchObject({ timedOut: true, exitCode: null });
    const child = Number(await readFile(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await goneOrZombie(child)).toBe(true);
  });

  it('an abort kills it too, and a missing program is a spawn error', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await runInOwnGroup('/bin/sleep', ['30'], {}, { signal: controller.signal })).toMatchObject({ cancelled: true });
    expect((await runInOwnGroup(join(dir, 'no-such-udocker'), [], {})).spawnError).toBe('ENOENT');
  });
});
