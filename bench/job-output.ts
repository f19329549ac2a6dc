// A job printing a lot with its terminal open in Chromium, against the same job sending its output
// to /dev/null (inside the container): the job's wall time (the engine's start to end), the
// characters the terminal parsed per second, what the host skipped for it, and the peak memory of
// the host process and of the window's JavaScript heap.
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { rssOf, type ServedHost } from './served-host';

export interface OutputSample {
  wallMs: number;
  nullWallMs: number;
  /** `docker run --rm IMAGE ...` with its output sent to the host's /dev/null: what the engine's own CLI costs. */
  cliWallMs: number;
  renderedChars: number;
  renderMs: number;
  skippedBytes: number;
  hostPeakRss: number;
  windowPeakHeap: number;
}

/** busybox sh doubles a 63-character line 16 times (4 MB) and prints it `lines` times. */
function printer(lines: number, toNull: boolean): string[] {
  const loop = `line=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde; i=0; while [ $i -lt 16 ]; do line="$line$line"; i=$((i+1)); done; n=0; while [ $n -lt ${lines} ]; do echo "$line"; n=$((n+1)); done`;
  return ['sh', '-c', toNull ? `{ ${loop}; } > /dev/null` : loop];
}

interface JobView {
  state: string;
  startedAt: string | null;
  endedAt: string | null;
}

async function runToEnd(host: ServedHost, spec: object): Promise<{ id: string; wallMs: number }> {
  const record = (await host.call('jobs.run', { spec })) as { id: string };
  for (;;) {
    const job = (await host.call('jobs.get', { jobId: record.id })) as JobView;
    if (!['starting', 'running', 'stopping'].includes(job.state)) {
      if (job.state !== 'exited') throw new Error(`the output job ended ${job.state}`);
      return { id: record.id, wallMs: Date.parse(job.endedAt ?? '') - Date.parse(job.startedAt ?? '') };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function measureOutput(browser: Browser, host: ServedHost, image: { id: string; reference: string | null }, lines: number): Promise<OutputSample> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(host.url);
  await page.waitForSelector('body[data-ready="true"]');
  const spec = (toNull: boolean) => ({ engineId: 'docker', image: { imageId: image.id, reference: image.reference }, command: printer(lines, toNull) });

  let hostPeakRss = 0;
  let windowPeakHeap = 0;
  const sampler = setInterval(() => {
    void rssOf(host.pid).then((rss) => (hostPeakRss = Math.max(hostPeakRss, rss)));
    void page
      .evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0)
      .then((heap) => (windowPeakHeap = Math.max(windowPeakHeap, heap)))
      .catch(() => undefined);
  }, 100);
  try {
    const started = performance.now();
    const loud = runToEnd(host, spec(false));
    // Open its terminal as a user would: the Jobs view, the newest row.
    await page.getByTestId('view-jobs').click();
    const row = page.getByTestId('job-row').first();
    await row.click();
    const terminal = page.getByTestId('terminal');
    await terminal.waitFor();
    const { id, wallMs } = await loud;
    // The terminal has caught up once its count stops moving after the job ended.
    let last = -1;
    let renderedChars = 0;
    for (;;) {
      renderedChars = Number((await terminal.getAttribute('data-rendered-chars')) ?? 0);
      if (renderedChars === last) break;
      last = renderedChars;
      await page.waitForTimeout(300);
    }
    const renderMs = performance.now() - started;
    const skippedBytes = Number((await terminal.getAttribute('data-skipped-bytes')) ?? 0);
    const quiet = await runToEnd(host, spec(true));
    const cliWallMs = await cliToDevNull(image.reference ?? image.id, printer(lines, false));
    await host.call('jobs.remove', { jobId: id });
    await host.call('jobs.remove', { jobId: quiet.id });
    return { wallMs, nullWallMs: quiet.wallMs, cliWallMs, renderedChars, renderMs, skippedBytes, hostPeakRss, windowPeakHeap };
  } finally {
    clearInterval(sampler);
    await page.context().close();
  }
}

/**
 * The same loud job through Docker's own CLI, its output thrown away on the host: the daemon still
 * logs and forwards every byte, so this is the floor any front end's terminal can reach.
 */
async function cliToDevNull(image: string, command: string[]): Promise<number> {
  const started = performance.now();
  await execa('docker', ['run', '--rm', '--network', 'none', image, ...command], { stdout: 'ignore', stderr: 'ignore' });
  return performance.now() - started;
}
