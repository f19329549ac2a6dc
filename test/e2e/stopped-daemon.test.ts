// A daemon that stops while the window is open: the engines panel must say so by itself, the other
// engine must keep working, and the window must not fall over. The daemon stopped is a private
// dockerd started for this test, never the machine's own.
import Dockerode from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { requireDockerd, requireEngine } from '../helpers/engines';
import { startPrivateDockerd, type PrivateDockerd } from '../helpers/private-dockerd';
import { chromiumMissingReason, launchChromium } from './support/chromium';
import { startBrowserHost, type RunningHost } from './support/browser-host';
import { MainWindow } from './support/main-window';

const dockerd = await requireDockerd();
const podman = await requireEngine('podman');
const chromiumMissing = chromiumMissingReason();
if (chromiumMissing && process.env.CI) throw new Error(`Chromium is required on CI: ${chromiumMissing}`);

describe.skipIf(dockerd.skip || podman.skip || chromiumMissing !== null)('a daemon that stops while the window is open', () => {
  let daemon: PrivateDockerd;
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let window: MainWindow;
  let image: TestImage;

  beforeAll(async () => {
    daemon = await startPrivateDockerd();
    image = await importIntoDocker(new Dockerode({ socketPath: daemon.socketPath }));
    host = await startBrowserHost({ env: { DOCKER_HOST: daemon.dockerHost } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
    window = new MainWindow(page);
    await window.open(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await daemon?.cleanup();
  });

  it('shows the engine stopped, says why, and keeps the other engine listed', async () => {
    await expect.poll(() => window.engine('docker').getAttribute('data-state')).toBe('ready');
    await expect.poll(() => window.rowFor('docker', image.reference!).count()).toBe(1);
    const podmanRows = await window.rowsOf('podman').count();

    await daemon.stop();

    await expect.poll(() => window.engine('docker').getAttribute('data-state'), { timeout: 30_000 }).toBe('unreachable');
    expect(await window.engine('docker').innerText()).toMatch(/not running|no daemon|nothing answers|refused/i);
    await expect.poll(() => window.rowsOf('docker').count(), { timeout: 15_000 }).toBe(0);
    expect(await window.rowsOf('podman').count()).toBe(podmanRows);
  });

  it('answers a fresh detection with the same clear state', async () => {
    await window.enginesPanel.getByRole('button', { name: /re-?detect/i }).click();
    await expect.poll(() => window.engine('docker').getAttribute('data-state'), { timeout: 30_000 }).toBe('unreachable');
    expect(await window.engine('podman').getAttribute('data-state')).toBe('ready');
  });
});
