// Cold start: from starting Crossdock to the image list rendered in Chromium, with the image rows of
// every working engine on screen. Chromium is started first and kept, so the figure is Crossdock's
// and not the browser's. Each run gets fresh config/data/runtime folders (nothing cached) and
// stops the host afterwards, so Podman's service is started anew each time, as on a real start.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { servedAddress } from './served-host';

export interface StartTiming {
  /** Spawn to "Crossdock is running at" printed. */
  listeningMs: number;
  /** Spawn to body[data-ready] with at least one image row in the page. */
  listedMs: number;
  rows: number;
}

export async function measureStart(browser: Browser, command: string[], cwd: string): Promise<StartTiming> {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-bench-'));
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env: {
      ...process.env,
      CROSSDOCK_CONFIG_DIR: join(root, 'config'),
      CROSSDOCK_DATA_DIR: join(root, 'data'),
      CROSSDOCK_RUNTIME_DIR: join(root, 'run'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    const url = await servedAddress(child);
    const listeningMs = performance.now() - started;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"] [data-testid="image-row"]', { timeout: 60_000 });
    const listedMs = performance.now() - started;
    const rows = await page.locator('[data-testid="image-row"]').count();
    await context.close();
    return { listeningMs, listedMs, rows };
  } finally {
    // The whole process group: `npm start` runs node under npm under sh.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    rmSync(root, { recursive: true, force: true });
  }
}
