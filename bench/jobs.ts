// Jobs: run request to first output byte per engine (in-process host, beside the engine's own CLI),
// then a job printing 100 MB and 1 GB with its terminal open in Chromium (served host, beside the
// same job printing to /dev/null).
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
import type { BenchContext, Row } from './report';
import { startServedHost } from './served-host';
import { summarise } from './stats';

const MB = 1024 * 1024;

export async function jobRows(context: BenchContext): Promise<Row[]> {
  const home = mkdtempSync(join(tmpdir(), 'crossdock-bench-jobs-'));
  const images = await prepareImages(home);
  // The test images go however the section ends, Ctrl-C included.
  const forget = onInterrupt(() => images.cleanup());
  try {
    return await measureJobs(context, home, images);
  } finally {
    await images.cleanup();
    forget();
    rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  }
}

async function measureJobs({ browser, root, runs }: BenchContext, home: string, images: PreparedImages): Promise<Row[]> {
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
        // By hand, udocker needs the system tools Crossdock points it at (its own tarball cannot be
        // downloaded here): the same environment, or the baseline fails with "proot executable not found".
        const byHandEnv = engine.id === 'udocker' ? (await udockerEnvironment(images.env)).env : images.env;
        for (let i = 0; i < runs; i += 1) samples.push(await measureJobStart(host, spec, byHandEnv, byHand));
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
      const outputRuns = Number(process.env.BENCH_OUTPUT_RUNS ?? runs);
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function formatMb(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}

