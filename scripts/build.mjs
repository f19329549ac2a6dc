// Builds everything `npm start` runs: the Electron/CLI bundles with esbuild, then the renderer
// with vite (when vite.config.ts exists). One summary line on success.
//
//   node scripts/build.mjs [--electron-only] [--outdir DIR] [--if-stale]
//
// --if-stale (what `npm start` uses) skips the build when every output is newer than every source,
// so a second start does not pay a second or more for a build that changes nothing.
// --outdir (default dist/electron) lets tests build a private copy; keep it inside the repository
// so the bundles still find node_modules.
import { build } from 'esbuild';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { 'electron-only': { type: 'boolean' }, outdir: { type: 'string' }, 'if-stale': { type: 'boolean' } },
});
const outdir = resolve(root, values.outdir ?? 'dist/electron');
const started = performance.now();

if (values['if-stale'] && !values.outdir && !values['electron-only'] && isUpToDate()) {
  console.log('build is up to date');
  process.exit(0);
}

/** Every output exists and is newer than every source the build reads. */
function isUpToDate() {
  const outputs = ['dist/electron/cli.js', 'dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];
  const sources = ['shared', 'electron', 'renderer', 'package.json', 'package-lock.json', 'vite.config.ts', 'scripts/build.mjs'];
  let oldestOutput = Infinity;
  for (const output of outputs) {
    const path = resolve(root, output);
    if (!existsSync(path)) return false;
    oldestOutput = Math.min(oldestOutput, statSync(path).mtimeMs);
  }
  return sources.every((source) => newestMtime(resolve(root, source)) < oldestOutput);
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(resolve(path, entry)));
  return newest;
}

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};
// ESM bundles may still meet a bundled CommonJS `require`; give them a real one.
const requireShim =
  "import { createRequire as __crossdockCreateRequire } from 'node:module';\n" +
  'const require = __crossdockCreateRequire(import.meta.url);';

// Only this script writes there; old hashed chunks must not pile up.
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/cli.ts'],
    // Split so that each command's code (and the packages it imports) loads only when chosen.
    outdir,
    splitting: true,
    entryNames: '[name]',
    // Chunks sit beside cli.js: code such as app-host.ts finds package.json relative to its own file.
    chunkNames: '[name]-[hash]',
    format: 'esm',
    packages: 'external',
    banner: { js: `#!/usr/bin/env node\n${requireShim}` },
  }),
  build({
    ...common,
    entryPoints: ['electron/main.ts'],
    outfile: resolve(outdir, 'main.js'),
    format: 'esm',
    packages: 'external',
    external: ['electron'],
    banner: { js: requireShim },
  }),
  // A sandboxed preload can require only `electron`: shared/ and zod are bundled in.
  build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: resolve(outdir, 'preload.cjs'),
    format: 'cjs',
    external: ['electron'],
    // Parsed by every window at each load: minified, zod and all.
    minify: true,
  }),
]).catch(() => {
  // esbuild has already printed each error with its source line; a stack trace adds nothing.
  console.error('build failed: see the errors above');
  process.exit(1);
});
await chmod(resolve(outdir, 'cli.js'), 0o755);

let renderer = 'renderer skipped (--electron-only)';
if (!values['electron-only']) {
  const configFile = resolve(root, 'vite.config.ts');
  if (existsSync(configFile)) {
    const { build: viteBuild } = await import('vite');
    // vite.config.ts names its own root (renderer/) and outDir (dist/renderer).
    await viteBuild({ configFile, logLevel: 'warn' }).catch(() => {
      console.error('build failed: the renderer did not build (see above)');
      process.exit(1);
    });
    renderer = 'renderer built';
  } else {
    renderer = 'renderer skipped: vite.config.ts does not exist yet';
    process.stderr.write('warning: vite.config.ts not found; the renderer was not built\n');
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`built ${relative(root, outdir)}/{cli.js,main.js,preload.cjs}; ${renderer} (${seconds}s)`);
