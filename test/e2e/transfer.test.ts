// "Copy to engine…" end to end, in Debian's Chromium against the real browser host: a busybox
// image copied from Docker into udocker (a private repository) through the dialog, by keyboard
// where a user would, with the progress shown; then the image list shows it as one row with both
// engines' badges. A copy the host refuses says why in the window (a name that exists, until
// "Replace it" is ticked; a name with a ".." part), and no serious accessibility violation.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Dockerode from 'dockerode';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { requireEngine } from '../helpers/engines';
import { requireUdocker } from '../helpers/udocker';
import { ARTIFACTS_DIR, chromiumMissingReason, launchChromium } from './support/chromium';
import { startBrowserHost, type RunningHost } from './support/browser-host';
import { MainWindow } from './support/main-window';

const docker = await requireEngine('docker');
const udocker = await requireUdocker();
const chromiumMissing = chromiumMissingReason();
if (chromiumMissing && process.env.CI) throw new Error(`Chromium is required on CI: ${chromiumMissing}`);
if (chromiumMissing) console.warn(`skipping the transfer end-to-end tests: ${chromiumMissing}`);

describe.skipIf(docker.skip || udocker.skip || chromiumMissing !== null)('Copy to engine', () => {
  const dockerode = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let window: MainWindow;
  let image: TestImage;
  let pageErrors: string[];

  const dialog = () => page.getByTestId('transfer-dialog');
  const badgesOf = (row: Locator) => row.locator('[data-testid="engine-badge"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-engine-id')));
  const serious = async (name: string) => {
    const results = await new AxeBuilder({ page }).include('[data-testid="transfer-dialog"]').analyze();
    writeFileSync(join(ARTIFACTS_DIR, `axe-${name}.json`), JSON.stringify(results.violations, null, 2));
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
  };

  beforeAll(async () => {
    // A layer no other test image shares, so the merged row is this test's alone.
    image = await importIntoDocker(dockerode, { distinct: true });
    // The host's udocker repository is private to it (startBrowserHost's UDOCKER_DIR), removed with it.
    host = await startBrowserHost();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(message.text());
    });
    window = new MainWindow(page);
    await window.open(host.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await image?.cleanup();
  }, 60_000);

  it('copies a Docker image into udocker with its progress, then shows one row with both badges', async () => {
    const row = window.rowFor('docker', image.reference!);
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    await row.click();
    await window.detail.getByTestId('image-copy-to-engine').click();
    await expect.poll(() => dialog().isVisible()).toBe(true);

    // Docker itself is not offered; udocker is, once the plan answered.
    expect(await dialog().getByTestId('transfer-target-docker').count()).toBe(0);
    const check = dialog().getByTestId('transfer-check-udocker');
    await expect.poll(() => check.isEnabled(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => dialog().getByTestId('transfer-name-udocker').getAttribute('placeholder'), { timeout: 30_000 }).toBe(image.reference);
    // By keyboard: focus the box, tick it with Space.
    await check.focus();
    await page.keyboard.press('Space');
    expect(await check.isChecked()).toBe(true);
    const startButton = dialog().getByTestId('transfer-start');
    await expect.poll(() => startButton.isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await serious('transfer-setup')).toEqual([]);
    await startButton.focus();
    await page.keyboard.press('Enter');

    const progress = dialog().getByTestId('transfer-progress-udocker');
    await expect.poll(() => progress.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    // Bytes done of the total and the layers, as the record says.
    expect(await progress.getByTestId('transfer-facts').innerText()).toMatch(/^\d[\d.]* (B|kB|MB) .*\d[\d.]* (B|kB|MB).* · 1 of 1 layers$/);
    expect(await progress.getByTestId('transfer-result').innerText()).toContain(image.reference!);
    expect(await dialog().getByTestId('transfer-status').innerText()).toMatch(/Finished/);
    expect(await dialog().getByTestId('transfer-cancel').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'transfer-done.png') });
    expect(await serious('transfer-done')).toEqual([]);

    // Escape closes it; the list now has one row for the image, held by both engines.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
    const shared = window.sharedRow(['docker', 'udocker'], image.reference!);
    await expect.poll(() => shared.count(), { timeout: 30_000 }).toBe(1);
    expect(await badgesOf(shared)).toEqual(['docker', 'udocker']);
    expect(await page.locator(`[data-testid="image-row"][data-references~="${image.reference}"]`).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'transfer-badges.png') });
  }, 240_000);

  it('shows why a copy is refused: a name that exists (until Replace is ticked) and a bad name', async () => {
    const shared = window.sharedRow(['docker', 'udocker'], image.reference!);
    await shared.click();
    await window.detail.locator('[data-testid="engine-copy"][data-engine-id="docker"]').click();
    await window.detail.getByTestId('image-copy-to-engine').click();
    const target = dialog().getByTestId('transfer-target-udocker');
    await expect.poll(() => target.getByTestId('transfer-check-udocker').isEnabled(), { timeout: 30_000 }).toBe(true);
    await target.getByTestId('transfer-check-udocker').check();
    // The name is udocker's already: the host's refusal is shown, Start stays off.
    await expect.poll(() => target.getByTestId('transfer-problem').allInnerTexts(), { timeout: 30_000 }).toEqual([expect.stringMatching(/exists already/)]);
    const replace = target.getByTestId('transfer-replace-udocker');
    expect(await replace.isChecked()).toBe(false);
    expect(await dialog().getByTestId('transfer-start').isDisabled()).toBe(true);
    // Ticking "Replace it" lifts the refusal and says what will happen.
    await replace.check();
    await expect.poll(() => target.getByTestId('transfer-warning').allInnerTexts(), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/will be replaced/));
    await expect.poll(() => dialog().getByTestId('transfer-start').isEnabled(), { timeout: 30_000 }).toBe(true);
    await replace.uncheck();

    // A name the host will not write (a ".." part would climb out of udocker's repository).
    await target.getByTestId('transfer-name-udocker').fill('crossdock-test/../escape:1');
    await expect.poll(() => target.getByTestId('transfer-problem').allInnerTexts(), { timeout: 30_000 }).toEqual([expect.stringMatching(/"\.\." part/)]);
    expect(await dialog().getByTestId('transfer-start').isDisabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'transfer-refused.png') });

    // The past transfers list the copy made above.
    await dialog().getByTestId('transfer-past').locator('summary').click();
    await expect.poll(() => dialog().getByTestId('transfer-past-entry').allInnerTexts()).toContainEqual(expect.stringMatching(/udocker: Done/i));
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
