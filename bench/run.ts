// `npm run bench`: measures, and writes BENCHMARKS.md and bench/results.json. Figures are medians
// with their spread over RUNS runs, each beside a baseline measured in the same run. Nothing here
// asserts a limit: speed is reported, not tested.
//
// Environment, for a short look: BENCH_RUNS (5); BENCH_SKIP_START, BENCH_SKIP_DETECTION,
// BENCH_SKIP_IMAGES, BENCH_SKIP_JOBS, BENCH_SKIP_SLURM, BENCH_SKIP_TRANSFERS leave a section out
// (BENCH_SKIP_SCROLL and BENCH_SKIP_MEMORY parts of the images section); the image counts and finer switches are
// in many-images.ts; BENCH_TRANSFER_MB (500) sizes the transfers' image, and BENCH_TRANSFER_PAIRS
// (`docker>podman,sif>udocker`; the names are in transfer-pairs.ts) measures only those pairs;
// BENCH_OUT_DIR writes BENCHMARKS.md and results.json there instead (a short
// run's numbers do not belong in the repository's files). The finer switches of the jobs
// section (BENCH_SKIP_JOB_START, BENCH_SKIP_OUTPUT, BENCH_JOB_ENGINES, BENCH_OUTPUT_LINES,
// BENCH_OUTPUT_RUNS) are in jobs.ts.
//
// BENCH_INCLUDE=path/to/results.json puts that earlier run's rows first, before this run's: a
// long bench can run as two sittings (say every section but transfers, then transfers alone)
// and still write one table; the header gives both sittings' dates.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startRows } from './cold-start';
import { detectionRows } from './detection';
import { jobRows } from './jobs';
import { isInterrupted, onInterrupt } from './interrupt';
import { describeMachine } from './machine';
import { manyImageRows } from './many-images';
import { countFromEnv, notMeasured, writeReport, type Row, type Section } from './report';
import { slurmRows } from './slurm';
import { removeBenchImages } from './synthetic-images';
import { transferRows } from './transfers';

// Bundled to dist/bench/run.js: the repository root is two folders up.
const root = fileURLToPath(new URL('../../', import.meta.url));

const sections: Section[] = [
  { name: 'start-up', skipVariable: 'BENCH_SKIP_START', rows: startRows },
  { name: 'detection', skipVariable: 'BENCH_SKIP_DETECTION', rows: detectionRows },
  { name: 'many images', skipVariable: 'BENCH_SKIP_IMAGES', rows: manyImageRows },
  { name: 'jobs', skipVariable: 'BENCH_SKIP_JOBS', rows: jobRows },
  { name: 'slurm', skipVariable: 'BENCH_SKIP_SLURM', rows: slurmRows },
  { name: 'transfers', skipVariable: 'BENCH_SKIP_TRANSFERS', rows: transferRows },
];

async function main(): Promise<void> {
  const runs = countFromEnv('BENCH_RUNS', 5);
  // Tags an interrupted run left would be counted in every figure below.
  const leftovers = await removeBenchImages().catch((error: unknown) => {
    process.stderr.write(`bench: could not look for leftover bench images: ${error instanceof Error ? error.message : String(error)}\n`);
    return null;
  });
  if (leftovers && leftovers.removed > 0) process.stderr.write(`bench: removed ${leftovers.removed} bench tags an earlier run left\n`);

  const browser = await chromium.launch({
    executablePath: process.env.CROSSDOCK_CHROMIUM ?? '/usr/bin/chromium',
    // Precise memory info: performance.memory otherwise answers in coarse, rarely updated steps.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
    // Playwright's own handlers exit the process once Chromium is closed, cutting the removal of
    // the bench's images short; interrupt.ts closes Chromium with the rest instead.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  onInterrupt(() => browser.close());
  const rows: Row[] = [];
  try {
    for (const section of sections) {
      if (process.env[section.skipVariable]) continue;
      process.stderr.write(`bench: ${section.name}\n`);
      try {
        rows.push(...(await section.rows({ browser, root, runs })));
      } catch (error) {
        if (isInterrupted()) break;
        // The other sections' figures still get written; the exit status says one failed.
        process.stderr.write(`bench: ${section.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        rows.push(notMeasured(section.name, error instanceof Error ? error.message.split('\n')[0]! : String(error)));
        process.exitCode = 1;
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
  }
  // Interrupted: the figures are half there and the handler is still removing what was made.
  if (isInterrupted()) return;

  const outDir = process.env.BENCH_OUT_DIR;
  const included = process.env.BENCH_INCLUDE ? readIncluded(process.env.BENCH_INCLUDE, runs) : null;
  const markdown = writeReport([...(included?.rows ?? []), ...rows], {
    machine: describeMachine(),
    runs,
    ...(included ? { includedFrom: included.writtenAt } : {}),
    markdownPath: outDir ? join(outDir, 'BENCHMARKS.md') : join(root, 'BENCHMARKS.md'),
    jsonPath: outDir ? join(outDir, 'results.json') : join(root, 'bench', 'results.json'),
  });
  process.stdout.write(`${markdown}\n`);
}

/** An earlier run's rows, refused unless it ran on this machine with as many runs per figure. */
function readIncluded(path: string, runs: number): { rows: Row[]; writtenAt: string } {
  const earlier = JSON.parse(readFileSync(path, 'utf8')) as { machine?: string; runs?: number; rows?: Row[]; writtenAt?: string };
  if (earlier.machine !== describeMachine()) throw new Error(`BENCH_INCLUDE: ${path} was measured on "${String(earlier.machine)}", not on this machine`);
  if (earlier.runs !== runs) throw new Error(`BENCH_INCLUDE: ${path} has ${String(earlier.runs)} runs per figure, this run ${runs}`);
  if (!Array.isArray(earlier.rows)) throw new Error(`BENCH_INCLUDE: ${path} has no rows`);
  return { rows: earlier.rows, writtenAt: earlier.writtenAt ?? statSync(path).mtime.toISOString() };
}

main().catch((error: unknown) => {
  if (isInterrupted()) return; // the signal handler exits once its cleanups are done
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
