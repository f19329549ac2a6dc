// A container's peak memory from the engine's own stats stream (GET /containers/<id>/stats), for
// comparisons. Docker on cgroup v1 reports the cgroup's recorded peak (memory_stats.max_usage),
// which is exact however short the peak was; Docker on cgroup v2 and Podman report only the
// current usage, so the highest sample is kept and the note says so. The engines sample about once
// a second: a container that ends sooner may end before the first figure, and then there is none
// (null, said so), rather than a guess.
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { MemoryReading, MemoryWatch } from '../../../jobs/runner';
import { NdjsonSplitter } from '../ndjson';

interface StatsSample {
  memory_stats?: { usage?: unknown; max_usage?: unknown };
}

/** The most stop() waits for the stats connection to close. */
const STOP_WAIT_MS = 1000;

const positive = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : null);

/** Folds stats samples into a peak, and says how it was found. Separate from the stream for tests. */
export class MemoryPeak {
  private maxUsage: number | null = null;
  private usage: number | null = null;

  constructor(private readonly product: string) {}

  add(sample: unknown): void {
    const stats = (typeof sample === 'object' && sample !== null ? (sample as StatsSample) : {}).memory_stats ?? {};
    const max = positive(stats.max_usage);
    const usage = positive(stats.usage);
    // A stopped or not-yet-started container gets a sample with nothing in it: not a reading.
    if (max === null && usage === null) return;
    if (max !== null) this.maxUsage = Math.max(this.maxUsage ?? 0, max);
    if (usage !== null) this.usage = Math.max(this.usage ?? 0, usage);
  }

  reading(): MemoryReading {
    const { product } = this;
    if (this.maxUsage !== null) {
      return {
        peakBytes: Math.max(this.maxUsage, this.usage ?? 0),
        method: `${product}'s container stats: the peak its memory cgroup recorded (max_usage, page cache included)`,
        missing: null,
      };
    }
    return {
      peakBytes: this.usage,
      method: `${product}'s container stats: the highest usage sampled, about once a second, so a shorter peak can be missed`,
      missing: this.usage === null ? `the container ended before ${product} reported its first figure` : null,
    };
  }
}

export function watchContainerMemory(container: Dockerode.Container, product: string): MemoryWatch {
  const peak = new MemoryPeak(product);
  const abort = new AbortController();
  let stream: Readable | null = null;
  const following = (async () => {
    try {
      // dockerode passes abortSignal on to the request; its typings do not list it for stats.
      const options: { stream: true; abortSignal: AbortSignal } = { stream: true, abortSignal: abort.signal };
      stream = (await container.stats(options)) as unknown as Readable;
      if (abort.signal.aborted) return;
      const splitter = new NdjsonSplitter((value) => peak.add(value));
      // The stream does not end when the container does (Docker keeps it open): stop() closes it.
      for await (const chunk of stream) splitter.push(chunk as Uint8Array | string);
    } catch {
      // Closed by stop(), or the container was already gone (404, Podman's 500): no more readings.
    }
  })();
  return {
    async stop() {
      abort.abort();
      stream?.destroy();
      // Closing ends the loop at once; the bound only guards against a connection that ignores it.
      await Promise.race([following, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
      return peak.reading();
    },
  };
}
