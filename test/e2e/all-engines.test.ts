// Every engine in one window: Docker and Podman (their stores), Charliecloud (a directory image in
// a folder the user added), Apptainer (a SIF file in that folder, read natively; the engine itself
// is the documented-output fake on PATH, since Apptainer cannot be installed here) and udocker
// (a private repository). The image list must hold the images of all of them at once, and the
// engines panel must show what each advertises.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootTar, importIntoDocker, importIntoPodman, randomTestReference, type TestImage } from '../fixtures/busybox-image';
import { buildSif, busyboxSquashfs, requireSifTools } from '../fixtures/sif-files';
import { requireCharliecloud } from '../helpers/charliecloud';
import { requireEngine } from '../helpers/engines';
import { requireUdocker } from '../helpers/udocker';
import { ARTIFACTS_DIR, chromiumMissingReason, launchChromium } from './support/chromium';
import { startBrowserHost, type RunningHost } from './support/browser-host';
import { MainWindow } from './support/main-window';

const docker = await requireEngine('docker');
const podman = await requireEngine('podman');
const charliecloud = await requireCharliecloud();
const sifTools = await requireSifTools();
const udocker = await requireUdocker();
const chromiumMissing = chromiumMissingReason();
if (chromiumMissing && process.env.CI) throw new Error(`Chromium is required on CI: ${chromiumMissing}`);

const fakeApptainerDir = fileURLToPath(new URL('../fakes/apptainer-fake/', import.meta.url));

describe.skipIf(docker.skip || podman.skip || charliecloud.skip || sifTools.skip || udocker.skip || chromiumMissing !== null)('every engine in one window', () => {
  const dockerode = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let root: string;
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let window: MainWindow;
  let inDocker: TestImage;
  let inPodman: TestImage;
  const inUdocker = randomTestReference();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'crossdock-e2e-all-'));
    const images = join(root, 'images');
    mkdirSync(images);
    // A directory image (Charliecloud) and a SIF file (Apptainer) in a folder the user added.
    const directoryImage = join(images, 'busybox-dir');
    mkdirSync(directoryImage);
    await execa('tar', ['-x', '-C', directoryImage], { input: busyboxRootTar() });
    const work = join(root, 'work');
    mkdirSync(work);
    await buildSif(images, 'busybox.sif', { labels: { 'org.crossdock.test': '1' }, squashfs: await busyboxSquashfs(work) });
    const config = join(root, 'config');
    mkdirSync(config);
    writeFileSync(join(config, 'settings.json'), JSON.stringify({ imageFolders: [images] }));

    // udocker: a private repository, the busybox root file system imported as an image. Its own
    // tools tarball cannot be downloaded here: the import is told to use Debian's proot.
    const udockerDir = join(root, 'udocker');
    writeFileSync(join(work, 'busybox.tar'), busyboxRootTar());
    await execa('udocker', [...(process.getuid?.() === 0 ? ['--allow-root'] : []), 'import', join(work, 'busybox.tar'), inUdocker.reference], {
      env: { ...process.env, UDOCKER_DIR: udockerDir, UDOCKER_TARBALL: '', UDOCKER_USE_PROOT_EXECUTABLE: '/usr/bin/proot' },
    });

    inDocker = await importIntoDocker(dockerode);
    inPodman = await importIntoPodman(process.env);
    host = await startBrowserHost({
      env: {
        CROSSDOCK_CONFIG_DIR: config,
        PATH: `${fakeApptainerDir}${delimiter}${process.env.PATH ?? ''}`,
        // Charliecloud's own storage, private to this test.
        CH_IMAGE_STORAGE: join(root, 'ch-storage'),
        UDOCKER_DIR: join(root, 'udocker'),
      },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    window = new MainWindow(page);
    await window.open(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await inDocker?.cleanup();
    await inPodman?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('proves each engine with its own test container', async () => {
    for (const id of ['docker', 'podman', 'charliecloud', 'apptainer', 'udocker']) {
      const entry = window.engine(id);
      // On failure, say what the panel showed for that engine, not only its state.
      // udocker's probe runs a container in each execution mode, one after another: slow when busy.
      await expect.poll(async () => `${await entry.getAttribute('data-state')}: ${await entry.innerText()}`, { timeout: 180_000 }).toMatch(/^ready: /);
    }
    await expect.poll(() => page.getByTestId('engine-attributes-apptainer').innerText()).toMatch(/HasSIF/);
    await expect.poll(() => page.getByTestId('engine-attributes-charliecloud').innerText()).toMatch(/HasSandbox/);
    // Only engines with an image store of leftovers offer to remove dangling images.
    expect(await page.getByTestId('prune-docker').count()).toBe(1);
    for (const id of ['apptainer', 'charliecloud', 'udocker']) expect(await page.getByTestId(`prune-${id}`).count()).toBe(0);
    // udocker advertises the execution modes that kept exit code 37 here.
    await expect.poll(() => page.getByTestId('engine-attributes-udocker').innerText()).toMatch(/ExecModes: P1,P2/);
  }, 240_000);

  it("lists every engine's images at once", async () => {
    await expect.poll(() => window.rowFor('docker', inDocker.reference!).count()).toBe(1);
    await expect.poll(() => window.rowFor('podman', inPodman.reference!).count()).toBe(1);
    await expect.poll(() => window.rowsOf('charliecloud').count()).toBeGreaterThan(0);
    await expect.poll(() => window.rowsOf('apptainer').count()).toBeGreaterThan(0);
    await expect.poll(() => window.rowFor('udocker', inUdocker.reference).count()).toBe(1);
    const engines = await page.locator('[data-testid="image-row"]').evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('data-engine')))].sort());
    expect(engines).toEqual(['apptainer', 'charliecloud', 'docker', 'podman', 'udocker']);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'all-engines.png') });
  });

  it('shows what the SIF file holds, read without Apptainer', async () => {
    await window.filterText('busybox.sif');
    await expect.poll(() => window.rowsOf('apptainer').count()).toBe(1);
    await window.rowsOf('apptainer').first().click();
    await expect.poll(() => window.detail.innerText()).toMatch(/squashfs/i);
    expect(await window.detail.innerText()).toMatch(/org\.crossdock\.test/);
    await window.filterText('');
  });
});
