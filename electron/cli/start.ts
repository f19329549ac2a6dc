// `crossdock start`: the Electron window when it can be shown, the browser host otherwise.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ServeOptions } from './args';
import { runServe } from './serve';

const BROWSER_INSTEAD = 'so Crossdock is serving its window to your browser instead.';

/** The Electron binary's path, or null when its download failed or was skipped. */
export function findElectronBinary(): string | null {
  try {
    // The electron package's main module answers the binary's path; it throws when the
    // download never happened (no path.txt).
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Why the window cannot open, as the one line `start` prints; null when it can. */
export function whyNoWindow(binary: string | null, display: boolean): string | null {
  if (binary === null) return `No Electron binary is installed (its download failed or was skipped), ${BROWSER_INSTEAD}`;
  if (!display) return `No display was found (DISPLAY and WAYLAND_DISPLAY are unset), ${BROWSER_INSTEAD}`;
  return null;
}

export async function runStart(options: ServeOptions, mainScript: URL, rendererDir: URL): Promise<number> {
  const binary = findElectronBinary();
  const reason = whyNoWindow(binary, hasDisplay());
  if (reason !== null || binary === null) {
    process.stdout.write(`${reason}\n`);
    return runServe(options, rendererDir);
  }
  const env = { ...process.env };
  // Set by some tools; it would make the binary a plain Node and ignore main.js's window.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [fileURLToPath(mainScript)], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise<number>((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`Could not start Electron: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
