// `npm run bench`: measures, and writes BENCHMARKS.md and bench/results.json. Figures are medians
// with their spread over RUNS runs, each beside a baseline measured in the same run. Nothing here
// asserts a limit: speed is reported, not tested.
//
// Environment, for a short look: BENCH_RUNS (5); BENCH_SKIP_START, BENCH_SKIP_DETECTION,
// BENCH_SKIP_IMAGES, BENCH_SKIP_JOBS, BENCH_SKIP_SLURM, BENCH_SKIP_TRANSFERS leave a section out
// (BENCH_SKIP_SCROLL and BENCH_SKIP_MEMORY parts of the images section); the image counts and finer switches are
// in many-images.ts; BENCH_OUT_DIR writes BENCHMARKS.md and results.json there instead (a short
// run's numbers do not belong in the repository's files).
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
  const markdown = writeReport(rows, {
    machine: describeMachine(),
    runs,
    markdownPath: outDir ? join(outDir, 'BENCHMARKS.md') : join(root, 'BENCHMARKS.md'),
    jsonPath: outDir ? join(outDir, 'results.json') : join(root, 'bench', 'results.json'),
  });
  process.stdout.write(`${markdown}\n`);
}

main().catch((error: unknown) => {
  if (isInterrupted()) return; // the signal handler exits once its cleanups are done
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
