// Builds the window (renderer/) into dist/renderer. Both hosts serve these files: Electron from
// disk and the browser host over HTTP, so every asset URL is relative (base './').
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: `${repoRoot}renderer`,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${repoRoot}dist/renderer`,
    emptyOutDir: true,
    // The CSP forbids inline scripts and data: scripts; keep every asset a file of its own.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
