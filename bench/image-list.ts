// The image list on a warm host: a fresh page (its own browser context, nothing cached in the
// window) opened on a `crossdock serve` that has already detected its engines, timed from the
// window's images.list call to the frame after the rows with every answered image were committed
// (see listing-watch.ts). The host lists the engine anew on every call (it keeps no image cache),
// so the figure is the engine's listing, the HTTP answer, the window's parse and validation of
// it, and React drawing the virtualised rows.
import type { Browser, Page } from 'playwright-core';
import { listedFor, recordListings, stopRecording, untilQuiet, type ListingTiming } from './listing-watch';

export interface ListingSample {
  /** images.list sent → the list drawn with all of it. */
  callToRenderedMs: number;
  /** images.list sent → its whole answer in (network): the host, the engine and the transfer. */
  callToAnswerMs: number;
  /** Answer in → the list drawn: the window's part (waiting for its main thread, parse, validation, rows, render). */
  answerToRenderedMs: number;
  rows: number;
  /** Calls the window cancelled (or that failed) and sent again before the drawn answer. */
  resent: number;
}

export function listingSample(timing: ListingTiming): ListingSample {
  return {
    callToRenderedMs: timing.renderedAt - timing.sentAt,
    callToAnswerMs: timing.answeredAt - timing.sentAt,
    answerToRenderedMs: timing.renderedAt - timing.answeredAt,
    rows: timing.rows,
    resent: timing.resent,
  };
}

/**
 * Opens `url` in a fresh context, waits until the list shows every image the engines answered and
 * the window's listing has settled, hands the page to `use` (to scroll it, or to let it idle), and
 * closes the context whatever happens.
 */
export async function withListedPage<T>(
  browser: Browser,
  url: string,
  engineIds: readonly string[],
  use: (page: Page, timing: ListingTiming) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await recordListings(page);
    await page.goto(url);
    const timing = await listedFor(page, engineIds);
    await untilQuiet(page);
    // The count observer would otherwise run on every commit of what comes next.
    await stopRecording(page);
    return await use(page, timing);
  } finally {
    await context.close();
  }
}
