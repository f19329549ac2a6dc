// `npm run bench`: measures, and writes BENCHMARKS.md and bench/results.json. Figures are medians
// with their spread over RUNS runs, each beside a baseline measured in the same run. Nothing here
// asserts a limit: speed is reported, not tested.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { cliListingMs } from './cli-baseline';
import { describeMachine } from './machine';
import { measureStart } from './cold-start';
import { measureDetection } from './detection';
import { formatSummary, summarise, type Summary } from './stats';
import { createAppHost } from '../electron/host/app-host';
import { prepareImages } from './job-images';
import { measureJobStart } from './job-start';
import { measureOutput } from './job-output';
import { startServedHost } from './served-host';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageSummary } from '../shared/model';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// Bundled to dist/bench/run.js: the repository root is two folders up.
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Row {
  figure: string;
  value: Summary;
  baseline: { label: string; value: Summary } | null;
  note: string;
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CROSSDOCK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const rows: Row[] = [];
  try {
    const cli = summarise(Array.from({ length: RUNS }, () => cliListingMs()));
    const baseline = { label: '`docker images` + `podman images`', value: cli };

    const served = [];
    for (let i = 0; i < RUNS; i += 1) served.push(await measureStart(browser, [process.execPath, 'dist/electron/cli.js', 'start', '--port', '0'], root));
    const imageCount = served[0]?.rows ?? 0;
    rows.push({ figure: 'start (built) → host listening', value: summarise(served.map((s) => s.listeningMs)), baseline: null, note: '`crossdock start` without Electron: the browser-host fallback' });
    rows.push({ figure: `start (built) → image list rendered (${imageCount} rows)`, value: summarise(served.map((s) => s.listedMs)), baseline, note: 'fresh folders each run: engines reached and listed, rows in Chromium (test containers finish in the background)' });

    const npmStart = [];
    for (let i = 0; i < RUNS; i += 1) npmStart.push(await measureStart(browser, ['npm', 'start', '--silent', '--', '--port', '0'], root));
    rows.push({ figure: '`npm start` → image list rendered', value: summarise(npmStart.map((s) => s.listedMs)), baseline, note: 'npm itself, and its check that the build is up to date (built above)' });

    const detections = Array.from({ length: RUNS }, () => measureDetection(`${root}dist/electron/cli.js`));
    rows.push({ figure: 'detect every engine, test containers included (cold)', value: summarise(detections.map((d) => d.wallMs)), baseline: null, note: '`crossdock detect --json`, fresh folders each run, engines in parallel' });
    const engineIds = Object.keys(detections[0]?.engines ?? {});
    for (const id of engineIds) {
      const states = [...new Set(detections.map((d) => d.engines[id]?.state))].join('/');
      rows.push({ figure: `  ${id}: its detection`, value: summarise(detections.map((d) => d.engines[id]?.detectMs ?? 0)), baseline: null, note: `state ${states}` });
    }

    if (!process.env.BENCH_SKIP_JOBS) rows.push(...(await jobRows(browser)));
  } finally {
    await browser.close();
  }

  const machine = describeMachine();
  const table = [
    '| figure | median (min–max) | baseline, same run | note |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.figure} | ${formatSummary(row.value)} | ${row.baseline ? `${row.baseline.label}: ${formatSummary(row.baseline.value)}` : '—'} | ${row.note} |`),
  ].join('\n');
  const markdown = `# Benchmarks\n\nWritten by \`npm run bench\` on ${new Date().toISOString()}.\nMachine: ${machine}. ${RUNS} runs per figure.\n\n${table}\n`;
  writeFileSync(`${root}BENCHMARKS.md`, markdown);
  writeFileSync(`${root}bench/results.json`, `${JSON.stringify({ machine, runs: RUNS, rows }, null, 2)}\n`);
  process.stdout.write(`${markdown}\n`);
}

const MB = 1024 * 1024;

async function jobRows(browser: import('playwright-core').Browser): Promise<Row[]> {
  const rows: Row[] = [];
  const home = mkdtempSync(join(tmpdir(), 'crossdock-bench-jobs-'));
  const images = await prepareImages(home);
  const host = createAppHost({
    env: { ...images.env, CROSSDOCK_CONFIG_DIR: join(home, 'config'), CROSSDOCK_DATA_DIR: join(home, 'data'), CROSSDOCK_RUNTIME_DIR: join(home, 'run') },
    log: () => undefined,
  });
  const call = async (name: string, request: unknown) => {
    const envelope = await host.router.call(name, request, { transport: 'web', signal: new AbortController().signal });
    if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
    return envelope.result;
  };
  try {
    await call('settings.update', { imageFolders: images.imageFolders });
    const engines = (await call('engines.list', { waitForProbes: true })) as Array<{ id: string; label: string; state: string }>;
    const runnable = new Set(((await call('run.options', {})) as Array<{ engineId: string }>).map((option) => option.engineId));
    for (const engine of engines) {
      if (engine.state !== 'ready' || !runnable.has(engine.id) || !images.references.has(engine.id)) continue;
      const reference = images.references.get(engine.id) ?? null;
      const listed = (await call('images.list', { engineId: engine.id })) as ImageSummary[];
      const row = listed.find((candidate) =>
        reference ? candidate.repoTags.some((tag) => tag === reference || tag.endsWith(`/${reference}`)) : candidate.location?.endsWith('/busybox'),
      );
      if (!row) continue;
      const spec = { engineId: engine.id, image: { imageId: row.id, reference: row.repoTags[0] ?? null }, command: ['echo', 'first-byte'] };
      const samples = [];
      try {
        // udocker's run step names the container Crossdock creates for the job; by hand one runs the image.
        const byHand = (line: string[]) => (engine.id === 'udocker' ? [...line.slice(0, line.indexOf('run') + 1), '--rm', '--nobanner', reference ?? '', ...spec.command] : line);
        for (let i = 0; i < RUNS; i += 1) samples.push(await measureJobStart(host, spec, images.env, byHand));
      } catch (error) {
        rows.push({ figure: `job start → first output byte: ${engine.label}`, value: summarise([Number.NaN]), baseline: null, note: `not measured: ${(error as Error).message}` });
        continue;
      }
      const cli = samples.flatMap((sample) => (sample.cliMs === null ? [] : [sample.cliMs]));
      rows.push({
        figure: `job start → first output byte: ${engine.label}`,
        value: summarise(samples.map((sample) => sample.crossdockMs)),
        baseline: cli.length > 0 ? { label: engine.id === 'udocker' ? '`udocker run --rm IMAGE` by hand' : 'the same command line run by hand', value: summarise(cli) } : null,
        note: cli.length > 0 ? '`echo first-byte`, in-process host (the transport adds a WebSocket message)' : `CLI baseline failed: ${samples[0]?.cliProblem ?? ''}`,
      });
    }
  } finally {
    await host.dispose();
  }

  const docker = images.references.get('docker');
  if (docker) {
    const served = await startServedHost(root);
    try {
      const listed = (await served.call('images.list', { engineId: 'docker' })) as ImageSummary[];
      const row = listed.find((candidate) => candidate.repoTags.includes(docker));
      const outputRuns = Number(process.env.BENCH_OUTPUT_RUNS ?? RUNS);
      for (const lines of [25, 256]) {
        if (!row) break;
        const samples = [];
        for (let i = 0; i < outputRuns; i += 1) samples.push(await measureOutput(browser, served, { id: row.id, reference: docker }, lines));
        const size = `${Math.round((lines * 4 * MB) / MB)} MB`;
        rows.push({
          figure: `job printing ${size}, terminal open: wall time`,
          value: summarise(samples.map((sample) => sample.wallMs)),
          baseline: { label: 'same job, output to /dev/null', value: summarise(samples.map((sample) => sample.nullWallMs)) },
          note: `ratio ${(median(samples.map((s) => s.wallMs)) / median(samples.map((s) => s.nullWallMs))).toFixed(2)}x; Docker; the engine's start to end`,
        });
        rows.push({
          figure: `  terminal parsed (${size})`,
          value: summarise(samples.map((sample) => sample.renderedChars / MB / (sample.renderMs / 1000)), 'MB/s'),
          baseline: null,
          note: `characters the terminal took, over the job and its catch-up (it shows tails of a firehose, a few a second); skipped for it, kept on disk: ${formatMb(median(samples.map((s) => s.skippedBytes)))}`,
        });
        rows.push({ figure: `  host peak RSS (${size})`, value: summarise(samples.map((sample) => sample.hostPeakRss / MB), 'MB'), baseline: null, note: '`crossdock serve` (VmRSS), sampled every 100 ms' });
        rows.push({ figure: `  window JS heap peak (${size})`, value: summarise(samples.map((sample) => sample.windowPeakHeap / MB), 'MB'), baseline: null, note: 'performance.memory in Chromium' });
      }
    } finally {
      await served.stop();
    }
  }
  await images.cleanup();
  rmSync(home, { recursive: true, force: true });
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function formatMb(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
