// A `podman system service` Crossdock starts itself when no Podman API socket is running, so the
// Docker-compatible API can be used. It lives exactly as long as the engine object: dispose()
// stops the process Crossdock started and removes its socket.
//
// Rootless Podman re-executes itself inside a user namespace: the process Crossdock spawns is a
// parent that forwards signals to the real service and exits. Seen here about one time in three
// (Podman 4.3): the parent exits on SIGTERM without forwarding it, and the service runs on forever
// under init. So the service gets a process group of its own and the whole group is signalled.
// Podman's pause process and conmon call setsid() and are outside the group: they and the
// containers started through the service outlive it, as with Docker.
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { groupAlive, signalGroup } from '../../jobs/process/process-tree';
import { socketAnswers } from '../docker-api/ping';

export interface ServiceStart {
  podmanPath: string;
  socketPath: string;
  env: NodeJS.ProcessEnv;
  /** How long the socket may take to answer. */
  readyTimeoutMs?: number;
  log: (message: string) => void;
}

type ServiceProcess = ResultPromise<{ stdin: 'ignore'; stdout: 'ignore'; stderr: 'pipe'; buffer: false; reject: false }>;

export class PodmanService {
  private exited = false;
  private stderrTail = '';
  private readonly exitedPromise: Promise<void>;

  private constructor(
    private readonly child: ServiceProcess,
    readonly socketPath: string,
  ) {
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    // The process's own 'exit', not execa's promise: that one also waits for stderr to close,
    // and a rootless Podman's pause process (a grandchild that inherits the pipe and outlives the
    // service on purpose) never closes it, which would hang every shutdown.
    this.exitedPromise = new Promise<void>((resolve) => {
      child.once('exit', () => {
        this.exited = true;
        // Let go of the pipe the pause process still holds, or it keeps the event loop alive.
        child.stderr.destroy();
        resolve();
      });
    });
    child.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Starts the service and waits until its socket answers; throws with podman's own words if it does not. */
  static async start(options: ServiceStart): Promise<PodmanService> {
    await mkdir(dirname(options.socketPath), { recursive: true, mode: 0o700 });
    // A socket file left by an earlier run would make podman fail with "address already in use".
    await rm(options.socketPath, { force: true });
    const child = execa(options.podmanPath, ['system', 'service', '--time=0', `unix://${options.socketPath}`], {
      env: options.env,
      extendEnv: false,
      // Its own process group (see the top of this file).
      detached: true,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      buffer: false,
      reject: false,
    });
    const service = new PodmanService(child, options.socketPath);
    options.log(`started podman system service (pid ${String(child.pid)}) on ${options.socketPath}`);

    const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      if (!service.running) break;
      if (await socketAnswers(options.socketPath, 500)) return service;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const why = service.running ? 'its socket did not answer in time' : `it exited: ${service.stderrTail.trim() || 'no message'}`;
    await service.stop();
    throw new Error(`podman system service did not start (${why})`);
  }

  /**
   * Stops the service: TERM to its process group, KILL to what is left of it after 5 s; then removes
   * its socket. The group, not the spawned process, decides when it is over (see the top).
   */
  async stop(): Promise<void> {
    const group = this.child.pid;
    if (group !== undefined && groupAlive(group)) {
      signalGroup(group, 'SIGTERM');
      if (!(await groupEnds(group, 5_000))) {
        signalGroup(group, 'SIGKILL');
        await groupEnds(group, 2_000);
      }
    }
    if (group !== undefined) await this.exitedPromise;
    await rm(this.socketPath, { force: true });
  }
}

/** Polls until no process of group `pgid` is left (a zombie counts until reaped); false after `timeoutMs`. */
async function groupEnds(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
