// Figures with many images: cold start to the drawn list with FEW and SOME images across Docker
// and Podman, the image list (call to drawn rows) and its scrolling with SOME and MANY images in
// Docker alone, and idle memory with SOME images listed beside FEW. The images are synthetic tags
// (synthetic-images.ts), grown from one phase to the next so each count is tagged once, and every
// bench tag is removed at the end however the section ends (Ctrl-C included).
//
// Counts (environment): BENCH_FEW_IMAGES (10), BENCH_IMAGES (1,000), BENCH_MANY_IMAGES (10 times
// BENCH_IMAGES, so BENCH_IMAGES=100 is a quick try throughout), BENCH_TAGS_PER_IMAGE (10, see
// synthetic-images.ts). BENCH_SKIP_SCROLL and BENCH_SKIP_MEMORY leave those parts out;
// BENCH_SCROLL_STEP_PX scrolls that far per frame instead of a viewport (100: about a wheel notch).
import type { BenchContext, Row } from './report';
import { count, countFromEnv } from './report';
import { imagesCliLabel, imagesCliMs } from './cli-baseline';
import { measureStart } from './cold-start';
import { listingSample, withListedPage, type ListingSample } from './image-list';
import { IDLE_MS, measureIdleMemory, type MemorySample } from './idle-memory';
import { onInterrupt } from './interrupt';
import { measureScroll, type ScrollSample } from './scroll';
import { startServedHost } from './served-host';
import { summarise } from './stats';
import { DOCKER_CONCURRENCY, SyntheticImages, type Resized, type Split, type SyntheticEngine } from './synthetic-images';
import { execa } from 'execa';
import { ROW_HEIGHT } from '../renderer/features/images/columns';

const MB = 1024 * 1024;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

export async function manyImageRows(context: BenchContext): Promise<Row[]> {
  const few = countFromEnv('BENCH_FEW_IMAGES', 10);
  const some = countFromEnv('BENCH_IMAGES', 1000);
  const many = countFromEnv('BENCH_MANY_IMAGES', 10 * some);
  // Podman is optional (a machine with Docker alone still gets every figure, all in Docker).
  const withPodman = (await execa('podman', ['image', 'ls', '--quiet'], { reject: false, timeout: 60_000 })).exitCode === 0;
  const images = new SyntheticImages();
  const forget = onInterrupt(() => images.removeAll());
  try {
    return await measure(context, images, { few, some, many, withPodman });
  } finally {
    const removal = await images.removeAll();
    forget();
    progress(`removed ${count(removal.removed)} bench tags in ${seconds(removal.ms)}`);
  }
}

interface Counts {
  few: number;
  some: number;
  many: number;
  withPodman: boolean;
}

async function measure({ browser, root, runs }: BenchContext, images: SyntheticImages, { few, some, many, withPodman }: Counts): Promise<Row[]> {
  const engines: SyntheticEngine[] = withPodman ? ['docker', 'podman'] : ['docker'];
  const split = (total: number): Split => (withPodman ? { docker: Math.ceil(total / 2), podman: Math.floor(total / 2) } : { docker: total, podman: 0 });
  const describe = (parts: Split) => engines.map((engine) => `${count(parts[engine])} in ${engine === 'docker' ? 'Docker' : 'Podman'}`).join(' + ');
  const startRows: Row[] = [];
  const memory = new Map<number, MemorySample[]>();

  // Cold start, and idle memory, with the images spread over both engines.
  for (const total of [few, some]) {
    const parts = split(total);
    progress(`making ${describe(parts)} for start-up with ${count(total)} images`);
    const tagging = await images.resize(parts);
    const cli = summarise(Array.from({ length: runs }, () => imagesCliMs(engines)));
    const starts = [];
    for (let i = 0; i < runs; i += 1) starts.push(await measureStart(browser, [process.execPath, 'dist/electron/cli.js', 'start', '--port', '0'], root, engines));
    startRows.push({
      figure: `start (built) → image list rendered, ${count(total)} bench images (${count(starts[0]?.rows ?? 0)} rows)`,
      value: summarise(starts.map((start) => start.listedMs)),
      baseline: { label: imagesCliLabel(engines), value: cli },
      note: `${describe(parts)} (${images.perImage} tags per image; ${changes(tagging)}); fresh folders each run; until the list holds every row those engines answered, one frame after`,
    });
    if (!process.env.BENCH_SKIP_MEMORY) {
      const samples: MemorySample[] = [];
      for (let i = 0; i < runs; i += 1) samples.push(await measureIdleMemory(browser, root, engines));
      memory.set(total, samples);
    }
  }

  // The list itself, in Docker alone: one images.list call to time.
  const scrollStep = process.env.BENCH_SCROLL_STEP_PX ? countFromEnv('BENCH_SCROLL_STEP_PX', 1) : undefined;
  const listRows: Row[] = [];
  const scrollRows: Row[] = [];
  for (const total of [some, many]) {
    progress(`making ${count(total)} in Docker (none in Podman) for the list`);
    const tagging = await images.resize({ docker: total, podman: 0 });
    const cli = summarise(Array.from({ length: runs }, () => imagesCliMs(['docker'])));
    const samples: Array<{ listing: ListingSample; scroll: ScrollSample | null }> = [];
    const host = await startServedHost(root);
    try {
      // The first page pays for the host's detection; the measured ones find it done.
      await withListedPage(browser, host.url, ['docker'], async () => undefined);
      for (let i = 0; i < runs; i += 1) {
        samples.push(
          await withListedPage(browser, host.url, ['docker'], async (page, timing) => ({
            listing: listingSample(timing),
            scroll: process.env.BENCH_SKIP_SCROLL ? null : await measureScroll(page, scrollStep),
          })),
        );
      }
    } finally {
      await host.stop();
    }
    const listings = samples.map((sample) => sample.listing);
    const resent = listings.filter((sample) => sample.resent > 0).length;
    listRows.push({
      figure: `image list, ${count(total)} images in Docker: images.list call → rows rendered`,
      value: summarise(listings.map((sample) => sample.callToRenderedMs)),
      baseline: { label: '`docker images`', value: cli },
      note: `warm \`crossdock serve\`, a fresh page each run (${count(listings[0]?.rows ?? 0)} rows in all); the call's answer took ${formatRange(listings.map((s) => s.callToAnswerMs))} of it${resent > 0 ? `; in ${resent} of ${listings.length} runs the window cancelled its first call and sent it again (timed from the first)` : ''}; ${images.perImage} tags per image, ${changes(tagging)}`,
    });
    listRows.push({
      figure: `  answer received → rows rendered (${count(total)})`,
      value: summarise(listings.map((sample) => sample.answerToRenderedMs)),
      baseline: null,
      note: "the window's part, from the answer's last byte (Resource Timing): its main thread free, JSON parse, contract validation, rows, sort, React commit, one frame",
    });
    const scrolls = samples.flatMap((sample) => (sample.scroll ? [sample.scroll] : []));
    if (scrolls.length > 0) {
      const first = scrolls[0]!;
      scrollRows.push({
        figure: `scrolling the image list top to bottom, ${count(total)} rows: frame rate`,
        value: summarise(scrolls.map((scroll) => scroll.fps), 'fps'),
        baseline: { label: 'the same page idle', value: summarise(scrolls.map((scroll) => scroll.idleFps), 'fps') },
        note: `frames ÷ seconds over the whole scroll; scrollTop ${scrollStep ? '' : 'one viewport '}(${first.stepPx} px, ${Math.floor(first.stepPx / ROW_HEIGHT)} rows) further per animation frame, ${first.frames} frames; frames over 1.5 refresh intervals: ${scrolls.map((s) => s.slowFrames).join('/')}; blank frames: ${scrolls.map((s) => s.blankFrames).join('/')}${scrolls.every((s) => s.reachedLastRow) ? '' : '; the last row was NOT drawn at the end'}`,
      });
      scrollRows.push({
        figure: `  worst frame while scrolling (${count(total)})`,
        value: summarise(scrolls.map((scroll) => scroll.worstFrameMs)),
        baseline: null,
        note: 'the longest gap between two requestAnimationFrame timestamps',
      });
    }
  }

  const memoryRows: Row[] = [];
  const fewMemory = memory.get(few);
  const someMemory = memory.get(some);
  if (fewMemory && someMemory) {
    const label = `${count(few)} bench images listed`;
    memoryRows.push({
      figure: `idle host RSS, ${count(some)} bench images listed (${count(someMemory[0]?.rows ?? 0)} rows)`,
      value: summarise(someMemory.map((sample) => sample.hostRss / MB), 'MB'),
      baseline: { label, value: summarise(fewMemory.map((sample) => sample.hostRss / MB), 'MB') },
      note: `\`crossdock serve\` (VmRSS), fresh host and page each run, read after ${IDLE_MS / 1000} s idle`,
    });
    memoryRows.push({
      figure: `idle window JS heap, ${count(some)} bench images listed`,
      value: summarise(someMemory.map((sample) => sample.windowHeap / MB), 'MB'),
      baseline: { label, value: summarise(fewMemory.map((sample) => sample.windowHeap / MB), 'MB') },
      note: 'performance.memory.usedJSHeapSize in Chromium (--enable-precise-memory-info), garbage not yet collected included',
    });
  }
  return [...startRows, ...listRows, ...scrollRows, ...memoryRows];
}

/** What making the images for a figure took, for its note. */
function changes(resized: Resized): string {
  const parts = [];
  if (resized.loaded > 0) parts.push(`${count(resized.loaded)} image${resized.loaded === 1 ? "" : "s"} loaded in ${seconds(resized.loadMs)}`);
  if (resized.tagged > 0) parts.push(`${count(resized.tagged)} tags added in ${seconds(resized.tagMs)} (Docker: ${DOCKER_CONCURRENCY} API calls at a time)`);
  if (resized.removed > 0) parts.push(`${count(resized.removed)} names removed`);
  return `${parts.join(', ') || 'no change'}: ${seconds(resized.ms)} in all`;
}

function formatRange(values: number[]): string {
  const summary = summarise(values);
  return `${Math.round(summary.median)} ms (${Math.round(summary.min)}–${Math.round(summary.max)})`;
}
