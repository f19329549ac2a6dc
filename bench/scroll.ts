// Scrolling the image list from top to bottom in Chromium. The page itself sets the list body's
// scrollTop one viewport further on each requestAnimationFrame (the pace of dragging the
// scrollbar: every frame shows rows never drawn before, the virtualiser's worst case; a wheel
// moves a few rows a frame and reuses most of them), and keeps the rAF timestamps. Mouse-wheel
// events from Playwright would go through the DevTools protocol one round trip each, at a pace
// the protocol sets rather than the frames. Frame times are the gaps between those timestamps: a
// frame that took longer than one refresh interval shows as a gap of two or more. Each frame also
// checks that the rows for what is on screen are in the DOM (a blank frame otherwise). Beside it,
// the same page's frame rate idle for a second: what the headless display gives at best.
import type { Page } from 'playwright-core';
import { ROW_HEIGHT } from '../renderer/features/images/columns';

export interface ScrollSample {
  /** Frames per second over the whole scroll. */
  fps: number;
  worstFrameMs: number;
  frames: number;
  /** Frames that took more than 1.5 refresh intervals (at least one missed). */
  slowFrames: number;
  /** Frames whose first or last visible row was not in the DOM. */
  blankFrames: number;
  /** The page's frame rate while nothing happens. */
  idleFps: number;
  stepPx: number;
  rows: number;
  /** The last row was drawn at the end (the scroll really reached the bottom). */
  reachedLastRow: boolean;
}

/** `stepPx`: how far each frame scrolls; a viewport when not given. */
export async function measureScroll(page: Page, stepPx?: number): Promise<ScrollSample> {
  return page.evaluate(async ({ rowHeight, stepPx }: { rowHeight: number; stepPx: number | null }) => {
    const grid = document.querySelector<HTMLElement>('[data-testid="image-list"]');
    const body = grid?.querySelector<HTMLElement>('.image-grid__body');
    if (!grid || !body) throw new Error('no image list body in the page');
    const rows = Number(grid.getAttribute('aria-rowcount') ?? 1) - 1;
    const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
    const gaps = (stamps: number[]) => stamps.slice(1).map((stamp, index) => stamp - stamps[index]!);
    const rate = (stamps: number[]) => ((stamps.length - 1) * 1000) / (stamps.at(-1)! - stamps[0]!);

    body.scrollTop = 0;
    await nextFrame();
    await nextFrame();
    const idle: number[] = [];
    const idleUntil = performance.now() + 1000;
    while (performance.now() < idleUntil) idle.push(await nextFrame());
    const idleGaps = gaps(idle).sort((a, b) => a - b);
    const interval = idleGaps[Math.floor(idleGaps.length / 2)] ?? 1000 / 60;

    const step = stepPx ?? body.clientHeight;
    const stamps: number[] = [];
    let blankFrames = 0;
    const rowDrawn = (index: number) => body.querySelector(`[aria-rowindex="${index + 2}"]`) !== null;
    await new Promise<void>((resolve) => {
      const frame = (stamp: number) => {
        stamps.push(stamp);
        // The scroll event of the last step ran before this callback, so its rows should be here.
        const first = Math.floor(body.scrollTop / rowHeight);
        const last = Math.min(rows - 1, Math.floor((body.scrollTop + body.clientHeight - 1) / rowHeight));
        if (!rowDrawn(first) || !rowDrawn(last)) blankFrames += 1;
        if (body.scrollTop + body.clientHeight >= body.scrollHeight - 1) {
          resolve();
          return;
        }
        body.scrollTop += step;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await nextFrame();
    const scrollGaps = gaps(stamps);
    return {
      fps: rate(stamps),
      worstFrameMs: Math.max(...scrollGaps),
      frames: scrollGaps.length,
      slowFrames: scrollGaps.filter((gap) => gap > interval * 1.5).length,
      blankFrames,
      idleFps: rate(idle),
      stepPx: step,
      rows,
      reachedLastRow: rowDrawn(rows - 1),
    };
  }, { rowHeight: ROW_HEIGHT, stepPx: stepPx ?? null });
}
