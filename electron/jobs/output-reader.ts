// Feeds a window's terminal from a job's log on disk, at the pace the window takes it (the stream's
// credit), never at the job's pace. When the window has fallen so far behind that catching up would
// take longer than reading the tail, it jumps to a frame boundary near the end and says how much it
// skipped; what it skipped stays in the log (and in "save output").
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { JobOutputEvent, OutputStreamKind } from '../../shared/jobs';
import type { FrameIndex } from './output-log';
import { FRAME_HEADER_BYTES, parseFrameHeader } from './log-format';

/** What the reader needs of a log: where it is, how much is on disk, whether more will come. */
export interface LogSource {
  readonly path: string;
  readonly index: FrameIndex;
  flushed(): number;
  /** True while the job runs and may append. */
  live(): boolean;
  /** Resolves when more is on disk or the log closed. */
  changed(): Promise<void>;
}

export interface ReadOptions {
  /** Further behind than this, the reader jumps to the tail (default 8 MB). */
  skipThreshold?: number;
  /** How much of the end it keeps when it jumps (default 512 KB). */
  tailBytes?: number;
  /**
   * After a jump while the job still writes, how long to wait before looking again (default
   * 250 ms). A job printing far faster than a terminal parses would otherwise keep the window
   * parsing flat out, on a core the job itself needs: the window shows the tail a few times a
   * second instead, and the whole output stays on disk. Once it has jumped, the window stays on
   * tails (it jumps again as soon as it is more than two tails behind, not `skipThreshold`) until
   * it has caught up: otherwise what a fast job printed during one pause (a few MB) would be
   * parsed in full, and the slower the job got for it, the more the window would parse (the
   * bench's 1 GB job: the window parsed 300 MB of it and the job took 3.9x its /dev/null time).
   */
  jumpPauseMs?: number;
  /** Called with the log offset the window has been sent up to (interactive jobs' back-pressure). */
  onSent?: (offset: number) => void;
}

const BLOCK_BYTES = 1024 * 1024;
/** Text per event: large enough to keep message counts low, small enough for one terminal write. */
const EVENT_CHARS = 64 * 1024;

export async function* readOutput(
  source: LogSource,
  fromOffset: number,
  signal: AbortSignal,
  options: ReadOptions = {},
): AsyncGenerator<JobOutputEvent> {
  const skipThreshold = options.skipThreshold ?? 8 * 1024 * 1024;
  const tailBytes = options.tailBytes ?? 512 * 1024;
  const jumpPauseMs = options.jumpPauseMs ?? 250;
  /** After a jump: where the tail that was jumped to ends; a pause follows once it was sent. */
  let pauseAt: number | null = null;
  /** Showing tails since a jump, until the window catches up. */
  let onTails = false;
  const decoders = new Map<OutputStreamKind, StringDecoder>();
  const decode = (kind: OutputStreamKind, bytes: Buffer) => {
    let decoder = decoders.get(kind);
    if (!decoder) decoders.set(kind, (decoder = new StringDecoder('utf8')));
    return decoder.write(bytes);
  };

  let handle: FileHandle | null = null;
  let pos = Math.min(fromOffset, source.flushed());
  // An offset from a window is trusted only once it is shown to be a boundary.
  if (pos > 0) pos = await source.index.boundaryAtOrAfter(source.path, pos, source.flushed());
  let caughtUp = false;
  try {
    handle = await open(source.path, 'r');
    while (!signal.aborted) {
      if (pauseAt !== null && pos >= pauseAt) {
        pauseAt = null;
        if (source.live()) await pauseOrAbort(jumpPauseMs, signal);
        continue;
      }
      const end = source.flushed();
      if (end - pos > (onTails ? 2 * tailBytes : skipThreshold) && pauseAt === null) {
        const target = await source.index.boundaryAtOrAfter(source.path, Math.max(pos, end - tailBytes), end);
        if (target > pos) {
          yield { type: 'skipped', bytes: target - pos, offset: target };
          pos = target;
          decoders.clear();
          pauseAt = end;
          onTails = true;
          options.onSent?.(pos);
          continue;
        }
      }
      if (pos >= end) {
        onTails = false;
        if (!source.live() && source.flushed() <= pos) return;
        if (!caughtUp) {
          caughtUp = true;
          yield { type: 'caught-up', offset: pos };
          continue;
        }
        await changedOrAborted(source, signal);
        continue;
      }
      caughtUp = false;
      // After a jump, only the tail that was jumped to; what came since waits for the next look.
      const block = Buffer.alloc(Math.min(BLOCK_BYTES, (pauseAt ?? end) - pos, end - pos));
      const { bytesRead } = await handle.read(block, 0, block.length, pos);
      let at = 0;
      let pending = null as { kind: OutputStreamKind; text: string; end: number } | null;
      while (at < bytesRead) {
        const header = parseFrameHeader(block, at);
        if (!header) {
          if (bytesRead - at >= FRAME_HEADER_BYTES) {
            // Not a frame: a damaged log. Say so and stop rather than print garbage.
            if (pending) yield { type: 'output', stream: pending.kind, text: pending.text, offset: pos + pending.end };
            yield { type: 'output', stream: 'notice', text: `\r\n[the saved output is damaged at byte ${pos + at}]\r\n`, offset: pos + at };
            return;
          }
          break;
        }
        const frameEnd = at + FRAME_HEADER_BYTES + header.length;
        // Writes land whole frames, so `flushed` is always a boundary; a cut frame is still arriving.
        if (frameEnd > bytesRead) break;
        const text = decode(header.kind, block.subarray(at + FRAME_HEADER_BYTES, frameEnd));
        if (pending && (pending.kind !== header.kind || pending.text.length + text.length > EVENT_CHARS)) {
          if (pending.text) yield { type: 'output', stream: pending.kind, text: pending.text, offset: pos + pending.end };
          pending = null;
        }
        pending = { kind: header.kind, text: (pending?.text ?? '') + text, end: frameEnd };
        at = frameEnd;
      }
      if (pending?.text) yield { type: 'output', stream: pending.kind, text: pending.text, offset: pos + pending.end };
      if (at === 0) {
        if (!source.live()) return; // a cut frame at the end of a finished log: nothing more will come
        await changedOrAborted(source, signal);
      }
      pos += at;
      options.onSent?.(pos);
    }
  } finally {
    await handle?.close();
  }
}

function pauseOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });
}

/** One listener per wait, removed again: a reader that waits a million times leaves nothing behind. */
function changedOrAborted(source: LogSource, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    void source.changed().then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
