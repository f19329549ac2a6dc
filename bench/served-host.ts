// A `crossdock serve` process on fresh folders, with its address, token and pid, and an API caller
// that uses the token as a bearer (as scripts may).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterrupt } from './interrupt';

export interface ServedHost {
  url: string;
  pid: number;
  call(name: string, body: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export interface ServedHostOptions {
  /** Folders under this one, which the caller owns (kept at stop); otherwise fresh ones, removed at stop. */
  home?: string;
  /** The host's environment (the engines' stores, for one); the bench's own otherwise. */
  env?: NodeJS.ProcessEnv;
}

export async function startServedHost(root: string, options: ServedHostOptions = {}): Promise<ServedHost> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'crossdock-bench-'));
  const child: ChildProcess = spawn(process.execPath, ['dist/electron/cli.js', 'serve', '--port', '0'], {
    cwd: root,
    env: { ...(options.env ?? process.env), CROSSDOCK_CONFIG_DIR: join(home, 'config'), CROSSDOCK_DATA_DIR: join(home, 'data'), CROSSDOCK_RUNTIME_DIR: join(home, 'run') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Ctrl-C reaches it through the process group, a SIGTERM to the bench alone would not.
  const forget = onInterrupt(() => child.kill('SIGTERM'));
  const url = await servedAddress(child);
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  return {
    url,
    pid: child.pid ?? 0,
    async call(name, body) {
      const response = await fetch(new URL(`/api/call/${name}`, parsed.origin), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const envelope = (await response.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
      if (!envelope.ok) throw new Error(`${name}: ${envelope.error?.message ?? 'failed'}`);
      return envelope.result;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
      forget();
      if (!options.home) rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
    },
  };
}

/** The address a starting `crossdock start|serve` prints; rejects with its output if it exits first. */
export function servedAddress(child: ChildProcess, timeoutMs = 60_000): Promise<string> {
  let output = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Crossdock is running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
  });
}

/** Resident memory of a process now, in bytes (Linux /proc). */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) * 1024;
}
