// Detection of every engine, test containers included, as `crossdock detect --json` does it:
// the whole command's wall time with fresh folders (cold: nothing cached, services started anew),
// and each engine's own detection time from the answer. Then cached: what a window asking again
// (engines.list without refresh, over HTTP as the window asks) waits once a detection is done.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, Row } from './report';
import { startServedHost } from './served-host';
import { summarise } from './stats';

export interface DetectionRun {
  wallMs: number;
  /** engine id -> its detectMs (the probe step) and state. */
  engines: Record<string, { detectMs: number; state: string }>;
}

export function measureDetection(cli: string): DetectionRun {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-bench-detect-'));
  try {
    const started = performance.now();
    const output = execFileSync(process.execPath, [cli, 'detect', '--json'], {
      env: {
        ...process.env,
        CROSSDOCK_CONFIG_DIR: join(root, 'config'),
        CROSSDOCK_DATA_DIR: join(root, 'data'),
        CROSSDOCK_RUNTIME_DIR: join(root, 'run'),
      },
      encoding: 'utf8',
      timeout: 180_000,
    });
    const wallMs = performance.now() - started;
    const answer = JSON.parse(output) as Array<{ id: string; state: string; detectMs: number }>;
    return { wallMs, engines: Object.fromEntries(answer.map((engine) => [engine.id, { detectMs: engine.detectMs, state: engine.state }])) };
  } finally {
    rmSync(root, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  }
}

/** engines.list answered from the host's last detection, `runs` times on one `crossdock serve`. */
export async function measureCachedDetection(root: string, runs: number): Promise<number[]> {
  const host = await startServedHost(root);
  try {
    // The detection to be cached: every engine reached and its test container finished.
    await host.call('engines.list', { waitForProbes: true });
    const samples: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      await host.call('engines.list', {});
      samples.push(performance.now() - started);
    }
    return samples;
  } finally {
    await host.stop();
  }
}

export async function detectionRows({ root, runs }: BenchContext): Promise<Row[]> {
  const detections = Array.from({ length: runs }, () => measureDetection(`${root}dist/electron/cli.js`));
  const cold = summarise(detections.map((d) => d.wallMs));
  const rows: Row[] = [{ figure: 'detect every engine, test containers included (cold)', value: cold, baseline: null, note: '`crossdock detect --json`, fresh folders each run, engines in parallel' }];
  const engineIds = Object.keys(detections[0]?.engines ?? {});
  for (const id of engineIds) {
    const states = [...new Set(detections.map((d) => d.engines[id]?.state))].join('/');
    rows.push({ figure: `  ${id}: its detection`, value: summarise(detections.map((d) => d.engines[id]?.detectMs ?? 0)), baseline: null, note: `state ${states}` });
  }
  rows.push({
    figure: 'detect every engine (cached): `engines.list` again',
    value: summarise(await measureCachedDetection(root, runs)),
    baseline: { label: 'cold, above', value: cold },
    note: '`crossdock serve` after one detection (probes waited for); the call without refresh over HTTP with the bearer token, as a script or the window asks',
  });
  return rows;
}
