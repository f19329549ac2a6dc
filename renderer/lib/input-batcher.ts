// Keystrokes of an interactive terminal, batched: everything typed within one animation frame goes
// out as one call, pieces of at most `maxChars` (a large paste), strictly in order (the next call
// waits for the previous one), so no character is reordered or lost on the way to the job.

export interface InputBatcherOptions {
  maxChars: number;
  send(data: string): Promise<unknown>;
  /** requestAnimationFrame in the window; injectable for tests. */
  schedule(flush: () => void): unknown;
  cancel(handle: unknown): void;
  onError?(error: unknown): void;
}

export interface InputBatcher {
  push(data: string): void;
  dispose(): void;
}

/** Cuts text into pieces of at most `max` UTF-16 units, never between the halves of a surrogate pair. */
export function chunkText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('a piece holds at least 2 characters');
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    if (end < text.length) {
      const last = text.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    }
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

export function createInputBatcher(options: InputBatcherOptions): InputBatcher {
  let buffered = '';
  let scheduled: unknown = null;
  let disposed = false;
  let chain: Promise<unknown> = Promise.resolve();

  const flush = () => {
    scheduled = null;
    if (disposed || buffered === '') return;
    const pieces = chunkText(buffered, options.maxChars);
    buffered = '';
    for (const piece of pieces) {
      chain = chain.then(() => (disposed ? undefined : options.send(piece))).catch((error: unknown) => options.onError?.(error));
    }
  };

  return {
    push(data) {
      if (disposed || data === '') return;
      buffered += data;
      if (scheduled === null) scheduled = options.schedule(flush);
    },
    dispose() {
      disposed = true;
      if (scheduled !== null) options.cancel(scheduled);
      scheduled = null;
      buffered = '';
    },
  };
}
