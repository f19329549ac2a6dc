// Transfers: an image of busybox plus one layer of BENCH_TRANSFER_MB (500) MB of random data, built
// here with `docker build` (no registry) and made into each engine's own source by that engine's
// tools (transfer-sources.ts), copied by Crossdock (`crossdock serve` on private stores,
// transfers.start then transfers.get polled) for every pair CI copies between (transfer-pairs.ts;
// BENCH_TRANSFER_PAIRS picks some), each beside the command sequence an expert would type for the
// same copy (transfer-baselines.ts), timed the same way in the same run. The ratio is the figure;
// the host's peak RSS shows whether memory stays flat (streams, never the whole image), and the
// time per phase where Crossdock's time goes. Everything made goes after each run, Ctrl-C included.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { isInterrupted, onInterrupt } from './interrupt';
import { countFromEnv, notMeasured, type BenchContext, type Row } from './report';
import { rssOf, startServedHost } from './served-host';
import { summarise } from './stats';
import { baselineOf } from './transfer-baselines';
import { copyThroughCrossdock } from './transfer-host';
import { Leftovers } from './transfer-leftovers';
import { chosenPairs, endsOf, labelOf, removeCopy, type PairKey } from './transfer-pairs';
import { buildDockerSource, ENGINE_ID, privateStores, TransferSources, udockerAt, type Workspace } from './transfer-sources';

const MB = 1024 * 1024;

export async function transferRows({ root, runs }: BenchContext): Promise<Row[]> {
  const sizeMb = countFromEnv('BENCH_TRANSFER_MB', 500);
  const pairs = chosenPairs();
  const home = mkdtempSync(join(tmpdir(), 'crossdock-bench-transfers-'));
  const leftovers = new Leftovers();
  const cleanup = async () => {
    await leftovers.clear();
    rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  };
  const forget = onInterrupt(cleanup);
  try {
    const env = privateStores(home);
    const sifDir = join(home, 'sif');
    const sifOutDir = join(home, 'sif-out');
    for (const folder of [sifDir, sifOutDir]) mkdirSync(folder, { recursive: true });
    const docker = await buildDockerSource(home, sizeMb, leftovers);
    const host = await startServedHost(root, { home, env });
    leftovers.add(() => host.stop());
    // The SIF source is listed from an image folder, as the window's user adds one.
    await host.call('settings.update', { imageFolders: [sifDir] });
    const workspace: Workspace = { home, env, sifDir, sifOutDir, host, leftovers };
    return await measurePairs(workspace, new TransferSources(workspace, docker), pairs, sizeMb, runs);
  } finally {
    await cleanup();
    forget();
  }
}

async function measurePairs(workspace: Workspace, sources: TransferSources, pairs: PairKey[], sizeMb: number, runs: number): Promise<Row[]> {
  const rows: Row[] = [];
  const engines = (await workspace.host.call('engines.list', { waitForProbes: true })) as Array<{ id: string; state: string; message: string | null }>;
  const idleRss = await rssOf(workspace.host.pid);
  const udockerEnv = await udockerAt(workspace.env.UDOCKER_DIR!, workspace.env);
  for (const pair of pairs) {
    const figure = `transfer ${sizeMb} MB image: ${labelOf(pair)}`;
    const unusable = [endsOf(pair).from, endsOf(pair).to].map((end) => whyUnusable(engines, ENGINE_ID[end])).find((reason) => reason !== null);
    if (unusable) {
      rows.push(notMeasured(figure, unusable));
      continue;
    }
    // A pair at 500 MB takes a minute or more a run: say where the section is.
    process.stderr.write(`bench: transfers: ${pair}\n`);
    try {
      rows.push(...(await measurePair(workspace, sources, pair, figure, runs, udockerEnv, idleRss)));
    } catch (error) {
      // Ctrl-C: the handler is removing everything; making the next pair's images would race it.
      if (isInterrupted()) throw error;
      rows.push(notMeasured(figure, `${await sourceGone(sources.docker.byHand)}${reasonOf(error)}`));
    }
  }
  return rows;
}

/** Why an engine cannot take part, or null. SIF files need no Apptainer: Crossdock reads and writes them itself. */
function whyUnusable(engines: Array<{ id: string; state: string; message: string | null }>, engineId: string): string | null {
  const engine = engines.find((candidate) => candidate.id === engineId);
  if (!engine) return `${engineId} is absent here`;
  if (engineId === 'apptainer' || engine.state === 'ready' || engine.state === 'degraded') return null;
  return `${engineId} is ${engine.state} here${engine.message ? `: ${engine.message}` : ''}`;
}

async function measurePair(workspace: Workspace, sources: TransferSources, pair: PairKey, figure: string, runs: number, udockerEnv: NodeJS.ProcessEnv, idleRss: number): Promise<Row[]> {
  const { from, to } = endsOf(pair);
  const source = await sources.get(from);
  const baseline = baselineOf(pair);
  const crossdock: number[] = [];
  const own: number[] = [];
  const peaks: number[] = [];
  const phaseRuns: Array<Map<string, number>> = [];
  for (let run = 0; run < runs; run += 1) {
    const tag = `${from.slice(0, 3)}-${to.slice(0, 3)}-${run}${randomBytes(3).toString('hex')}`;
    const name = `crossdock-bench/transfer-copy:${tag}`;
    let location: string | null = null;
    const removeOurs = workspace.leftovers.add(() => removeCopy(to, name, location, udockerEnv));
    const copied = await copyThroughCrossdock(workspace.host, source.ref, ENGINE_ID[to], name, to === 'sif' ? workspace.sifOutDir : null);
    location = copied.location;
    crossdock.push(copied.ms);
    peaks.push(copied.peakRss);
    phaseRuns.push(copied.phases);
    await removeOurs();

    const scratch = join(workspace.home, `own-${tag}`);
    mkdirSync(scratch, { recursive: true });
    const theirs = new Leftovers();
    const removeTheirs = workspace.leftovers.add(async () => {
      await theirs.clear();
      rmSync(scratch, { recursive: true, force: true });
    });
    try {
      const ownUdockerEnv = to === 'udocker' ? await udockerAt(join(scratch, 'udocker'), workspace.env) : udockerEnv;
      const started = performance.now();
      await baseline.run({ source, scratch, name: `crossdock-bench/transfer-own:${tag}`, env: workspace.env, udockerEnv: ownUdockerEnv, leftovers: theirs });
      own.push(performance.now() - started);
    } finally {
      await removeTheirs();
    }
  }
  const label = labelOf(pair);
  return [
    {
      figure,
      value: summarise(crossdock),
      baseline: { label: baseline.label, value: summarise(own) },
      note: `ratio ${(median(crossdock) / median(own)).toFixed(2)}x; request to the target's state done (copy checked), \`crossdock serve\`, private stores${baseline.note ? `; by hand: ${baseline.note}` : ''}`,
    },
    {
      figure: `  host peak RSS (${label})`,
      value: summarise(peaks.map((peak) => peak / MB), 'MB'),
      baseline: null,
      note: `\`crossdock serve\` (VmRSS) sampled every 100 ms; idle before the transfers ${Math.round(idleRss / MB)} MB; Crossdock's time by phase (medians): ${describePhases(phaseRuns)}`,
    },
  ];
}

/** "reading the source 8.1 s, udocker load 4.2 s": each phase's median over the runs, longest first. */
function describePhases(runs: Array<Map<string, number>>): string {
  const names = [...new Set(runs.flatMap((phases) => [...phases.keys()]))];
  const medians = names.map((name) => [name, median(runs.map((phases) => phases.get(name) ?? 0))] as const).filter(([, ms]) => ms >= 50);
  return medians
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
}

/**
 * Every source comes from Docker's: when it went in the middle of the run, that is the reason.
 * Another `npm run bench` starting on the same machine removes every crossdock-bench/ name.
 */
async function sourceGone(reference: string): Promise<string> {
  const inspected = await execa('docker', ['image', 'inspect', reference], { reject: false });
  return inspected.exitCode === 0 ? '' : `${reference} was removed during the run by something else (another bench's start removes every crossdock-bench/ name); `;
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
