// A `podman system service` Crossdock starts itself when no Podman API socket is running, so the
// Docker-compatible API can be used. It lives exactly as long as the engine object: dispose()
// stops the process Crossdock started (only that one, by its own handle) and removes its socket.
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa, type ResultPromise } from 'execa';
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
      detached: false,
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

  /** Stops the process Crossdock started (TERM, then KILL after 5 s) and removes its socket. */
  async stop(): Promise<void> {
    if (!this.exited) {
      this.child.kill('SIGTERM');
      const killTimer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.exitedPromise;
      clearTimeout(killTimer);
    }
    await rm(this.socketPath, { force: true });
  }
}
