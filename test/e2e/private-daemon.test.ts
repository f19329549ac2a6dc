// Against a private dockerd started for this test (never the machine's own): removing dangling
// images, which would touch everybody's images on a shared daemon, and a daemon that stops while
// the window is open: the engines panel must say so by itself, the other engine must keep
// working, and the window must not fall over.
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

describe.skipIf(dockerd.skip || podman.skip || chromiumMissing !== null)('a private dockerd: pruning, then stopping it while the window is open', () => {
  let daemon: PrivateDockerd;
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let window: MainWindow;
  let image: TestImage;
  let dangling: TestImage;
  let client: Dockerode;

  beforeAll(async () => {
    daemon = await startPrivateDockerd();
    client = new Dockerode({ socketPath: daemon.socketPath });
    image = await importIntoDocker(client);
    dangling = await importIntoDocker(client, { named: false, distinct: true });
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

  it('removes dangling images only after asking, and only the dangling ones', async () => {
    const danglingRow = window.page.locator(`[data-testid="image-row"][data-engine="docker"][data-image-id="${dangling.id}"]`);
    await expect.poll(() => danglingRow.count()).toBe(1);
    await window.page.getByTestId('prune-docker').click();
    const dialog = window.confirmDialog;
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toMatch(/1 dangling image/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await client.getImage(dangling.id).inspect()).toBeTruthy();

    await window.page.getByTestId('prune-docker').click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => danglingRow.count(), { timeout: 15_000 }).toBe(0);
    await expect(client.getImage(dangling.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await client.getImage(image.id).inspect()).toBeTruthy();
    await expect.poll(() => window.page.getByTestId('action-result').innerText()).toMatch(/removed 1 dangling image/);
  });

  it('shows the engine stopped, says why, and keeps the other engine listed', async () => {
    await expect.poll(() => window.engine('docker').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
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
    // The other engine goes through "checking" (its test container runs again) back to ready.
    await expect.poll(() => window.engine('podman').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
  });
});
