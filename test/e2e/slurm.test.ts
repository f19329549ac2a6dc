// Submitting to Slurm from the window, end to end: the run dialog's "Submit to Slurm…" over a
// busybox row, the partition listed from the real one-node cluster, the batch script shown, the
// job in the job list marked with the cluster and its Slurm id, its output in the terminal, and
// the row reaching completed. The real browser host, Docker on the node, Debian's Chromium.
import { join } from 'node:path';
import Dockerode from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { requireEngine } from '../helpers/engines';
import { cancelSlurmJobs, requireSlurm } from '../helpers/slurm';
import { ARTIFACTS_DIR, chromiumMissingReason, launchChromium } from './support/chromium';
import { startBrowserHost, type RunningHost } from './support/browser-host';
import { MainWindow } from './support/main-window';
import { RunPage } from './support/run-page';

const docker = await requireEngine('docker');
const slurm = await requireSlurm();
const chromiumMissing = chromiumMissingReason();
if (chromiumMissing && process.env.CI) throw new Error(`Chromium is required on CI: ${chromiumMissing}`);
if (chromiumMissing) console.warn(`skipping end-to-end tests: ${chromiumMissing}`);

describe.skipIf(docker.skip || slurm.skip || chromiumMissing !== null)('submitting to Slurm from the window', () => {
  const dockerode = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let window: MainWindow;
  let run: RunPage;
  let image: TestImage;
  const submitted: string[] = [];

  beforeAll(async () => {
    image = await importIntoDocker(dockerode);
    host = await startBrowserHost();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    window = new MainWindow(page);
    run = new RunPage(page);
    await window.open(host.url);
  });

  afterAll(async () => {
    await cancelSlurmJobs(submitted);
    await browser?.close();
    await host?.stop();
    if (image) {
      const left = await dockerode.listContainers({ all: true, filters: { ancestor: [image.id] } }).catch(() => []);
      await Promise.all(left.map((container) => dockerode.getContainer(container.Id).remove({ force: true }).catch(() => undefined)));
      await image.cleanup();
    }
  });

  it('submits from the run dialog and shows the job reach completed with its output', async () => {
    await expect.poll(() => window.rowFor('docker', image.reference!).count(), { timeout: 30_000 }).toBe(1);
    await run.openFromRow(window.rowFor('docker', image.reference!));
    await run.fillCommand(`sh -c 'echo hello-from-slurm; sleep 2; echo done-on-the-node'`);
    await expect.poll(() => run.preview.innerText()).toContain(image.reference!);
    await page.getByTestId('slurm-open').click();

    const dialog = page.getByTestId('slurm-dialog');
    await expect.poll(() => dialog.getByTestId('slurm-cluster').innerText(), { timeout: 20_000 }).toMatch(/Cluster \S+/);
    expect(await dialog.getByTestId('slurm-partition').locator('option').count()).toBeGreaterThan(1);
    await dialog.getByTestId('slurm-timeLimit').fill('5');
    await dialog.getByTestId('slurm-jobName').fill('e2e-slurm');
    await expect.poll(() => dialog.getByTestId('slurm-script').inputValue(), { timeout: 20_000 }).toContain("'echo hello-from-slurm; sleep 2; echo done-on-the-node'");
    await expect.poll(() => dialog.getByTestId('slurm-sbatch').innerText()).toContain('--time=5');
    await expect.poll(() => dialog.getByTestId('slurm-submit').isEnabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slurm-dialog.png') });
    await dialog.getByTestId('slurm-submit').click();

    const jobId = await run.shownJobId();
    const row = run.jobRow(jobId);
    const mark = await row.getByTestId('job-batch').innerText();
    const slurmId = /#(\d+)/.exec(mark)?.[1];
    expect(slurmId).toBeTruthy();
    submitted.push(slurmId!);
    await expect.poll(() => run.terminalText(), { timeout: 60_000 }).toContain('hello-from-slurm');
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 60_000 }).toBe('exited');
    expect(await row.getAttribute('data-exit-code')).toBe('0');
    expect(await row.getByTestId('job-state').innerText()).toContain('Completed');
    await expect.poll(() => run.terminalText()).toContain('done-on-the-node');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slurm-job.png') });
  });
});
