// postinstall: fetch Electron's binary, which npm's allowScripts keeps electron's own install
// script from doing. Crossdock works without it (`npm start` then serves the window to a
// browser), so this script never fails `npm install`: every path ends in exit 0.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const TIME_LIMIT_MS = 5 * 60 * 1000;

function binaryPresent() {
  try {
    const pathFile = join(electronDir, 'path.txt');
    return existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
  } catch {
    return false;
  }
}

function note(reason) {
  console.log(`Electron's binary could not be downloaded (${reason}); \`npm start\` will serve Crossdock to a browser instead.`);
}

async function main() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return;
  if (!existsSync(join(electronDir, 'install.js'))) return; // production install without devDependencies
  if (binaryPresent()) return;

  const output = [];
  const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
  const { code, signal, error } = await new Promise((done) => {
    child.on('error', (spawnError) => done({ code: null, signal: null, error: spawnError }));
    child.on('exit', (exitCode, exitSignal) => done({ code: exitCode, signal: exitSignal, error: null }));
  });
  clearTimeout(timer);

  if (code === 0 && binaryPresent()) return;
  const firstLine = Buffer.concat(output)
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('at '));
  note(
    error?.message ??
      (signal === 'SIGKILL' ? 'it took longer than 5 minutes' : firstLine ?? `the installer exited with ${code ?? signal}`),
  );
}

main()
  .catch((error) => note(error instanceof Error ? error.message.split('\n')[0] : String(error)))
  .finally(() => process.exit(0));
