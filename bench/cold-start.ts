// Cold start: from starting Crossdock to the image list rendered in Chromium, with the image rows of
// every working engine on screen. Chromium is started first and kept, so the figure is Crossdock's
// and not the browser's. Each run gets fresh config/data/runtime folders (nothing cached) and
// stops the host afterwards, so Podman's service is started anew each time, as on a real start.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { cliListingMs } from './cli-baseline';
import { onInterrupt } from './interrupt';
import { epochNow, listedFor, recordListings } from './listing-watch';
import type { BenchContext, Row } from './report';
import { servedAddress } from './served-host';
import { summarise } from './stats';

export interface StartTiming {
  /** Spawn to "Crossdock is running at" printed. */
  listeningMs: number;
  /**
   * Spawn to body[data-ready] with at least one image row in the page; with `waitFor`, spawn to
   * the frame after the list showed every image those engines answered (see listing-watch.ts).
   */
  listedMs: number;
  rows: number;
}

export async function measureStart(browser: Browser, command: string[], cwd: string, waitFor?: readonly string[]): Promise<StartTiming> {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-bench-'));
  const started = epochNow();
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
  // A group of its own does not hear the terminal's Ctrl-C: stop it ourselves then too.
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const forget = onInterrupt(stop);
  try {
    const url = await servedAddress(child);
    const listeningMs = epochNow() - started;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      if (waitFor) {
        await recordListings(page);
        await page.goto(url);
        const listed = await listedFor(page, waitFor);
        return { listeningMs, listedMs: listed.renderedAt - started, rows: listed.rows };
      }
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"] [data-testid="image-row"]', { timeout: 60_000 });
      const listedMs = epochNow() - started;
      const rows = await page.locator('[data-testid="image-row"]').count();
      return { listeningMs, listedMs, rows };
    } finally {
      await context.close();
    }
  } finally {
    // The whole process group: `npm start` runs node under npm under sh.
    stop();
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
    forget();
    removeWhenQuiet(root);
  }
}

/** The start-up rows with the images the machine has: the built host, then `npm start`. */
export async function startRows({ browser, root, runs }: BenchContext): Promise<Row[]> {
  const baseline = { label: '`docker images` + `podman images`', value: summarise(Array.from({ length: runs }, () => cliListingMs())) };
  const built = [];
  for (let i = 0; i < runs; i += 1) built.push(await measureStart(browser, [process.execPath, 'dist/electron/cli.js', 'start', '--port', '0'], root));
  const npmStart = [];
  for (let i = 0; i < runs; i += 1) npmStart.push(await measureStart(browser, ['npm', 'start', '--silent', '--', '--port', '0'], root));
  return [
    { figure: 'start (built) → host listening', value: summarise(built.map((s) => s.listeningMs)), baseline: null, note: '`crossdock start` without Electron: the browser-host fallback' },
    {
      figure: `start (built) → image list rendered (${built[0]?.rows ?? 0} rows)`,
      value: summarise(built.map((s) => s.listedMs)),
      baseline,
      note: 'fresh folders each run: engines reached and listed, rows in Chromium (test containers finish in the background)',
    },
    { figure: '`npm start` → image list rendered', value: summarise(npmStart.map((s) => s.listedMs)), baseline, note: 'npm itself, and its check that the build is up to date (built above)' },
  ];
}

/**
 * The stopped host's test containers (Charliecloud's probe image build) may go on writing into its
 * folders for a while: the folder goes once they are done, without failing the figure.
 */
function removeWhenQuiet(root: string, triesLeft = 40): void {
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 4, retryDelay: 250 });
  } catch (error) {
    if (triesLeft <= 0) {
      process.stderr.write(`bench: could not remove ${root}: ${(error as Error).message}\n`);
      return;
    }
    setTimeout(() => removeWhenQuiet(root, triesLeft - 1), 3000);
  }
}
