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

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
