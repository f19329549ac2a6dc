// A second, private dockerd for tests that stop a daemon: the shared one at /var/run/docker.sock
// is never touched. It gets its own socket, data, exec root and pid file under a temporary
// folder, and no network set-up (the machine's dockerd runs the same way).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { socketAnswers } from '../../electron/engines/docker-api/ping';

export interface PrivateDockerd {
  socketPath: string;
  dockerHost: string;
  pid: number | undefined;
  /** SIGTERM and wait: dockerd stops its own containerd and removes its socket. */
  stop(): Promise<void>;
  /** stop(), then remove every file it made. */
  cleanup(): Promise<void>;
}

export async function startPrivateDockerd(): Promise<PrivateDockerd> {
  // Short folder names: a unix socket path must stay under 108 bytes.
  const root = await mkdtemp(join(tmpdir(), 'cdd-'));
  const socketPath = join(root, 'docker.sock');
  const child: ResultPromise = execa(
    'dockerd',
    [
      '--bridge=none', '--iptables=false', '--ip6tables=false',
      '-H', `unix://${socketPath}`,
      '--data-root', join(root, 'data'),
      '--exec-root', join(root, 'exec'),
      '--pidfile', join(root, 'docker.pid'),
      // Its own containerd state, apart from the shared daemon's.
      '--containerd-namespace', 'crossdock-test', '--containerd-plugins-namespace', 'crossdock-test-plugins',
    ],
    { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', buffer: false },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  const done = child.then(() => {
    exited = true;
  });

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const hardKill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await done;
      clearTimeout(hardKill);
    }
  };

  const deadline = Date.now() + 60_000;
  while (!(await socketAnswers(socketPath, 1_000))) {
    if (exited || Date.now() > deadline) {
      await stop();
      await rm(root, { recursive: true, force: true });
      throw new Error(`the private dockerd did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    pid: child.pid,
    stop,
    cleanup: async () => {
      await stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
