// One consumer's queue of output chunks from one or more sources (a program's stdout and stderr,
// or a pty), with back-pressure: once more than `highWaterBytes` wait unpulled, the sources are
// paused (they stop reading their pipe or pty, so the program blocks on its next write); once the
// consumer has pulled the queue below `lowWaterBytes`, they are resumed. Nothing is buffered
// without bound: at most the high-water mark plus what each source had read already.
import type { OutputChunk } from '../runner';

export interface QueueSources {
  /** How many sources feed the queue; iteration ends when every one of them ended. */
  count: number;
  pause(): void;
  resume(): void;
}

export class OutputQueue implements AsyncIterable<OutputChunk> {
  private readonly chunks: OutputChunk[] = [];
  private queuedBytes = 0;
  private openSources: number;
  private paused = false;
  /** The consumer left (broke out of its loop): further chunks are dropped, sources kept flowing. */
  private abandoned = false;
  private iterating = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly sources: QueueSources,
    private readonly highWaterBytes = 1024 * 1024,
    private readonly lowWaterBytes = 256 * 1024,
  ) {
    this.openSources = sources.count;
  }

  /** Bytes waiting for the consumer. */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** Whether the sources are paused because the consumer fell behind. */
  get isPaused(): boolean {
    return this.paused;
  }

  push(chunk: OutputChunk): void {
    if (this.abandoned || chunk.data.length === 0) return;
    this.chunks.push(chunk);
    this.queuedBytes += chunk.data.length;
    if (!this.paused && this.queuedBytes > this.highWaterBytes) {
      this.paused = true;
      this.sources.pause();
    }
    this.notify();
  }

  /** One source ended (its pipe closed, the pty hung up). */
  endSource(): void {
    if (this.openSources > 0) this.openSources -= 1;
    this.notify();
  }

  /** Ends iteration now, whatever the sources do (a source that will never end). */
  endAll(): void {
    this.openSources = 0;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private shift(): OutputChunk | undefined {
    const chunk = this.chunks.shift();
    if (chunk) {
      this.queuedBytes -= chunk.data.length;
      if (this.paused && this.queuedBytes <= this.lowWaterBytes) {
        this.paused = false;
        this.sources.resume();
      }
    }
    return chunk;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<OutputChunk> {
    if (this.iterating) throw new Error('a job\'s output has one consumer');
    this.iterating = true;
    try {
      for (;;) {
        const chunk = this.shift();
        if (chunk) {
          yield chunk;
          continue;
        }
        if (this.openSources === 0) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      if (this.openSources > 0 || this.chunks.length > 0) {
        // The consumer stopped early: do not keep the program blocked on a full pipe.
        this.abandoned = true;
        this.chunks.length = 0;
        this.queuedBytes = 0;
        if (this.paused) {
          this.paused = false;
          this.sources.resume();
        }
      }
    }
  }
}
