// Detection of every engine, test containers included, as `crossdock detect --json` does it:
// the whole command's wall time with fresh folders (cold: nothing cached, services started anew),
// and each engine's own detection time from the answer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    rmSync(root, { recursive: true, force: true });
  }
}
