// Jobs: run request to first output byte per engine (in-process host, beside the engine's own CLI),
// then a job printing 100 MB and 1 GB with its terminal open in Chromium (served host, beside the
// same job printing to /dev/null).
//
// Finer switches, for a short look at one figure: BENCH_SKIP_JOB_START and BENCH_SKIP_OUTPUT leave
// out either half; BENCH_JOB_ENGINES=udocker,docker measures the first byte of those engines only;
// BENCH_OUTPUT_LINES=75 sets the output jobs' sizes in 4 MB lines (default 25,256: 100 MB and 1 GB);
// BENCH_OUTPUT_RUNS their run count (default BENCH_RUNS).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppHost } from '../electron/host/app-host';
import { udockerEnvironment } from '../electron/engines/udocker/environment';
import type { ImageSummary } from '../shared/model';
import { onInterrupt } from './interrupt';
import { prepareImages, type PreparedImages } from './job-images';
import { measureOutput } from './job-output';
import { measureJobStart } from './job-start';
import { countFromEnv, type BenchContext, type Row } from './report';
import { startServedHost } from './served-host';
import { summarise } from './stats';

const MB = 1024 * 1024;

export async function jobRows(context: BenchContext): Promise<Row[]> {
  const home = mkdtempSync(join(tmpdir(), 'crossdock-bench-jobs-'));
  const images = await prepareImages(home);
  // The test images go however the section ends, Ctrl-C included.
  const forget = onInterrupt(() => images.cleanup());
  try {
    return [
      ...(process.env.BENCH_SKIP_JOB_START ? [] : await firstByteRows(context, home, images)),
      ...(process.env.BENCH_SKIP_OUTPUT ? [] : await outputRows(context, images)),
    ];
  } finally {
    await images.cleanup();
    forget();
    rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  }
}

async function firstByteRows({ runs }: BenchContext, home: string, images: PreparedImages): Promise<Row[]> {
  const rows: Row[] = [];
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
    const only = listFromEnv('BENCH_JOB_ENGINES');
    for (const engine of engines) {
      if (only && !only.includes(engine.id)) continue;
      if (engine.state !== 'ready' || !runnable.has(engine.id) || !images.references.has(engine.id)) continue;
      const reference = images.references.get(engine.id) ?? null;
      const listed = (await call('images.list', { engineId: engine.id })) as ImageSummary[];
      const row = listed.find((candidate) =>
        reference ? candidate.repoTags.some((tag) => tag === reference || tag.endsWith(`/${reference}`)) : candidate.location?.endsWith('/busybox'),
      );
      if (!row) continue;
      const udocker = engine.id === 'udocker';
      // udocker: the job runs in P1 (udocker's own default, and Crossdock's choice wherever its test
      // container works), named here so that the two sides cannot differ.
      const spec = {
        engineId: engine.id,
        image: { imageId: row.id, reference: row.repoTags[0] ?? null },
        command: ['echo', 'first-byte'],
        ...(udocker ? { executionMode: UDOCKER_MODE } : {}),
      };
      const samples = [];
      try {
        const byHand = udocker ? udockerByHand(reference ?? spec.image.reference ?? '', spec.command) : (line: string[]) => line;
        // By hand, udocker needs the system tools Crossdock points it at (its own tarball cannot be
        // downloaded here): the same environment, or the baseline fails with "proot executable not found".
        const byHandEnv = udocker ? { ...(await udockerEnvironment(images.env)).env, UDOCKER_DEFAULT_EXECUTION_MODE: UDOCKER_MODE } : images.env;
        for (let i = 0; i < runs; i += 1) samples.push(await measureJobStart(host, spec, byHandEnv, byHand));
      } catch (error) {
        rows.push({ figure: `job start → first output byte: ${engine.label}`, value: summarise([Number.NaN]), baseline: null, note: `not measured: ${(error as Error).message}` });
        continue;
      }
      const cli = samples.flatMap((sample) => (sample.cliMs === null ? [] : [sample.cliMs]));
      rows.push({
        figure: `job start → first output byte: ${engine.label}`,
        value: summarise(samples.map((sample) => sample.crossdockMs)),
        baseline: cli.length > 0 ? { label: udocker ? `\`udocker run --rm --pull=never IMAGE\` by hand (${UDOCKER_MODE})` : 'the same command line run by hand', value: summarise(cli) } : null,
        note:
          cli.length > 0
            ? `\`echo first-byte\`, in-process host (the transport adds a WebSocket message)${udocker ? `; Crossdock makes four udocker calls before the first byte (create, setup --execmode=${UDOCKER_MODE}, setup to read the mode back, run), by hand one (run of the image creates and removes the container itself)` : ''}`
            : `CLI baseline failed: ${samples[0]?.cliProblem ?? ''}`,
      });
    }
  } finally {
    await host.dispose();
  }
  return rows;
}

async function outputRows({ browser, root, runs }: BenchContext, images: PreparedImages): Promise<Row[]> {
  const rows: Row[] = [];
  const docker = images.references.get('docker');
  if (docker) {
    const served = await startServedHost(root);
    try {
      const listed = (await served.call('images.list', { engineId: 'docker' })) as ImageSummary[];
      const row = listed.find((candidate) => candidate.repoTags.includes(docker));
      const outputRuns = countFromEnv('BENCH_OUTPUT_RUNS', runs);
      const sizes = (listFromEnv('BENCH_OUTPUT_LINES') ?? ['25', '256']).map((lines) => {
        const value = Number(lines);
        if (!Number.isInteger(value) || value < 1) throw new Error(`BENCH_OUTPUT_LINES takes whole numbers of 4 MB lines, not "${lines}"`);
        return value;
      });
      for (const lines of sizes) {
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
          figure: `  same job, \`docker run\` by hand, output to the host's /dev/null (${size})`,
          value: summarise(samples.map((sample) => sample.cliWallMs)),
          baseline: { label: 'same job, output to /dev/null inside the container', value: summarise(samples.map((sample) => sample.nullWallMs)) },
          note: `ratio ${(median(samples.map((s) => s.cliWallMs)) / median(samples.map((s) => s.nullWallMs))).toFixed(2)}x: the engine's own floor (its daemon logs and forwards every byte); Crossdock against it: ${(median(samples.map((s) => s.wallMs)) / median(samples.map((s) => s.cliWallMs))).toFixed(2)}x (CLI time includes container create and remove)`,
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
  return rows;
}

/** udocker's own default mode, and the mode both sides of its first-byte figure run in. */
const UDOCKER_MODE = 'P1';

/**
 * What a person types for what Crossdock does around a udocker job (create the container, set its
 * mode, run it, remove it): one `udocker run --rm` of the image, which creates the container from
 * the image in the default mode (UDOCKER_DEFAULT_EXECUTION_MODE, set for it), runs it and removes
 * it. The dialog's line names the container Crossdock creates, which no longer exists afterwards;
 * its words before `run` (the udocker found, and --allow-root as root) and its `--pull=never`
 * (never go to Docker Hub for a name it does not know) are kept.
 */
function udockerByHand(image: string, command: string[]): (line: string[]) => string[] {
  return (line) => [...line.slice(0, line.indexOf('run') + 1), '--rm', '--pull=never', '--nobanner', image, ...command];
}

/** A comma-separated list from the environment, or null when the variable is not set. */
function listFromEnv(name: string): string[] | null {
  const raw = process.env[name]?.trim();
  return raw ? raw.split(',').map((item) => item.trim()).filter((item) => item !== '') : null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function formatMb(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}

