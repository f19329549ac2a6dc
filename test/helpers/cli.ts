// Builds the `crossdock` command into a private folder under dist/ and runs it like a user would.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../..');

export interface BuiltCli {
  dir: string;
  cli: string;
}

/** `name` keeps parallel test files apart; the folder stays inside the repository so the
 * bundle's external packages resolve from node_modules. */
export function buildCli(name: string): BuiltCli {
  const dir = join(repo, 'dist', `test-${name}`);
  execFileSync(process.execPath, ['scripts/build.mjs', '--electron-only', '--outdir', `dist/test-${name}/electron`], {
    cwd: repo,
    stdio: 'pipe',
  });
  mkdirSync(join(dir, 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Crossdock test page</title>');
  return { dir, cli: join(dir, 'electron', 'cli.js') };
}

export function runCli(cli: string, args: string[], home: string): ChildProcessWithoutNullStreams {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CROSSDOCK_CONFIG_DIR: join(home, 'config'),
    CROSSDOCK_DATA_DIR: join(home, 'data'),
    CROSSDOCK_RUNTIME_DIR: join(home, 'runtime'),
  };
  // Whatever this machine has, the window cannot open here.
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return spawn(process.execPath, [cli, ...args], { env, stdio: 'pipe' });
}

/** Resolves with stdout's lines once one starts with `prefix`. */
export function readUntil(child: ChildProcessWithoutNullStreams, prefix: string, timeoutMs = 15_000): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    let text = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`no "${prefix}" line; stdout: ${text}; stderr: ${errors}`)), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const lines = text.split('\n');
      if (lines.some((line) => line.startsWith(prefix))) {
        clearTimeout(timer);
        resolvePromise(lines);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} early; stdout: ${text}; stderr: ${errors}`)));
  });
}

export const exitCode = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolvePromise) => {
    if (child.exitCode !== null) resolvePromise(child.exitCode);
    else child.on('exit', (code) => resolvePromise(code));
  });

export const URL_PREFIX = 'Crossdock is running at ';

export function servedUrl(lines: string[]): URL {
  const line = lines.find((candidate) => candidate.startsWith(URL_PREFIX));
  if (!line) throw new Error('no URL line');
  return new URL(line.slice(URL_PREFIX.length));
}
