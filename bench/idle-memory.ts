// Idle memory with the images listed: a fresh `crossdock serve` and a fresh page, the list drawn
// with every image the engines answered, then IDLE_MS of nothing; then the host process's resident
// memory (VmRSS) and the window's JavaScript heap in use (performance.memory.usedJSHeapSize, exact
// with Chromium's --enable-precise-memory-info, coarse buckets without). Garbage not yet collected
// counts: it is what the window holds at that moment.
import type { Browser } from 'playwright-core';
import { withListedPage } from './image-list';
import { rssOf, startServedHost } from './served-host';

export const IDLE_MS = 5000;

export interface MemorySample {
  hostRss: number;
  windowHeap: number;
  rows: number;
}

export async function measureIdleMemory(browser: Browser, root: string, engineIds: readonly string[]): Promise<MemorySample> {
  const host = await startServedHost(root);
  try {
    return await withListedPage(browser, host.url, engineIds, async (page, timing) => {
      await page.waitForTimeout(IDLE_MS);
      const windowHeap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? Number.NaN);
      return { hostRss: await rssOf(host.pid), windowHeap, rows: timing.rows };
    });
  } finally {
    await host.stop();
  }
}
