// Launching test jobs, end to end: the run dialog opened from a busybox row, the exact command line
// it previews, the job's terminal (stdout and stderr as they come), stopping it, and an interactive
// job typed into through the terminal. The real browser host and Docker, in Debian's Chromium.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Dockerode from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { requireEngine } from '../helpers/engines';
import { ARTIFACTS_DIR, chromiumMissingReason, launchChromium } from './support/chromium';
import { startBrowserHost, type RunningHost } from './support/browser-host';
import { MainWindow } from './support/main-window';
import { RunPage } from './support/run-page';

const docker = await requireEngine('docker');
const chromiumMissing = chromiumMissingReason();
if (chromiumMissing && process.env.CI) throw new Error(`Chromium is required on CI: ${chromiumMissing}`);
if (chromiumMissing) console.warn(`skipping end-to-end tests: ${chromiumMissing}`);

describe.skipIf(docker.skip || chromiumMissing !== null)('running jobs from the window (Docker)', () => {
  const dockerode = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let window: MainWindow;
  let run: RunPage;
  let image: TestImage;
  let pageErrors: string[];

  beforeAll(async () => {
    image = await importIntoDocker(dockerode);
    host = await startBrowserHost();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
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
    // Whatever a failed test left running from the test image goes too.
    if (image) {
      const left = await dockerode.listContainers({ all: true, filters: { ancestor: [image.id] } }).catch(() => []);
      await Promise.all(left.map((container) => dockerode.getContainer(container.Id).remove({ force: true }).catch(() => undefined)));
      await image.cleanup();
    }
  });

  it('lists the test image on a ready Docker', async () => {
    await expect.poll(() => window.engine('docker').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    await expect.poll(() => window.rowFor('docker', image.reference!).count()).toBe(1);
  });

  it('runs a command from the image row, shows its output, and stops it', async () => {
    await run.openFromRow(window.rowFor('docker', image.reference!));
    expect(await run.field('run-engine').inputValue()).toBe('docker');
    // The first field has focus, so the keyboard starts in the dialog.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('run-engine');

    await run.fillCommand(`sh -c 'echo hello-from-job; echo oops >&2; sleep 60'`);
    await expect.poll(() => run.dialog.getByTestId('run-argv').locator('li').allInnerTexts()).toEqual([
      'sh',
      '-c',
      'echo hello-from-job; echo oops >&2; sleep 60',
    ]);
    await run.addEnv('CROSSDOCK_E2E', 'from the dialog');
    await expect.poll(() => run.preview.innerText()).toContain(image.reference!);
    await expect.poll(() => run.preview.innerText()).toContain('CROSSDOCK_E2E');
    expect(await run.problems.locator('li').count()).toBe(0);

    // A bad variable name is refused beside its field, and Run waits.
    await run.field('run-env-name-0').fill('1BAD');
    await expect.poll(() => run.field('run-submit').isDisabled()).toBe(true);
    await expect.poll(() => run.problems.innerText()).toMatch(/Variable 1 name/);
    await run.field('run-env-name-0').fill('CROSSDOCK_E2E');
    await expect.poll(() => run.field('run-submit').isEnabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'run-dialog.png') });

    await run.submit();
    const jobId = await run.shownJobId();
    expect(jobId).toMatch(/^j-/);
    await expect.poll(() => page.getByTestId('view-jobs').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => run.terminalText(), { timeout: 30_000 }).toContain('hello-from-job');
    await expect.poll(() => run.terminalText()).toContain('oops');
    await expect.poll(() => run.jobRow(jobId).getAttribute('data-state')).toBe('running');
    const saveHref = await page.getByTestId('save-output').getAttribute('href');
    expect(saveHref).toBe(`/api/jobs/${jobId}/output.txt?download=1`);
    const saved = await page.evaluate(async (href) => (await fetch(href!)).text(), saveHref);
    expect(saved).toContain('hello-from-job');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'job-terminal.png') });

    await run.jobRow(jobId).click();
    await run.action('stop').click();
    // sh as the container's first process ignores SIGTERM, so the grace period may end in a kill.
    await expect
      .poll(
        async () => {
          const row = run.jobRow(jobId);
          const state = await row.getAttribute('data-state');
          const exit = await row.getAttribute('data-exit-code');
          return state === 'killed' || (state === 'exited' && exit === '143');
        },
        { timeout: 40_000 },
      )
      .toBe(true);
    expect(await run.action('delete').isEnabled()).toBe(true);
  });

  it('types into an interactive job through its terminal', async () => {
    await page.getByTestId('view-images').click();
    await run.openFromRow(window.rowFor('docker', image.reference!));
    await run.fillCommand('sh');
    await run.field('run-tty').check();
    await expect.poll(() => run.preview.innerText()).toContain(image.reference!);
    await expect.poll(() => run.field('run-submit').isEnabled()).toBe(true);
    await run.submit();

    const jobId = await run.shownJobId();
    await expect.poll(() => run.jobRow(jobId).getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    // The new interactive job's terminal has the keyboard already.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="terminal"]') !== null)).toBe(true);
    await page.keyboard.type('echo typed-$((2+3))');
    await page.keyboard.press('Enter');
    await expect.poll(() => run.terminalText(), { timeout: 20_000 }).toContain('typed-5');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'job-interactive.png') });

    await page.keyboard.type('exit');
    await page.keyboard.press('Enter');
    await expect.poll(() => run.jobRow(jobId).getAttribute('data-state'), { timeout: 30_000 }).toBe('exited');
    expect(await run.jobRow(jobId).getAttribute('data-exit-code')).toBe('0');
  });

  it('re-runs a job, opens a shell in it, and types there', async () => {
    const first = await page.locator('[data-testid="job-row"][data-state="killed"], [data-testid="job-row"][data-state="exited"][data-exit-code="143"]').first();
    const firstId = (await first.getAttribute('data-job-id')) ?? '';
    await first.click();
    await run.action('rerun').click();
    await expect.poll(() => run.terminal.getAttribute('data-job-id')).not.toBe(firstId);
    const rerunId = await run.shownJobId();
    await expect.poll(() => run.jobRow(rerunId).getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    await expect.poll(() => run.terminalText(), { timeout: 30_000 }).toContain('hello-from-job');

    await expect.poll(() => run.action('shell').isEnabled()).toBe(true);
    await run.action('shell').click();
    await expect.poll(() => run.terminal.getAttribute('data-job-id')).not.toBe(rerunId);
    const shellId = await run.shownJobId();
    await expect.poll(() => run.jobRow(shellId).getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    await run.terminal.click();
    await page.keyboard.type('echo in-shell-$((6*7))');
    await page.keyboard.press('Enter');
    await expect.poll(() => run.terminalText(), { timeout: 20_000 }).toContain('in-shell-42');

    await run.jobRow(rerunId).click();
    await expect.poll(() => run.terminal.getAttribute('data-job-id')).toBe(rerunId);
    await run.action('kill').click();
    await expect.poll(() => run.jobRow(rerunId).getAttribute('data-state'), { timeout: 30_000 }).toMatch(/^(killed|exited)$/);
  });

  it('fills the dialog from a job to re-run it with edits, and closes on Esc', async () => {
    const finished = page.locator('[data-testid="job-row"][data-state="killed"]').first();
    await finished.click();
    await run.action('edit').click();
    await run.dialog.waitFor({ state: 'visible' });
    expect(await run.field('run-command').inputValue()).toBe(`sh -c 'echo hello-from-job; echo oops >&2; sleep 60'`);
    expect(await run.field('run-env-name-0').inputValue()).toBe('CROSSDOCK_E2E');
    // The image's recent runs are offered to refill the form.
    await expect.poll(() => run.dialog.getByTestId('run-recent').innerText()).toContain('hello-from-job');
    await expect.poll(() => run.preview.innerText()).toContain('CROSSDOCK_E2E');
    await page.keyboard.press('Escape');
    await run.dialog.waitFor({ state: 'detached' });
  });

  it('deletes a finished job only after asking', async () => {
    const finished = page.locator('[data-testid="job-row"][data-state="killed"]').first();
    const jobId = (await finished.getAttribute('data-job-id')) ?? '';
    await finished.click();
    await run.action('delete').click();
    const dialog = window.confirmDialog;
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => run.jobRow(jobId).count()).toBe(0);
  });

  it('switches views with the keyboard', async () => {
    await page.getByTestId('view-jobs').focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('view-images').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('view-images');
    await expect.poll(() => window.imageList.isVisible()).toBe(true);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => run.jobList.isVisible()).toBe(true);
  });

  it('has no serious accessibility violations in the jobs view and the run dialog, light and dark', async () => {
    const serious = async (name: string) => {
      const results = await new AxeBuilder({ page }).analyze();
      writeFileSync(join(ARTIFACTS_DIR, `axe-${name}.json`), JSON.stringify(results.violations, null, 2));
      return results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
    };
    // With a job selected, so its terminal and toolbar are checked too.
    await page.getByTestId('job-row').first().click();
    await run.terminal.waitFor({ state: 'visible' });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(ARTIFACTS_DIR, `jobs-view-${scheme}.png`) });
      expect(await serious(`jobs-view-${scheme}`)).toEqual([]);
      await page.getByTestId('new-run').click();
      await run.dialog.waitFor({ state: 'visible' });
      await expect.poll(() => run.field('run-engine').inputValue()).toBe('docker');
      await page.screenshot({ path: join(ARTIFACTS_DIR, `run-dialog-empty-${scheme}.png`) });
      expect(await serious(`run-dialog-${scheme}`)).toEqual([]);
      await page.keyboard.press('Escape');
      await run.dialog.waitFor({ state: 'detached' });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('raised no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
