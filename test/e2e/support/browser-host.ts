// Starts the real browser host (`crossdock serve`, the built CLI) in a child process with its own
// config, data, runtime and engine-store folders, so a test never touches the user's settings or
// stores, and reads the address it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningHost {
  /** The URL with its token, exactly as printed for the user. */
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

const cli = fileURLToPath(new URL('../../../dist/electron/cli.js', import.meta.url));

export async function startBrowserHost(options: { env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<RunningHost> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does).`);
  const root = mkdtempSync(join(tmpdir(), 'crossdock-e2e-'));
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...(options.args ?? [])], {
    env: {
      ...process.env,
      CROSSDOCK_CONFIG_DIR: join(root, 'config'),
      CROSSDOCK_DATA_DIR: join(root, 'data'),
      CROSSDOCK_RUNTIME_DIR: join(root, 'run'),
      CROSSDOCK_CACHE_DIR: join(root, 'cache'),
      // The engines that keep their store in the user's folders get private ones, so a test run
      // never writes into the tester's ~/.udocker or /var/tmp/$USER.ch.
      UDOCKER_DIR: join(root, 'udocker'),
      CH_IMAGE_STORAGE: join(root, 'ch-storage'),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host printed no address within 30 s:\n${output}`)), 30_000);
    const check = () => {
      const match = /Crossdock is running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited with ${code} before printing its address:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
