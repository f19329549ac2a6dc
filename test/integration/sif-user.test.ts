// The SIF route as an ordinary user, where mksquashfs must make every file root's (-all-root) and
// unsquashfs cannot set owners or system attributes: Charliecloud's detection, run as that user
// through the adapter (the test/fixtures/charliecloud-detect.ts bundle), writes its probe root into
// a SIF file, unpacks it and runs it with ch-run, and so advertises HasSIF.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detection } from '../../electron/engines/engine';
import { readSif } from '../../electron/engines/apptainer/sif/reader';
import { PROBE_FOLDER } from '../../electron/engines/charliecloud/probe';
import { requireSifTools } from '../fixtures/sif-files';
import { requireCharliecloud } from '../helpers/charliecloud';
import { requirePrivileges } from '../helpers/privileges';

const tools = await requireSifTools(['mksquashfs', 'unsquashfs']);
const charliecloud = await requireCharliecloud();
const privileges = tools.skip || charliecloud.skip ? { skip: true } : await requirePrivileges('the SIF ordinary-user test');
const USER_NAME = 'crossdock-sif';
const repo = resolve(import.meta.dirname, '..', '..');

describe.skipIf(tools.skip || charliecloud.skip || privileges.skip)('SIF files as an ordinary user (real squashfs-tools, ch-run)', () => {
  let base: string;
  let user: { uid: number; gid: number; created: boolean };
  let bundle: string;

  beforeAll(async () => {
    const exists = await execa('id', ['-u', USER_NAME], { reject: false });
    const created = exists.exitCode !== 0;
    if (created) await execa('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER_NAME]);
    const [uid, gid] = await Promise.all([execa('id', ['-u', USER_NAME]), execa('id', ['-g', USER_NAME])]);
    user = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), created };
    base = mkdtempSync(join(tmpdir(), 'crossdock-sif-user-'));
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
    rmSync(join('/var/tmp', `${USER_NAME}.ch`), { recursive: true, force: true });
    if (user?.created) await execa('userdel', [USER_NAME], { reject: false });
  });

  it('writes, unpacks and runs the probe SIF file as that user, and advertises HasSIF', async () => {
    const home = join(base, 'home');
    mkdirSync(home);
    chownSync(home, user.uid, user.gid);
    const run = await execa('setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', process.execPath, bundle, join(home, 'runtime')], {
      extendEnv: false,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
      timeout: 90_000,
      stdin: 'ignore',
      reject: false,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const { uid, detection } = JSON.parse(run.stdout) as { uid: number; detection: Detection };
    expect(uid).toBe(user.uid);
    expect(detection.state).toBe('ready');
    expect(detection.attributes, run.stderr).toMatchObject({ HasSIF: true, SifVia: expect.stringContaining('ch-run') });
    expect(String(detection.attributes['ImageFormats']).split(',')).toContain('sif');
    // Made by the user: the SIF file and its unpacked root are the user's own.
    const probeDir = join(home, 'runtime', PROBE_FOLDER);
    expect(statSync(join(probeDir, 'probe.sif')).uid).toBe(user.uid);
    expect(statSync(join(probeDir, 'probe-sif-root', 'probe')).uid).toBe(user.uid);
    const sif = await readSif(join(probeDir, 'probe.sif'));
    if (!sif.ok) throw new Error(sif.reason);
    const { stdout } = await execa('unsquashfs', ['-o', String(sif.sif.partitions[0]!.offset), '-lln', join(probeDir, 'probe.sif')]);
    // -all-root: inside the image every file is root's (0/0), whoever wrote it.
    const owners = new Set(stdout.split('\n').filter((line) => /^[-dl]/.test(line)).map((line) => line.split(/\s+/)[1]));
    expect([...owners]).toEqual(['0/0']);
  });
});
