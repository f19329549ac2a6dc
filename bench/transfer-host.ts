// Crossdock's side of the transfer figures: a `crossdock serve` on the bench's private stores, and
// one copy through it (transfers.start, then transfers.get polled until the target settles) timed
// from the request to the target's state done, with the host's peak RSS and the time spent in
// each phase the transfer reported (where the time goes).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { rssOf, servedAddress } from './served-host';

export interface Served {
  pid: number;
  call(name: string, body: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export interface ImageRef {
  engineId: string;
  imageId: string;
  reference: string | null;
}

export interface Copied {
  ms: number;
  peakRss: number;
  location: string | null;
  /** Milliseconds per phase, as transfers.get named them while polled ("udocker load": 4100). */
  phases: Map<string, number>;
}

const POLL_MS = 50;
const RSS_EVERY_MS = 100;

export async function serve(root: string, home: string, env: NodeJS.ProcessEnv): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, ['dist/electron/cli.js', 'serve', '--port', '0'], {
    cwd: root,
    env: { ...env, CROSSDOCK_CONFIG_DIR: join(home, 'config'), CROSSDOCK_DATA_DIR: join(home, 'data'), CROSSDOCK_RUNTIME_DIR: join(home, 'run') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new URL(await servedAddress(child));
  const token = url.searchParams.get('token') ?? '';
  return {
    pid: child.pid ?? 0,
    async call(name, body) {
      const response = await fetch(new URL(`/api/call/${name}`, url.origin), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const envelope = (await response.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
      if (!envelope.ok) throw new Error(`${name}: ${envelope.error?.message ?? 'failed'}`);
      return envelope.result;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

interface TransferView {
  state: string;
  targets: Array<{ state: string; message: string | null; progress: { phase: string }; result: { location: string | null } | null }>;
}

/** One copy of `source` into `engineId` under `name` (SIF files into `folder`). */
export async function copyThroughCrossdock(host: Served, source: ImageRef, engineId: string, name: string, folder: string | null): Promise<Copied> {
  let peakRss = await rssOf(host.pid);
  const sampler = setInterval(() => {
    void rssOf(host.pid).then((rss) => (peakRss = Math.max(peakRss, rss)));
  }, RSS_EVERY_MS);
  const phases = new Map<string, number>();
  const started = performance.now();
  let phase = 'starting';
  let phaseSince = started;
  try {
    const record = (await host.call('transfers.start', { source, targets: [{ engineId, name, replace: false, folder }] })) as { id: string };
    for (;;) {
      const current = (await host.call('transfers.get', { transferId: record.id })) as TransferView;
      const target = current.targets[0]!;
      const now = performance.now();
      if (target.progress.phase !== phase) {
        phases.set(phase, (phases.get(phase) ?? 0) + now - phaseSince);
        phase = target.progress.phase;
        phaseSince = now;
      }
      if (current.state !== 'running') {
        phases.set(phase, (phases.get(phase) ?? 0) + now - phaseSince);
        if (target.state !== 'done') throw new Error(`Crossdock's transfer ${target.state}: ${target.message ?? ''}`);
        return { ms: now - started, peakRss, location: target.result?.location ?? null, phases };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    clearInterval(sampler);
  }
}
