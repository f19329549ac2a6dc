// One job's output file while it is written: appends frames at the speed the disk takes them,
// remembers frame boundaries (so a reader that fell behind can jump to the tail on a boundary) and
// tells readers when more is on disk. Readers only ever read up to `flushed`, what the disk has.
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import type { OutputStreamKind } from '../../shared/jobs';
import { FRAME_HEADER_BYTES, MAX_FRAME_PAYLOAD, frameHeader, parseFrameHeader } from './log-format';

/** A boundary is remembered about every this many bytes: 1,000 per GB of output. */
const CHECKPOINT_EVERY = 1024 * 1024;

export class FrameIndex {
  /** Frame start offsets, ascending, about CHECKPOINT_EVERY apart. */
  private readonly checkpoints: number[] = [0];

  note(offset: number): void {
    const last = this.checkpoints[this.checkpoints.length - 1] ?? 0;
    if (offset - last >= CHECKPOINT_EVERY) this.checkpoints.push(offset);
  }

  /** The first frame boundary at or after `target` (at most `end`), scanning headers from the nearest checkpoint. */
  async boundaryAtOrAfter(path: string, target: number, end: number): Promise<number> {
    let offset = 0;
    for (const checkpoint of this.checkpoints) {
      if (checkpoint > target) break;
      offset = checkpoint;
    }
    const handle = await open(path, 'r');
    try {
      const header = Buffer.alloc(FRAME_HEADER_BYTES);
      while (offset < target && offset < end) {
        const { bytesRead } = await handle.read(header, 0, FRAME_HEADER_BYTES, offset);
        const parsed = bytesRead === FRAME_HEADER_BYTES ? parseFrameHeader(header) : null;
        if (!parsed) return end; // damaged or still being written: nothing safe before the end
        offset += FRAME_HEADER_BYTES + parsed.length;
        this.note(offset);
      }
      return Math.min(offset, end);
    } finally {
      await handle.close();
    }
  }
}

export class OutputLog {
  /** Bytes handed to the write stream (headers included). */
  private written = 0;
  /** Bytes the disk has: what readers may read. */
  private flushedBytes = 0;
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly stream: WriteStream;
  readonly index = new FrameIndex();

  /** `flags: 'a'` continues an existing log (a finished job is never reopened, but a re-attached one is). */
  constructor(
    readonly path: string,
    startSize = 0,
    flags: 'a' | 'w' = startSize > 0 ? 'a' : 'w',
  ) {
    this.written = startSize;
    this.flushedBytes = startSize;
    // Opened now, not on the stream's next tick: a window may start reading the moment the job exists.
    const fd = openSync(path, flags, 0o600);
    this.stream = createWriteStream(path, { fd, highWaterMark: 1024 * 1024 });
  }

  get flushed(): number {
    return this.flushedBytes;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Appends one piece of output. Resolves once the write stream has room again: awaiting it is
   * what slows the source to the disk's pace, and nothing slower than the disk.
   */
  async append(kind: OutputStreamKind, data: Buffer): Promise<void> {
    if (this.closed || data.length === 0) return;
    let room = true;
    // Header and payload go as two buffers in one corked write (writev): no copy of the payload.
    this.stream.cork();
    for (let start = 0; start < data.length; start += MAX_FRAME_PAYLOAD) {
      const piece = data.subarray(start, Math.min(start + MAX_FRAME_PAYLOAD, data.length));
      this.index.note(this.written);
      this.stream.write(frameHeader(kind, piece.length));
      this.written += FRAME_HEADER_BYTES + piece.length;
      const end = this.written;
      room = this.stream.write(piece, (error) => {
        if (error) return;
        this.flushedBytes = Math.max(this.flushedBytes, end);
        this.wake();
      });
    }
    this.stream.uncork();
    if (!room && !this.closed) await once(this.stream, 'drain');
  }

  /** Resolves when more bytes are on disk or the log closed. */
  changed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.stream.end(resolve));
    this.flushedBytes = this.written;
    this.wake();
  }

  private wake(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiting) resolve();
  }
}
