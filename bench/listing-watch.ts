// When did the window's image list show an engine's images? The list is virtualised (about 30 rows
// exist in the DOM whatever the count), so "rendered" is read from what changes in the same React
// commit as the rows: the count line above the list ("1,000 images on 4 engines · ..."). A script
// added before the page's own records, on the page's clock:
// - each images.list call the window makes (it POSTs through window.fetch): its engine, when it
//   was sent, when its answer was in (the network stack's responseEnd from Resource Timing: a busy
//   main thread sees the fetch settle later, which is the window's time, not the host's), and the
//   row count of the answer the window parsed (read from the window's own parse, so measuring adds
//   no second JSON.parse of 10,000 rows);
// - each change of the count line: when it was committed, and when the frame after it ran (a
//   requestAnimationFrame then a task: the frame that paints the rows has been produced by then).
// Engines answer separately, so the list is complete for a set of engines at the first count change
// after their last answer whose total covers all their rows.
import type { Page } from 'playwright-core';

interface ListCall {
  engineId: string;
  sentAt: number;
  /** The fetch settled in the page (headers in, and the main thread free to see it). */
  answeredAt: number | null;
  /** The whole answer in, as the network stack saw it (Resource Timing responseEnd). */
  receivedAt: number | null;
  /** The window's response.json() resolved. */
  parsedAt: number | null;
  rows: number | null;
  /** Answered with an error envelope. */
  failed?: boolean;
  /** The window cancelled it (a re-list asked while it was under way) or it never got an answer. */
  aborted?: boolean;
}

interface CountChange {
  at: number;
  paintedAt: number | null;
  total: number;
}

interface Recorder {
  calls: ListCall[];
  counts: CountChange[];
  stop(): void;
}

export interface ListingTiming {
  /** Epoch milliseconds (page clock): the first of the engines' images.list calls sent. */
  sentAt: number;
  /** The last of their answers was in (network responseEnd). */
  answeredAt: number;
  /** The count line and rows with all of their images were committed to the DOM... */
  committedAt: number;
  /** ...and the frame after that ran. */
  renderedAt: number;
  /** Rows in the list then (every engine's, not only the watched ones). */
  rows: number;
  /** Rows those engines answered. */
  watchedRows: number;
  /** Calls of those engines cancelled or failed before the answers that were drawn. */
  resent: number;
}

/** Epoch milliseconds on Node's clock, comparable with the page's performance.timeOrigin + now(). */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** What went wrong in a page while it loaded: said when the list never comes. */
const problems = new WeakMap<Page, string[]>();

/** Must be called before page.goto: the recorder is installed ahead of the window's scripts. */
export async function recordListings(page: Page): Promise<void> {
  const seen: string[] = [];
  problems.set(page, seen);
  // A window that never draws is most often one whose scripts did not load (a build rewriting
  // dist/renderer under the running host does that) or threw.
  page.on('pageerror', (error) => seen.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/api/')) seen.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => seen.push(`${request.failure()?.errorText ?? 'failed'}: ${request.url()}`));
  await page.addInitScript(installRecorder);
}

/** Waits until the list shows every image the given engines answered, and says when that happened. */
export async function listedFor(page: Page, engineIds: readonly string[], timeoutMs = 120_000): Promise<ListingTiming> {
  try {
    return await waitUntilListed(page, engineIds, timeoutMs);
  } catch (error) {
    // Say what the window did get, or a timeout here says nothing.
    const seen = await page
      .evaluate(() => {
        const recorder = (window as unknown as { __crossdockBench?: Recorder }).__crossdockBench;
        return JSON.stringify({ calls: recorder?.calls, counts: recorder?.counts.map((change) => change.total), text: document.querySelector('[data-testid="image-count"]')?.textContent });
      })
      .catch(() => 'nothing (the page is gone)');
    const trouble = (problems.get(page) ?? []).slice(0, 5).join('; ');
    throw new Error(`the list never showed every image of ${engineIds.join(', ')}: ${error instanceof Error ? error.message : String(error)}; the window saw ${seen}${trouble ? `; page problems: ${trouble}` : ''}`);
  }
}

async function waitUntilListed(page: Page, engineIds: readonly string[], timeoutMs: number): Promise<ListingTiming> {
  const handle = await page.waitForFunction(
    (watched: string[]) => {
      const recorder = (window as unknown as { __crossdockBench?: Recorder }).__crossdockBench;
      if (!recorder) return null;
      const answers = watched.map((engineId) => recorder.calls.find((call) => call.engineId === engineId && call.rows !== null));
      if (answers.some((answer) => answer === undefined)) return null;
      const known = answers as ListCall[];
      // Timed from each engine's first call: one the window cancelled and sent again is part of the wait.
      const earlier = recorder.calls.filter((call) => known.some((answer) => call.engineId === answer.engineId && call.sentAt < answer.sentAt));
      const answeredAt = Math.max(...known.map((call) => call.receivedAt ?? call.answeredAt ?? 0));
      const watchedRows = known.reduce((sum, call) => sum + (call.rows ?? 0), 0);
      const shown = recorder.counts.find((change) => change.at >= answeredAt && change.total >= watchedRows);
      if (!shown || shown.paintedAt === null) return null;
      return {
        sentAt: Math.min(...known.map((call) => call.sentAt), ...earlier.map((call) => call.sentAt)),
        answeredAt,
        committedAt: shown.at,
        renderedAt: shown.paintedAt,
        rows: shown.total,
        watchedRows,
        resent: earlier.length,
      };
    },
    [...engineIds],
    { polling: 100, timeout: timeoutMs },
  );
  const timing = (await handle.jsonValue()) as ListingTiming;
  await handle.dispose();
  return timing;
}

/**
 * Waits until no images.list call has been under way or answered for `quietMs`: a fresh window lists
 * every engine a second time a moment after the first (its change feed's first events ask it to),
 * and that second answer must not land in the middle of what is measured next.
 */
export async function untilQuiet(page: Page, quietMs = 1000, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    (quiet: number) => {
      const recorder = (window as unknown as { __crossdockBench?: Recorder }).__crossdockBench;
      if (!recorder) return true;
      if (recorder.calls.some((call) => call.parsedAt === null && !call.aborted)) return false;
      const last = Math.max(0, ...recorder.calls.map((call) => call.parsedAt ?? call.sentAt), ...recorder.counts.map((change) => change.at));
      return performance.timeOrigin + performance.now() - last >= quiet;
    },
    quietMs,
    { polling: 100, timeout: timeoutMs },
  );
}

/** Stops watching the count line (before measuring something the observer would add to). */
export async function stopRecording(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __crossdockBench?: Recorder }).__crossdockBench?.stop());
}

// Runs in the page, serialised by Playwright: everything it uses is inside it.
function installRecorder(): void {
  const now = () => performance.timeOrigin + performance.now();
  const recorder: Recorder = { calls: [], counts: [], stop: () => undefined };

  const claimed = new Set<PerformanceResourceTiming>();
  const originalFetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.endsWith('/api/call/images.list')) return originalFetch(input, init);
    let engineId = '';
    try {
      engineId = String((JSON.parse(String(init?.body ?? '{}')) as { engineId?: unknown }).engineId ?? '');
    } catch {
      // not a body we know; recorded without an engine
    }
    const call: ListCall = { engineId, sentAt: now(), answeredAt: null, receivedAt: null, parsedAt: null, rows: null };
    recorder.calls.push(call);
    return originalFetch(input, init).then((response) => {
      call.answeredAt = now();
      const parse = response.json.bind(response);
      response.json = () =>
        parse().then((body: unknown) => {
          const result = (body as { result?: unknown } | null)?.result;
          // An error envelope is no listing: left without rows, so the wait goes on (and its
          // timeout message shows the failure) rather than counting an empty list as drawn.
          if (Array.isArray(result)) call.rows = result.length;
          else call.failed = true;
          call.parsedAt = now();
          // Its Resource Timing entry exists once the body is in: the unclaimed one that started
          // closest to this call (every images.list call has the same URL).
          let closest: PerformanceResourceTiming | null = null;
          const distance = (entry: PerformanceResourceTiming) => Math.abs(performance.timeOrigin + entry.startTime - call.sentAt);
          for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
            if (!entry.name.endsWith('/api/call/images.list') || claimed.has(entry)) continue;
            if (closest === null || distance(entry) < distance(closest)) closest = entry;
          }
          if (closest !== null && closest.responseEnd > 0) {
            claimed.add(closest);
            call.receivedAt = performance.timeOrigin + closest.responseEnd;
          }
          return body;
        });
      return response;
    }, (error: unknown) => {
      call.aborted = true;
      throw error;
    });
  };

  let lastText = '';
  const observer = new MutationObserver(() => {
    const text = document.querySelector('[data-testid="image-count"]')?.textContent ?? '';
    if (text === lastText) return;
    lastText = text;
    const change: CountChange = { at: now(), paintedAt: null, total: Number(/^[\d,]+/.exec(text)?.[0]?.replaceAll(',', '') ?? Number.NaN) };
    recorder.counts.push(change);
    requestAnimationFrame(() => setTimeout(() => (change.paintedAt = now()), 0));
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true });
  recorder.stop = () => observer.disconnect();
  (window as unknown as { __crossdockBench: Recorder }).__crossdockBench = recorder;
}
