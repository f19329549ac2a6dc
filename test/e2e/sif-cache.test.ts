// The engines panel's "Unpacked SIF files" section in Chromium against the real browser host: a
// SIF file Crossdock wrote and unpacked into the host's cache shows as one entry with its size,
// and Clear removes it (the folder on disk is gone, the section says so).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SifCache } from '../../electron/sif/cache';
import { writeSif } from '../../electron/sif/write';
import { EMPTY_IMAGE_CONFIG } from '../../electron/transfer/image-config';
import { busyboxRootTar } from '../fixtures/busybox-image';
import { requireSifTools } from '../fixtures/sif-files';
import { chromiumMissingReason, launchChromium } from './support/chromium';
import { startBrowserHost, type RunningHost } from './support/browser-host';
import { MainWindow } from './support/main-window';

const tools = await requireSifTools(['mksquashfs', 'unsquashfs', 'tar']);
const chromiumMissing = chromiumMissingReason();
if (chromiumMissing && process.env.CI) throw new Error(`Chromium is required on CI: ${chromiumMissing}`);
if (chromiumMissing) console.warn(`skipping end-to-end tests: ${chromiumMissing}`);

describe.skipIf(tools.skip || chromiumMissing !== null)('the SIF cache in the engines panel', () => {
  let base: string;
  let host: RunningHost;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-e2e-sif-'));
    chmodSync(base, 0o755);
    const root = join(base, 'root');
    mkdirSync(root);
    await execa('tar', ['-x', '-C', root], { input: busyboxRootTar() });
    const sifPath = join(base, 'busybox.sif');
    await writeSif({ rootfsDir: root, config: { ...EMPTY_IMAGE_CONFIG, cmd: ['/bin/sh'] }, outPath: sifPath, signal: new AbortController().signal });
    // Unpacked as a run would, into the cache the host will use.
    const lease = await new SifCache(join(base, 'cache', 'sif')).lease(sifPath, new AbortController().signal);
    lease.release();
    host = await startBrowserHost({ env: { CROSSDOCK_CACHE_DIR: join(base, 'cache') } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
    await new MainWindow(page).open(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('shows the unpacked SIF file with its size and folder, and clears it', async () => {
    const section = page.getByTestId('sif-cache');
    await expect.poll(() => page.getByTestId('sif-cache-usage').innerText()).toMatch(/^1 unpacked, [\d.]+ (kB|MB) in .*cache\/sif$/);
    await section.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.getByTestId('sif-cache-cleared').innerText()).toMatch(/^Removed 1, freed [\d.]+ (kB|MB)\.$/);
    await expect.poll(() => page.getByTestId('sif-cache-usage').innerText()).toMatch(/^None/);
    expect(await section.getByRole('button', { name: 'Clear' }).isDisabled()).toBe(true);
    expect(existsSync(join(base, 'cache', 'sif')) ? readdirSync(join(base, 'cache', 'sif')) : []).toEqual([]);
  });
});
