// Charliecloud for real: ch-run runs Crossdock's probe (exit 37) as root and as an ordinary user,
// a busybox directory image in an added folder lists, inspects and runs, and an image imported
// into a private ch-image storage lists by its name and is deleted through the adapter.
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDetailSchema, ImageSummarySchema, type ProbeResult } from '../../shared/model';
import { childEnv } from '../../electron/engines/charliecloud/cli';
import { CharliecloudEngine } from '../../electron/engines/charliecloud/engine';
import { imageIdOf } from '../../electron/engines/file-image';
import { PROBE_FOLDER, runProbe } from '../../electron/engines/charliecloud/probe';
import { charliecloudProvider } from '../../electron/engines/charliecloud/provider';
import type { Detection } from '../../electron/engines/engine';
import { busyboxRootTar, randomTestReference } from '../fixtures/busybox-image';
import { requireCharliecloud } from '../helpers/charliecloud';
import { requirePrivileges } from '../helpers/privileges';
import { apiErrorOf } from '../helpers/waiting';

const charliecloud = await requireCharliecloud();
const USER_NAME = 'crossdock-ch';
const repo = resolve(import.meta.dirname, '..', '..');
const signal = () => AbortSignal.timeout(60_000);

describe.skipIf(charliecloud.skip)('Charliecloud (real ch-run)', () => {
  let base: string;
  let imagesFolder: string;
  let busybox: string;
  let storage: string;
  let logs: string[];
  let engine: CharliecloudEngine;
  let env: NodeJS.ProcessEnv;

  // Detection must not make ch-image's default storage folder as a side effect.
  const rootChBefore = existsSync('/var/tmp/root.ch');

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-ch-'));
    chmodSync(base, 0o755);
    imagesFolder = join(base, 'images');
    busybox = join(imagesFolder, 'busybox');
    mkdirSync(busybox, { recursive: true });
    await execa('tar', ['-x', '-C', busybox], { input: busyboxRootTar() });
    // ch-image wants to create its storage folder itself.
    storage = join(base, 'storage');
    logs = [];
    env = { ...process.env, CH_IMAGE_STORAGE: storage };
    const [discovered] = await charliecloudProvider.discover({
      env,
      runtimeDir: join(base, 'runtime'),
      log: (message) => logs.push(message),
      imageFolders: async () => [imagesFolder],
    });
    engine = discovered as CharliecloudEngine;
  });

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('reaches ch-run first (checking, its version from stderr), then proves it with exit 37', async () => {
    const reached = await engine.detect(signal(), { probe: false });
    expect(reached).toMatchObject({ state: 'checking', endpoint: expect.stringMatching(/ch-run$/), rootless: true });
    expect(reached.version).toMatch(/^\d+\.\d+/);
    expect(reached.probe.attempted).toBe(false);

    const detected = await engine.detect(signal(), { probe: true });
    expect(detected.message).toBeNull();
    expect(detected.state).toBe('ready');
    expect(detected.probe).toMatchObject<Partial<ProbeResult>>({ attempted: true, ok: true, exitCode: 37, expectedExitCode: 37 });
    expect(detected.attributes).toMatchObject({ HasSandbox: true, Daemonless: true, Rootless: true, UserNamespaces: true });
    const formats = String(detected.attributes.ImageFormats).split(',');
    expect(formats).toContain('directory');
    // As root with mksquashfs and FUSE, the SquashFS probe runs too (mounted under Crossdock's folder).
    if (process.getuid?.() === 0 && existsSync('/usr/bin/mksquashfs') && existsSync('/dev/fuse')) expect(formats).toContain('squashfs');
    expect(readdirSync('/var/tmp').includes('root.ch') && !rootChBefore).toBe(false);
    expect(existsSync(join(base, 'runtime', PROBE_FOLDER, 'root', 'probe'))).toBe(true);
  });

  it('makes the probe image once and reuses it', async () => {
    const probe = join(base, 'runtime', PROBE_FOLDER, 'root', 'probe');
    await engine.detect(signal(), { probe: true });
    const before = statSync(probe);
    const again = await engine.detect(signal(), { probe: true });
    expect(again.state).toBe('ready');
    expect(statSync(probe).ino).toBe(before.ino);
    expect(statSync(probe).mtimeMs).toBe(before.mtimeMs);
  });

  it('is degraded, in ch-run\'s own words, when the probe image is broken', async () => {
    const runtimeDir = join(base, 'runtime-broken');
    const broken = new CharliecloudEngine({ env, runtimeDir, log: () => undefined });
    expect((await broken.detect(signal(), { probe: true })).state).toBe('ready');
    // ch-run binds the host's /etc/passwd over the image's: without one it refuses to start.
    const passwd = join(runtimeDir, PROBE_FOLDER, 'root', 'etc', 'passwd');
    rmSync(passwd);
    const chRun = (await engine.detect(signal(), { probe: false })).endpoint!;
    const run = await runProbe(chRun, join(runtimeDir, PROBE_FOLDER, 'root'), env, signal());
    expect(run.exitCode).toBe(1);
    expect(run.message).toContain("can't bind");
    // The adapter notices the damage and remakes the image.
    expect((await broken.detect(signal(), { probe: true })).state).toBe('ready');
  });

  it('lists, inspects and runs the busybox directory image of an added folder', async () => {
    const rows = await engine.listImages(signal());
    const row = rows.find((candidate) => candidate.location === busybox);
    expect(row).toBeDefined();
    ImageSummarySchema.parse(row);
    expect(row).toMatchObject({ engineId: 'charliecloud', id: imageIdOf(busybox), format: 'directory', repository: basename(busybox), tag: null });
    expect(row!.sizeBytes).toBe(statSync('/bin/busybox').size + 30 + 10);

    const detail = ImageDetailSchema.parse(await engine.inspectImage(row!.id, signal()));
    if (process.arch === 'x64') expect(detail.architecture).toBe('amd64');
    if (process.arch === 'arm64') expect(detail.architecture).toBe('arm64');
    expect(detail.layers).toEqual([]);
    expect(detail.history).toEqual([]);

    const chRun = (await engine.detect(signal(), { probe: false })).endpoint!;
    const run = await runProbe(chRun, busybox, env, signal(), 30_000, ['/bin/sh', '-c', 'exit 37']);
    expect(run).toMatchObject({ exitCode: 37, message: null });

    const refused = await apiErrorOf(engine.removeImage({ imageId: row!.id, reference: null, force: false }));
    expect(refused.kind).toBe('invalid-request');
    expect(refused.message).toContain(`remove ${busybox} yourself`);
    expect(existsSync(join(busybox, 'bin', 'busybox'))).toBe(true);
  });

  it('lists an image imported into ch-image storage by its decoded name, and deletes it', async () => {
    const name = randomTestReference();
    const tarball = join(base, 'busybox.tar');
    await execa('tar', ['-x', '-C', mkdirp(join(base, 'tar-root'))], { input: busyboxRootTar() });
    await execa('tar', ['-c', '-f', tarball, '-C', join(base, 'tar-root'), '.']);
    const imported = await execa('/usr/bin/python3', ['/usr/bin/ch-image', 'import', tarball, name.reference], {
      env: childEnv({ ...env, PATH: `/usr/bin:${env.PATH ?? ''}` }),
      extendEnv: false,
      reject: false,
      timeout: 120_000,
    });
    expect(imported.exitCode, imported.stderr).toBe(0);
    const folder = join(storage, 'img', `${name.repository.replaceAll('/', '%')}+${name.tag}`);
    expect(existsSync(folder)).toBe(true);

    const row = (await engine.listImages(signal())).find((candidate) => candidate.location === folder);
    expect(row).toMatchObject({ repository: name.repository, tag: name.tag, repoTags: [name.reference], format: 'directory' });
    const detail = await engine.inspectImage(row!.id, signal());
    expect(detail.workingDir).toBe('/');
    if (process.arch === 'x64') expect(detail.architecture).toBe('amd64');

    const removed = await engine.removeImage({ imageId: row!.id, reference: name.reference, force: false });
    expect(removed).toEqual({ untagged: [name.reference], deleted: [row!.id], layersDeleted: 0 });
    expect(existsSync(folder)).toBe(false);
    expect((await engine.listImages(signal())).some((candidate) => candidate.id === row!.id)).toBe(false);
    expect((await apiErrorOf(engine.inspectImage(row!.id, signal()))).kind).toBe('not-found');
    expect(await engine.pruneImages()).toEqual({ engineId: 'charliecloud', deleted: [], layersDeleted: 0, reclaimedBytes: 0 });
  });
});

const privileges = charliecloud.skip ? charliecloud : await requirePrivileges('the Charliecloud ordinary-user test');

describe.skipIf(charliecloud.skip || privileges.skip)('Charliecloud as an ordinary user', () => {
  let base: string;
  let user: { uid: number; gid: number; created: boolean };
  let bundle: string;

  beforeAll(async () => {
    user = await systemUser(USER_NAME);
    base = mkdtempSync(join(tmpdir(), 'crossdock-ch-user-'));
    chmodSync(base, 0o755);
    bundle = join(base, 'charliecloud-detect.mjs');
    await build({
      entryPoints: [join(repo, 'test', 'fixtures', 'charliecloud-detect.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      logLevel: 'warning',
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
    chmodSync(bundle, 0o644);
  }, 120_000);

  afterAll(async () => {
    if (base) rmSync(base, { recursive: true, force: true });
    // ch-run's default storage for the user, should anything have made it.
    rmSync(join('/var/tmp', `${USER_NAME}.ch`), { recursive: true, force: true });
    if (user?.created) await execa('userdel', [USER_NAME], { reject: false });
  });

  it('detects Charliecloud as ready (exit 37) through the adapter, run as that user', async () => {
    const home = mkdirp(join(base, 'home'));
    chownSync(home, user.uid, user.gid);
    const run = await execa(
      'setpriv',
      [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', process.execPath, bundle, join(home, 'runtime')],
      // No $USER: the adapter must fill it in for ch-run from the account.
      { extendEnv: false, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, timeout: 90_000, stdin: 'ignore', reject: false },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const { uid, detection } = JSON.parse(run.stdout) as { uid: number; detection: Detection };
    expect(uid).toBe(user.uid);
    expect(detection.message).toBeNull();
    expect(detection.state).toBe('ready');
    expect(detection.probe).toMatchObject({ attempted: true, ok: true, exitCode: 37 });
    expect(detection.attributes).toMatchObject({ Rootless: true, UserNamespaces: true, HasSandbox: true });
    // The probe image is the user's own, under its runtime folder.
    expect(statSync(join(home, 'runtime', PROBE_FOLDER, 'root', 'probe')).uid).toBe(user.uid);
    expect(readdirSync('/var/tmp').includes(`${USER_NAME}.ch`)).toBe(false);
  });

  it("runs root's world-readable probe image with ch-run itself, exit 37", async () => {
    const runtimeDir = join(base, 'root-runtime');
    const engine = new CharliecloudEngine({ env: process.env, runtimeDir, log: () => undefined });
    expect((await engine.detect(signal(), { probe: true })).state).toBe('ready');
    chmodSync(runtimeDir, 0o755);
    const run = await execa(
      'setpriv',
      [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', 'ch-run', join(runtimeDir, PROBE_FOLDER, 'root'), '--', '/probe'],
      { extendEnv: false, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', USER: USER_NAME }, timeout: 30_000, stdin: 'ignore', reject: false },
    );
    expect(run.exitCode, run.stderr).toBe(37);
  });
});

function mkdirp(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

/** The uid and gid of `name`, created first when missing (a system user: no home, no login). */
async function systemUser(name: string): Promise<{ uid: number; gid: number; created: boolean }> {
  const exists = await execa('id', ['-u', name], { reject: false });
  let created = false;
  if (exists.exitCode !== 0) {
    await execa('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    created = true;
  }
  const [uid, gid] = await Promise.all([execa('id', ['-u', name]), execa('id', ['-g', name])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), created };
}
