// The Compare view end to end, in Debian's Chromium against the real browser host: the documented
// feature matrix (every engine column, every row, a filter highlighting exactly the columns the
// data says), "Run on all engines" with a busybox `echo hello` on every engine here (Docker,
// Podman, Charliecloud, udocker in each mode that works, and Apptainer through its fake, which
// runs a sandbox folder through ch-run), identical stdout everywhere, the CSV export matching the
// table, cancelling, and no serious accessibility violation with the matrix and the results shown.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_MATRIX } from '../../shared/features';
import { FEATURE_FILTERS } from '../../renderer/features/compare/feature-filters';
import { busyboxRootTar, importIntoDocker, importIntoPodman, type TestImage } from '../fixtures/busybox-image';
import { buildSif, busyboxSquashfs, requireSifTools } from '../fixtures/sif-files';
import { requireCharliecloud } from '../helpers/charliecloud';
import { requireEngine } from '../helpers/engines';
import { requireUdocker } from '../helpers/udocker';
import { ARTIFACTS_DIR, chromiumMissingReason, launchChromium } from './support/chromium';
import { startBrowserHost, type RunningHost } from './support/browser-host';
import { ComparePage, parseCsv } from './support/compare-page';
import { MainWindow } from './support/main-window';
import { RunPage } from './support/run-page';

const docker = await requireEngine('docker');
const podman = await requireEngine('podman');
const charliecloud = await requireCharliecloud();
const sifTools = await requireSifTools();
const udocker = await requireUdocker();
const chromiumMissing = chromiumMissingReason();
if (chromiumMissing && process.env.CI) throw new Error(`Chromium is required on CI: ${chromiumMissing}`);
if (chromiumMissing) console.warn(`skipping the Compare view's end-to-end tests: ${chromiumMissing}`);

const fakeApptainerDir = fileURLToPath(new URL('../fakes/apptainer-fake/', import.meta.url));
const ENGINES = ['docker', 'podman', 'charliecloud', 'apptainer', 'udocker'];
const REPEAT = 2;

/** The CSV's guard against spreadsheet formulas (a leading ' before = + - @) taken off again. */
const csvCellText = (value: string) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

describe.skipIf(docker.skip || podman.skip || charliecloud.skip || sifTools.skip || udocker.skip || chromiumMissing !== null)('the Compare view', () => {
  const dockerode = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let root: string;
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let window: MainWindow;
  let run: RunPage;
  let compare: ComparePage;
  let inDocker: TestImage;
  let inPodman: TestImage;
  let pageErrors: string[];
  /** The targets the comparison ran on, by key. */
  let ranOn: string[] = [];

  /** axe-core's serious and critical findings on the page as it is (all of them saved as an artefact). */
  const serious = async (name: string) => {
    const results = await new AxeBuilder({ page }).analyze();
    writeFileSync(join(ARTIFACTS_DIR, `axe-${name}.json`), JSON.stringify(results.violations, null, 2));
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'crossdock-e2e-compare-'));
    const images = join(root, 'images');
    mkdirSync(images);
    // Charliecloud: a directory image in a folder the user added.
    const directoryImage = join(images, 'busybox-dir');
    mkdirSync(directoryImage);
    await execa('tar', ['-x', '-C', directoryImage], { input: busyboxRootTar() });
    // Apptainer: a SIF file is listed (read natively); the fake runs sandbox folders only, so the
    // same busybox as a sandbox is what Apptainer runs.
    const sandbox = join(images, 'busybox-sandbox');
    mkdirSync(sandbox);
    await execa('tar', ['-x', '-C', sandbox], { input: busyboxRootTar() });
    mkdirSync(join(sandbox, '.singularity.d'));
    mkdirSync(join(sandbox, 'mnt'));
    const work = join(root, 'work');
    mkdirSync(work);
    await buildSif(images, 'busybox.sif', { labels: { 'org.crossdock.test': '1' }, squashfs: await busyboxSquashfs(work) });
    const config = join(root, 'config');
    mkdirSync(config);
    writeFileSync(join(config, 'settings.json'), JSON.stringify({ imageFolders: [images] }));

    // Docker's image, and the same name in Podman and udocker, so "Run on all engines" can
    // propose it there by name (their ids differ).
    inDocker = await importIntoDocker(dockerode);
    inPodman = await importIntoPodman(process.env);
    await execa('podman', ['tag', inPodman.id, inDocker.reference!]);
    const udockerDir = join(root, 'udocker');
    writeFileSync(join(work, 'busybox.tar'), busyboxRootTar());
    await execa('udocker', [...(process.getuid?.() === 0 ? ['--allow-root'] : []), 'import', join(work, 'busybox.tar'), inDocker.reference!], {
      env: { ...process.env, UDOCKER_DIR: udockerDir, UDOCKER_TARBALL: '', UDOCKER_USE_PROOT_EXECUTABLE: '/usr/bin/proot' },
    });

    host = await startBrowserHost({
      env: {
        CROSSDOCK_CONFIG_DIR: config,
        PATH: `${fakeApptainerDir}${delimiter}${process.env.PATH ?? ''}`,
        CH_IMAGE_STORAGE: join(root, 'ch-storage'),
        UDOCKER_DIR: udockerDir,
      },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })).newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(message.text());
    });
    window = new MainWindow(page);
    run = new RunPage(page);
    compare = new ComparePage(page);
    await window.open(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (inDocker) {
      const left = await dockerode.listContainers({ all: true, filters: { ancestor: [inDocker.id] } }).catch(() => []);
      await Promise.all(left.map((container) => dockerode.getContainer(container.Id).remove({ force: true }).catch(() => undefined)));
      await inDocker.cleanup();
    }
    await inPodman?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('shows every documented engine column and every row, grouped, with sources and what was seen here', async () => {
    await compare.open();
    const columns = await compare.engineColumns.evaluateAll((headers) => headers.map((header) => header.getAttribute('data-testid')));
    expect(columns).toEqual(FEATURE_MATRIX.engines.map((engine) => `engine-column-${engine.id}`));
    for (const engine of FEATURE_MATRIX.engines) expect(await compare.engineColumn(engine.id).innerText()).toContain(engine.label);

    const groupOrder = FEATURE_MATRIX.groups.flatMap((group) => FEATURE_MATRIX.rows.filter((row) => row.group === group.id));
    expect(await compare.featureRows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-row-id')))).toEqual(groupOrder.map((row) => row.id));
    expect(await compare.matrix.locator('th[scope="rowgroup"]').allInnerTexts()).toEqual(
      FEATURE_MATRIX.groups.filter((group) => FEATURE_MATRIX.rows.some((row) => row.group === group.id)).map((group) => group.label),
    );
    // Every cell says its documented value in words, as the data has it.
    const cells = await compare.matrix.locator('td[data-engine]').evaluateAll((tds) =>
      tds.map((td) => ({ row: td.closest('tr')?.getAttribute('data-row-id'), engine: td.getAttribute('data-engine'), value: td.getAttribute('data-value'), text: td.textContent ?? '' })),
    );
    expect(cells).toHaveLength(FEATURE_MATRIX.rows.length * FEATURE_MATRIX.engines.length);
    for (const cell of cells) {
      const documented = FEATURE_MATRIX.rows.find((row) => row.id === cell.row)!.cells[cell.engine as (typeof FEATURE_MATRIX.engines)[number]['id']];
      expect(cell.value).toBe(documented.value);
      expect(cell.text).toContain({ yes: 'Yes', no: 'No', partial: 'Partial' }[documented.value]);
      expect(cell.text).toContain(documented.why);
    }
    // Documentation links are https only and carry no referrer.
    const links = await compare.matrix.locator('a').evaluateAll((anchors) => anchors.map((a) => ({ href: a.getAttribute('href') ?? '', rel: a.getAttribute('rel') ?? '' })));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.href).toMatch(/^https:\/\//);
      expect(link.rel).toContain('noreferrer');
    }
    // Detection proved Docker's daemon here: marked "seen here", apart from the documented value.
    await expect.poll(() => window.engine('docker').getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    await expect.poll(() => compare.matrix.locator('tr[data-row-id="daemonless"] td[data-engine="docker"] [data-testid="seen-here"]').count()).toBeGreaterThan(0);
    expect(await compare.matrix.locator('tr[data-row-id="daemonless"] td[data-engine="docker"]').innerText()).toMatch(/Seen here: no/);
  });

  it('highlights exactly the columns the documented data selects, and says how many', async () => {
    const expectedFor = (ids: string[]) => {
      const filters = ids.map((id) => FEATURE_FILTERS.find((filter) => filter.id === id)!);
      return FEATURE_MATRIX.engines
        .filter((engine) => filters.every((filter) => filter.accepts.includes(FEATURE_MATRIX.rows.find((row) => row.id === filter.row)!.cells[engine.id].value)))
        .map((engine) => engine.id);
    };
    for (const ids of [['sif'], ['no-root'], ['no-root', 'hpc-batch'], ['kubernetes']]) {
      for (const id of ids) await compare.filter(id).check();
      const expected = expectedFor(ids);
      expect(expected.length).toBeGreaterThan(0);
      await expect.poll(() => compare.matchingColumns()).toEqual(expected);
      expect(await compare.matchCount.innerText()).toContain(`${expected.length} of ${FEATURE_MATRIX.engines.length} engines match`);
      // Said in words in the header, not by colour only.
      for (const engine of FEATURE_MATRIX.engines) {
        expect(await compare.engineColumn(engine.id).innerText()).toMatch(expected.includes(engine.id) ? /matches/ : /no match/);
      }
      for (const id of ids) await compare.filter(id).uncheck();
    }
    // By keyboard: Space ticks the focused filter.
    await compare.filter('sif').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => compare.matchingColumns()).toEqual(expectedFor(['sif']));
    await page.keyboard.press('Space');
    await expect.poll(() => compare.matchingColumns()).toEqual([]);
  });

  it('runs `echo hello` on every engine here, and every one wrote the same stdout', async () => {
    for (const id of ENGINES) {
      const entry = window.engine(id);
      await expect.poll(async () => `${await entry.getAttribute('data-state')}: ${await entry.innerText()}`, { timeout: 60_000 }).toMatch(/^ready: /);
    }
    await page.getByTestId('view-images').click();
    // Filtered to the test image: the list is virtualised, and other tests' images may be many.
    await window.filterText(inDocker.reference!);
    await expect.poll(() => window.rowFor('docker', inDocker.reference!).count(), { timeout: 30_000 }).toBe(1);
    await run.openFromRow(window.rowFor('docker', inDocker.reference!));
    await run.fillCommand('echo hello');
    await expect.poll(() => run.preview.innerText()).toContain(inDocker.reference!);

    // An interactive terminal cannot be compared: the panel says so and will not start.
    await run.field('run-tty').check();
    await run.field('run-all').click();
    await compare.setup.waitFor({ state: 'visible' });
    await expect.poll(() => compare.setup.getByTestId('compare-refusal').innerText()).toMatch(/TTY/);
    expect(await compare.setup.getByTestId('compare-start').isDisabled()).toBe(true);
    // Esc closes the panel only, and the keyboard is back on the button that opened it.
    await page.keyboard.press('Escape');
    await compare.setup.waitFor({ state: 'detached' });
    expect(await run.dialog.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('run-all');
    await run.field('run-tty').uncheck();

    await run.field('run-all').focus();
    await page.keyboard.press('Enter');
    await compare.setup.waitFor({ state: 'visible' });
    // Every engine here is offered; the same image was found by id (Docker) or name (Podman, udocker).
    await expect.poll(async () => (await compare.targets()).filter((target) => target.enabled).map((target) => target.key.replace(/-[A-Z][0-9]$/, ''))).toEqual(expect.arrayContaining(ENGINES));
    const targets = await compare.targets();
    for (const key of ['docker', 'podman']) expect(targets.find((target) => target.key === key)).toMatchObject({ enabled: true, checked: true });
    const udockerModes = targets.filter((target) => target.key.startsWith('udocker-'));
    expect(udockerModes.map((target) => target.key)).toContain('udocker-P1');
    for (const mode of udockerModes) expect(mode).toMatchObject({ enabled: true, checked: true });
    // Folder images have no matching name: the panel says so, and the user picks one.
    expect(targets.find((target) => target.key === 'charliecloud')).toMatchObject({ enabled: true, checked: false });
    expect(await compare.target('charliecloud').innerText()).toContain('no matching image: pick one');
    await compare.target('charliecloud').locator('select').selectOption({ label: 'busybox-dir (directory)' });
    await compare.target('apptainer').locator('select').selectOption({ label: 'busybox-sandbox (sandbox)' });
    await compare.setup.getByTestId('compare-repeat').fill(String(REPEAT));
    ranOn = (await compare.targets()).filter((target) => target.checked).map((target) => target.key);
    expect(ranOn).toEqual(expect.arrayContaining(['docker', 'podman', 'charliecloud', 'apptainer', 'udocker-P1']));
    expect(await compare.setup.getByTestId('compare-problems').locator('li').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'compare-setup.png') });
    expect(await serious('compare-setup')).toEqual([]);

    await compare.setup.getByTestId('compare-start').click();
    await compare.setup.waitFor({ state: 'detached' });
    await run.dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('view-compare').getAttribute('aria-selected')).toBe('true');
    // The new comparison's heading has the keyboard.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('compare-results-heading');
    await expect.poll(() => compare.current.getAttribute('data-state'), { timeout: 240_000, interval: 1000 }).toBe('done');

    const total = ranOn.length * REPEAT;
    expect(await page.getByTestId('compare-progress').getAttribute('max')).toBe(String(total));
    expect(await compare.current.innerText()).toContain(`Done: ${total} of ${total} runs ended`);
    expect(await compare.rows.count()).toBe(ranOn.length);
    const table = await compare.tableRows();
    const column = (name: string) => table[0]!.indexOf(name);
    // Where some stdout differs, the diff view opens by itself: its text goes into the failure.
    const differing = table.slice(1).filter((row) => row[column('Stdout')] !== 'identical');
    if (differing.length > 0) {
      await expect.poll(() => page.getByTestId('compare-diff').innerText(), { timeout: 20_000 }).toMatch(/removed|identical|too many/);
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'compare-results-differ.png') });
    }
    const diffText = differing.length > 0 ? await page.getByTestId('compare-diff').innerText() : '';
    expect(differing.map((row) => row[0]), `stdout differs; the diff view says:\n${diffText}`).toEqual([]);
    for (const row of table.slice(1)) {
      // On failure, the whole row says which engine and why.
      expect({ engine: row[0], runs: row[column('Runs')], failed: row[column('Failed')], exit: row[column('Exit codes')], stdout: row[column('Stdout')], note: row[column('Note')] }).toMatchObject({
        runs: String(REPEAT),
        failed: '0',
        exit: '0',
        stdout: 'identical',
      });
      expect(Number(row[column('Wall median (ms)')])).toBeGreaterThan(0);
    }
    expect(await compare.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-stdout')))).toEqual(ranOn.map(() => 'identical'));
    expect(await page.getByTestId('compare-agreement').innerText()).toMatch(/same stdout/);
    // The chart's text alternative names every target.
    const chartLabel = (await page.getByTestId('compare-chart').getAttribute('aria-label')) ?? '';
    expect(await page.getByTestId('compare-chart').getAttribute('role')).toBe('img');
    for (const row of table.slice(1)) expect(chartLabel).toContain(row[0]!);
    // The diff view reads two outputs on request: the same.
    const diff = page.getByTestId('compare-diff');
    await diff.getByRole('button', { name: 'Show the diff' }).click();
    await expect.poll(() => diff.innerText()).toMatch(/The two outputs are identical/);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'compare-results.png') });
  });

  it('exports CSV and Markdown whose rows are the rows of the table', async () => {
    const table = await compare.tableRows();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-export-csv').click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
    const csv = parseCsv(readFileSync(await csvDownload.path(), 'utf8')).map((row) => row.map(csvCellText));
    expect(csv).toEqual(table);

    const [mdDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-export-md').click()]);
    expect(mdDownload.suggestedFilename()).toMatch(/\.md$/);
    const markdown = readFileSync(await mdDownload.path(), 'utf8');
    const mdRows = markdown
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .map((line) => line.slice(2, -2).split(' | '))
      .filter((cells) => !cells.every((cell) => cell === '---'));
    expect(mdRows).toEqual(table);
  });

  it('cancels a running comparison, and reopens an earlier one from the list', async () => {
    await page.getByTestId('view-images').click();
    await run.openFromRow(window.rowFor('docker', inDocker.reference!));
    await run.fillCommand(`sh -c 'echo started; sleep 60'`);
    await expect.poll(() => run.preview.innerText()).toContain('sleep 60');
    await run.field('run-all').click();
    await compare.setup.waitFor({ state: 'visible' });
    // Docker only, once.
    for (const target of await compare.targets()) {
      const box = compare.target(target.key).locator('input[type="checkbox"]');
      if (target.enabled && target.checked !== (target.key === 'docker')) await box.setChecked(target.key === 'docker');
    }
    await compare.setup.getByTestId('compare-repeat').fill('1');
    await compare.setup.getByTestId('compare-start').click();
    await compare.setup.waitFor({ state: 'detached' });
    await run.dialog.waitFor({ state: 'detached' });
    await expect.poll(() => compare.current.innerText(), { timeout: 60_000 }).toMatch(/Running Docker/);
    await page.getByTestId('compare-cancel').click();
    await expect.poll(() => compare.current.getAttribute('data-state'), { timeout: 60_000 }).toBe('cancelled');
    expect(await compare.current.innerText()).toMatch(/Cancelled after/);

    const list = page.getByTestId('compare-list').locator('button');
    await expect.poll(() => list.count()).toBe(2);
    await list.nth(1).click();
    await expect.poll(() => compare.current.getAttribute('data-state')).toBe('done');
    expect(await compare.rows.count()).toBe(ranOn.length);
  });

  it('has no serious accessibility violations with the matrix and the results shown, light and dark', async () => {
    await compare.filter('no-root').check();
    await compare.results.waitFor({ state: 'visible' });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(ARTIFACTS_DIR, `compare-view-${scheme}.png`) });
      expect(await serious(`compare-view-${scheme}`)).toEqual([]);
      await compare.matrix.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS_DIR, `compare-matrix-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await compare.filter('no-root').uncheck();
  });

  it('raised no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
