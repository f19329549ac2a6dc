// "Export…" end to end, in Debian's Chromium against the real browser host and Docker: from the
// run dialog (by keyboard) and from a finished job's actions, the HTCondor submit file and the
// Kubernetes Job with their checks (HTCondor's bindings, the API schemas), download, save on the
// host without overwriting, replace when asked, and no serious accessibility violation.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Dockerode from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { requireEngine } from '../helpers/engines';
import { requireHtcondorBindings } from '../helpers/htcondor-submit';
import { ARTIFACTS_DIR, chromiumMissingReason, launchChromium } from './support/chromium';
import { startBrowserHost, type RunningHost } from './support/browser-host';
import { MainWindow } from './support/main-window';
import { RunPage } from './support/run-page';

const docker = await requireEngine('docker');
const bindings = await requireHtcondorBindings();
const chromiumMissing = chromiumMissingReason();
if (chromiumMissing && process.env.CI) throw new Error(`Chromium is required on CI: ${chromiumMissing}`);
if (chromiumMissing) console.warn(`skipping the export end-to-end tests: ${chromiumMissing}`);

describe.skipIf(docker.skip || bindings.skip || chromiumMissing !== null)('Export for a batch system', () => {
  const dockerode = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let root: string;
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let window: MainWindow;
  let run: RunPage;
  let image: TestImage;
  let pageErrors: string[];

  const dialog = () => page.getByTestId('export-dialog');
  const field = (testId: string) => dialog().getByTestId(testId);
  const checkOutcome = () => field('export-check').getAttribute('data-outcome');

  const serious = async (name: string) => {
    const results = await new AxeBuilder({ page }).analyze();
    writeFileSync(join(ARTIFACTS_DIR, `axe-${name}.json`), JSON.stringify(results.violations, null, 2));
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'crossdock-e2e-export-'));
    image = await importIntoDocker(dockerode);
    host = await startBrowserHost({ env: { HOME: root } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })).newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(message.text());
    });
    window = new MainWindow(page);
    run = new RunPage(page);
    await window.open(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (image) {
      const left = await dockerode.listContainers({ all: true, filters: { ancestor: [image.id] } }).catch(() => []);
      await Promise.all(left.map((container) => dockerode.getContainer(container.Id).remove({ force: true }).catch(() => undefined)));
      await image.cleanup();
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('exports the run dialog\'s job for HTCondor and Kubernetes, checked, by keyboard', async () => {
    await expect.poll(() => window.rowFor('docker', image.reference!).count(), { timeout: 30_000 }).toBe(1);
    await run.openFromRow(window.rowFor('docker', image.reference!));
    await run.fillCommand(`/bin/sh -c 'echo "hello $(id -u)"'`);
    await run.addEnv('GREETING', "it's here");

    // Keyboard: focus the button, Enter opens the dialog with the name field focused.
    await run.field('run-export').focus();
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-name');

    await field('export-cpus').fill('2');
    await field('export-count').fill('3');
    await expect.poll(() => field('export-text').innerText(), { timeout: 30_000 }).toContain('queue 3');
    const submit = await field('export-text').innerText();
    expect(submit).toMatch(new RegExp(`^container_image\\s+= docker://${image.reference}$`, 'm'));
    expect(submit).toMatch(/^arguments\s+= "-c 'echo ""hello \$\(DOLLAR\)\(id -u\)""'"$/m);
    expect(submit).toMatch(/^environment\s+= "GREETING='it''s here'"$/m);
    expect(submit).toMatch(/^request_cpus\s+= 2$/m);
    await expect.poll(checkOutcome, { timeout: 30_000 }).toBe('passed');
    expect(await field('export-checks').innerText()).toMatch(/ContainerImage/);

    // A field out of range is said beside it, and nothing is asked of the host for it.
    await field('export-cpus').fill('0');
    await expect.poll(() => dialog().locator('#export-cpus-error').innerText()).toMatch(/from 1 to 1024/);
    await field('export-cpus').fill('2');

    // Light and dark, like the other dialogs: no serious accessibility finding in either (colour
    // contrast included), a screenshot of each kept.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // The dialog's own background (--bg-raised) follows the scheme before anything is judged.
      await expect
        .poll(() => dialog().evaluate((element) => getComputedStyle(element).backgroundColor))
        .toBe(scheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(43, 47, 53)');
      await page.screenshot({ path: join(ARTIFACTS_DIR, `export-dialog-${scheme}.png`) });
      expect(await serious(`export-dialog-${scheme}`), scheme).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    // Kubernetes: pick it with the keyboard (arrow keys move through a radio group).
    await field('export-format-htcondor').focus();
    await page.keyboard.press('ArrowDown');
    expect(await field('export-format-kubernetes').isChecked()).toBe(true);
    await expect.poll(() => field('export-text').innerText(), { timeout: 30_000 }).toContain('apiVersion: batch/v1');
    const manifest = await field('export-text').innerText();
    expect(manifest).toContain('kind: Job');
    expect(manifest).toContain('restartPolicy: Never');
    expect(manifest).toContain(`image: "${image.reference}"`);
    expect(manifest).toContain('"echo \\"hello $$(id -u)\\""');
    await expect.poll(checkOutcome).toBe('passed');

    // The download is exactly the text shown.
    const [download] = await Promise.all([page.waitForEvent('download'), field('export-download').click()]);
    expect(download.suggestedFilename()).toMatch(/\.job\.yaml$/);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(`${manifest}${manifest.endsWith('\n') ? '' : '\n'}`);

    // Esc closes the export dialog only: the run dialog stays, with focus back on its button.
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await run.dialog.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('run-export');
    expect(pageErrors).toEqual([]);
  });

  it('exports a finished job from its actions and saves it on the host, asking before replacing', async () => {
    await run.submit();
    const jobId = await run.shownJobId();
    await expect.poll(() => run.jobRow(jobId).getAttribute('data-state'), { timeout: 60_000 }).toMatch(/exited/);

    await page.getByTestId('job-export').click();
    await dialog().waitFor({ state: 'visible' });
    await expect.poll(checkOutcome, { timeout: 30_000 }).toBe('passed');
    const text = await field('export-text').innerText();
    expect(text).toMatch(/^executable\s+= \/bin\/sh$/m);

    await field('export-save-path').fill('~/job.sub');
    await field('export-save').click();
    await expect.poll(() => field('export-status').innerText(), { timeout: 30_000 }).toContain(`Saved to ${join(root, 'job.sub')}`);
    expect(readFileSync(join(root, 'job.sub'), 'utf8')).toBe(`${text}${text.endsWith('\n') ? '' : '\n'}`);

    writeFileSync(join(root, 'job.sub'), 'mine\n');
    await field('export-save').click();
    await expect.poll(() => field('export-status').innerText(), { timeout: 30_000 }).toContain('already exists');
    expect(readFileSync(join(root, 'job.sub'), 'utf8')).toBe('mine\n');
    await field('export-replace').click();
    await expect.poll(() => field('export-status').innerText(), { timeout: 30_000 }).toContain('Saved to');
    expect(readFileSync(join(root, 'job.sub'), 'utf8')).not.toBe('mine\n');

    await field('export-save-path').fill(join(root, 'missing', 'job.sub'));
    await field('export-save').click();
    await expect.poll(() => field('export-status').innerText(), { timeout: 30_000 }).toContain(`The folder ${join(root, 'missing')} does not exist`);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });
});
