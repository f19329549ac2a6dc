// Transfers: an image of busybox plus one layer of BENCH_TRANSFER_MB (500) MB of random data, built
// here with `docker build` (no registry), copied by Crossdock (`crossdock serve` on private stores,
// transfers.start then transfers.get polled) into each engine it copies into, beside the engines'
// own commands doing the same: `docker save | podman load`, `docker save -o` + `udocker load -i`,
// `ch-convert -i docker -o dir`. The ratio is the figure; the host's peak RSS shows whether memory
// stays flat (streams, never the whole image). Everything made goes, Ctrl-C included.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { importIntoDocker } from '../test/fixtures/busybox-image';
import { onInterrupt } from './interrupt';
import { countFromEnv, notMeasured, type BenchContext, type Row } from './report';
import { rssOf, servedAddress } from './served-host';
import { summarise } from './stats';

const MB = 1024 * 1024;
const ROOT_FLAG = process.getuid?.() === 0 ? ['--allow-root'] : [];

interface Pair {
  engineId: string;
  label: string;
  baselineLabel: string;
  /** The engine's own commands copying `reference` into a fresh place; answers what to remove. */
  baseline(reference: string, scratch: string): Promise<void>;
  /** Removes Crossdock's copy named `name` (result location for directory images). */
  removeCopy(name: string, location: string | null): Promise<void>;
}

export async function transferRows({ root, runs }: BenchContext): Promise<Row[]> {
  const sizeMb = countFromEnv('BENCH_TRANSFER_MB', 500);
  const home = mkdtempSync(join(tmpdir(), 'crossdock-bench-transfers-'));
  const made: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const undo of made.splice(0).reverse()) await undo().catch(() => undefined);
    rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  };
  const forget = onInterrupt(cleanup);
  try {
    const reference = await buildImage(home, sizeMb, made);
    const env = privateStores(home);
    const host = await serve(root, home, env);
    made.push(() => host.stop());
    return await measurePairs(host, reference, sizeMb, runs, env, home, made);
  } finally {
    await cleanup();
    forget();
  }
}

/** busybox (the test fixture's import) plus one layer holding `sizeMb` MB of random bytes. */
async function buildImage(home: string, sizeMb: number, made: Array<() => Promise<unknown>>): Promise<string> {
  const base = await importIntoDocker(new Dockerode({ socketPath: '/var/run/docker.sock' }));
  made.push(() => base.cleanup());
  const context = join(home, 'context');
  mkdirSync(context);
  const file = createWriteStream(join(context, 'random.bin'));
  for (let written = 0; written < sizeMb; written += 1) {
    if (!file.write(randomBytes(MB))) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
  writeFileSync(join(context, 'Dockerfile'), `FROM ${base.reference}\nCOPY random.bin /random.bin\n`);
  // Under crossdock-bench/: an interrupted run's leftover is removed by the next run's start.
  const reference = `crossdock-bench/transfer:${randomBytes(4).toString('hex')}`;
  made.push(() => execa('docker', ['rmi', '--force', reference], { reject: false }));
  await execa('docker', ['build', '--quiet', '--network', 'none', '-t', reference, context]);
  rmSync(context, { recursive: true, force: true });
  return reference;
}

/** udocker and Charliecloud stores of the bench's own, for Crossdock and for the baselines. */
function privateStores(home: string): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('UDOCKER_')));
  return { ...clean, UDOCKER_DIR: join(home, 'udocker'), CH_IMAGE_STORAGE: join(home, 'ch'), USER: process.env.USER ?? 'root' };
}

interface Served {
  pid: number;
  call(name: string, body: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

async function serve(root: string, home: string, env: NodeJS.ProcessEnv): Promise<Served> {
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

function pairs(env: NodeJS.ProcessEnv): Pair[] {
  return [
    {
      engineId: 'podman',
      label: 'Docker → Podman',
      baselineLabel: '`docker save | podman load`',
      async baseline(reference) {
        // Not buffered: execa keeps a command's output up to 100 MB by default and kills it beyond.
        await execa('docker', ['save', reference], { buffer: false }).pipe('podman', ['load', '--quiet']);
        await execa('podman', ['rmi', '--force', reference], { reject: false });
      },
      removeCopy: async (name) => {
        await execa('podman', ['rmi', '--force', name], { reject: false });
      },
    },
    {
      engineId: 'udocker',
      label: 'Docker → udocker',
      baselineLabel: '`docker save -o` + `udocker load -i`',
      async baseline(reference, scratch) {
        const archive = join(scratch, 'image.tar');
        await execa('docker', ['save', '-o', archive, reference]);
        await execa('udocker', [...ROOT_FLAG, 'load', '-i', archive], { env: { ...env, UDOCKER_DIR: join(scratch, 'udocker') }, extendEnv: false });
      },
      removeCopy: async (name) => {
        await execa('udocker', [...ROOT_FLAG, 'rmi', name], { env, extendEnv: false, reject: false });
      },
    },
    {
      engineId: 'charliecloud',
      label: 'Docker → Charliecloud',
      baselineLabel: '`ch-convert -i docker -o dir`',
      async baseline(reference, scratch) {
        await execa('ch-convert', ['-i', 'docker', '-o', 'dir', reference, join(scratch, 'image')], { env, extendEnv: false });
      },
      removeCopy: async (_name, location) => {
        if (location) rmSync(location, { recursive: true, force: true });
      },
    },
  ];
}

async function measurePairs(host: Served, reference: string, sizeMb: number, runs: number, env: NodeJS.ProcessEnv, home: string, made: Array<() => Promise<unknown>>): Promise<Row[]> {
  const rows: Row[] = [];
  const engines = (await host.call('engines.list', { waitForProbes: true })) as Array<{ id: string; state: string; message: string | null }>;
  const images = (await host.call('images.list', { engineId: 'docker' })) as Array<{ id: string; repoTags: string[] }>;
  const source = images.find((image) => image.repoTags.includes(reference));
  if (!source) return [notMeasured('transfers', `${reference} is not listed in Docker`)];
  const idleRss = await rssOf(host.pid);
  // `docker save | podman load` loads the image under its own name: gone on Ctrl-C as well.
  made.push(() => execa('podman', ['rmi', '--force', reference], { reject: false }));
  for (const pair of pairs(env)) {
    const figure = `transfer ${sizeMb} MB image: ${pair.label}`;
    const engine = engines.find((candidate) => candidate.id === pair.engineId);
    if (engine?.state !== 'ready' && engine?.state !== 'degraded') {
      rows.push(notMeasured(figure, `${pair.engineId} is ${engine?.state ?? 'absent'} here${engine?.message ? `: ${engine.message}` : ''}`));
      continue;
    }
    const crossdock: number[] = [];
    const own: number[] = [];
    const peaks: number[] = [];
    try {
      for (let run = 0; run < runs; run += 1) {
        const name = `crossdock-bench/transfer-copy:${pair.engineId}${run}${randomBytes(3).toString('hex')}`;
        made.push(() => pair.removeCopy(name, null));
        const measured = await transferOnce(host, { engineId: 'docker', imageId: source.id, reference }, pair.engineId, name);
        crossdock.push(measured.ms);
        peaks.push(measured.peakRss);
        await pair.removeCopy(name, measured.location);

        const scratch = join(home, `own-${pair.engineId}-${run}`);
        mkdirSync(scratch, { recursive: true });
        const started = performance.now();
        try {
          await pair.baseline(reference, scratch);
          own.push(performance.now() - started);
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      }
    } catch (error) {
      rows.push(notMeasured(figure, reasonOf(error)));
      continue;
    }
    const ratio = median(crossdock) / median(own);
    rows.push({
      figure,
      value: summarise(crossdock),
      baseline: { label: pair.baselineLabel, value: summarise(own) },
      note: `ratio ${ratio.toFixed(2)}x; request to the target's state done (copy checked), \`crossdock serve\`, private stores`,
    });
    rows.push({
      figure: `  host peak RSS (${pair.label})`,
      value: summarise(peaks.map((peak) => peak / MB), 'MB'),
      baseline: null,
      note: `\`crossdock serve\` (VmRSS) sampled every 100 ms; idle before the transfers ${Math.round(idleRss / MB)} MB`,
    });
  }
  return rows;
}

async function transferOnce(host: Served, source: { engineId: string; imageId: string; reference: string }, engineId: string, name: string) {
  let peakRss = await rssOf(host.pid);
  const sampler = setInterval(() => {
    void rssOf(host.pid).then((rss) => (peakRss = Math.max(peakRss, rss)));
  }, 100);
  const started = performance.now();
  try {
    const record = (await host.call('transfers.start', { source, targets: [{ engineId, name, replace: false, folder: null }] })) as { id: string };
    for (;;) {
      const current = (await host.call('transfers.get', { transferId: record.id })) as TransferView;
      const target = current.targets[0]!;
      if (current.state !== 'running') {
        const ms = performance.now() - started;
        if (target.state !== 'done') throw new Error(`Crossdock's transfer ${target.state}: ${target.message ?? ''}`);
        return { ms, peakRss, location: target.result?.location ?? null };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    clearInterval(sampler);
  }
}

interface TransferView {
  state: string;
  targets: Array<{ state: string; message: string | null; result: { location: string | null } | null }>;
}

/** A failed command's first line and the last thing it said on stderr. */
function reasonOf(error: unknown): string {
  const first = (error as Error).message.split('\n')[0]!;
  const said = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').pop();
  return said ? `${first}: ${said}` : first;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
