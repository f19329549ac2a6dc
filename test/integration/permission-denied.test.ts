// A real permission-denied: the built `crossdock detect --json`, run as a system user outside the
// docker group, must report Docker as permission-denied with words that say what to do. Unit tests
// can only fake the EACCES; as root nothing is ever refused, hence the second user and setpriv.
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../shared/model';
import { buildCli, type BuiltCli } from '../helpers/cli';
import { DOCKER_SOCKET, requireEngine } from '../helpers/engines';
import { requirePrivileges } from '../helpers/privileges';

const USER = 'crossdock-nodocker';
const privileges = await requirePrivileges('the permission-denied test');
const docker = privileges.skip ? privileges : await requireEngine('docker');

describe.skipIf(privileges.skip || docker.skip)('crossdock detect as a user outside the docker group', () => {
  let built: BuiltCli;
  let home: string;
  let user: { uid: number; gid: number };
  const undo: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    built = buildCli('permission-denied');
    user = await systemUser(USER);
    await denySocketToOthers(undo);
    // Podman's folders under /tmp that this run creates are removed with the rest afterwards.
    for (const folder of podmanTmpFolders(user.uid).filter((path) => !existsSync(path))) {
      undo.push(() => rmSync(folder, { recursive: true, force: true }));
    }
    home = mkdtempSync(join(tmpdir(), 'crossdock-nodocker-'));
    // Owned by that user (not world-writable): it is HOME and every Crossdock folder.
    chownSync(home, user.uid, user.gid);
    chmodSync(home, 0o700);
  }, 120_000);

  afterAll(async () => {
    for (const step of undo.reverse()) await step();
    if (home) rmSync(home, { recursive: true, force: true });
    if (built) rmSync(built.dir, { recursive: true, force: true });
  });

  it('reports Docker as permission-denied, naming the socket and the docker group; ends on time leaving no process', async () => {
    const before = new Set(await livePids(user.uid));
    const run = await execa(
      'setpriv',
      [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', process.execPath, built.cli, 'detect', '--json'],
      {
        // Nothing of root's environment but PATH: the user gets its own folders, all in `home`.
        // XDG_RUNTIME_DIR too, so Podman's runtime files (and its rootless pause process's pid)
        // land there instead of /tmp/podman-run-<uid>.
        extendEnv: false,
        env: {
          PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
          HOME: home,
          XDG_RUNTIME_DIR: join(home, 'xdg-runtime'),
          CROSSDOCK_CONFIG_DIR: join(home, 'config'),
          CROSSDOCK_DATA_DIR: join(home, 'data'),
          CROSSDOCK_RUNTIME_DIR: join(home, 'runtime'),
        },
        // Podman may do anything for this user (start a service, import the probe); it must not hang.
        timeout: 90_000,
        // No stdin: a command line run has none to offer, and nothing may wait on one.
        stdin: 'ignore',
        reject: false,
      },
    );
    const left = await processesLeft(user.uid, before, join(home, 'xdg-runtime'));
    // Reported below; ended now (they are this run's, by pid) so that a failure leaves nothing either.
    const leftArgs = left.length > 0 ? (await execa("ps", ["-o", "pid=,ppid=,stat=,args=", "-p", left.join(",")], { reject: false })).stdout : "";
    for (const pid of left) killQuietly(pid);
    expect(run.timedOut, `detect did not end within 90 s; stderr: ${run.stderr}`).toBe(false);
    expect(run.exitCode, run.stderr).toBe(0);

    const engines = JSON.parse(run.stdout) as EngineStatus[];
    const dockerEngine = engines.find((engine) => engine.id === 'docker');
    expect(dockerEngine, run.stdout).toBeDefined();
    expect(dockerEngine!.state).toBe('permission-denied');
    expect(dockerEngine!.message).toContain(DOCKER_SOCKET);
    expect(dockerEngine!.message).toContain('"docker" group');
    expect(dockerEngine!.probe.attempted).toBe(false);

    // Podman's rootless pause process is Podman's own, meant to outlive its commands; the test
    // ends it above. Anything else still running was left behind by Crossdock.
    expect(left, leftArgs).toEqual([]);
  }, 150_000);
});

/** The uid and gid of `name`, created first when missing (a system user: no home, no login, no docker group). */
async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const exists = await execa('id', ['-u', name], { reject: false });
  if (exists.exitCode !== 0) {
    await execa('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  }
  const [uid, gid] = await Promise.all([execa('id', ['-u', name]), execa('id', ['-g', name])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Makes sure the socket refuses our user the way it refuses any user outside the docker group:
 * a "docker" group exists (Debian's dockerd gives the socket to it, root:docker 0660) and the
 * socket grants nothing to others. Only ever tightens, and `undo` restores what was changed.
 */
async function denySocketToOthers(undo: Array<() => Promise<void> | void>): Promise<void> {
  const group = await execa('getent', ['group', 'docker'], { reject: false });
  if (group.exitCode !== 0) {
    await execa('groupadd', ['--system', 'docker']);
    undo.push(async () => {
      await execa('groupdel', ['docker'], { reject: false });
    });
  }
  const mode = statSync(DOCKER_SOCKET).mode & 0o777;
  if ((mode & 0o007) !== 0) {
    chmodSync(DOCKER_SOCKET, mode & ~0o007);
    undo.push(() => chmodSync(DOCKER_SOCKET, mode));
  }
}

/** Pids of the user's processes that still run (a zombie has ended; only its parent has not looked yet). */
async function livePids(uid: number): Promise<number[]> {
  // ps exits 1 when the user has no process at all.
  const listed = await execa('ps', ['-u', String(uid), '-o', 'pid=,stat='], { reject: false });
  return listed.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, stat]) => pid !== undefined && pid !== '' && !stat?.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

/**
 * The processes the run left, Podman's pause process excepted: that one is ended here (by the pid
 * Podman wrote), since the run started it. Waits briefly, as a service being stopped may take a moment.
 */
async function processesLeft(uid: number, before: ReadonlySet<number>, xdgRuntime: string): Promise<number[]> {
  // Podman 4.3 used /tmp/podman-run-<uid> here even with XDG_RUNTIME_DIR set: both are looked at.
  for (const folder of [xdgRuntime, podmanTmpFolders(uid)[0]!]) {
    const pauseFile = join(folder, 'libpod', 'tmp', 'pause.pid');
    const pause = existsSync(pauseFile) ? Number(readFileSync(pauseFile, 'utf8').trim()) : null;
    if (pause !== null && Number.isInteger(pause) && pause > 0 && !before.has(pause)) killQuietly(pause);
  }
  let left: number[] = [];
  for (let attempt = 0; attempt < 20; attempt += 1) {
    left = (await livePids(uid)).filter((pid) => !before.has(pid));
    if (left.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return left;
}

/** What rootless Podman writes under /tmp for a user without a runtime folder of its own. */
function podmanTmpFolders(uid: number): string[] {
  return [join(tmpdir(), `podman-run-${uid}`), join(tmpdir(), `containers-user-${uid}`)];
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
