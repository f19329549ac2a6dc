// Engines stream newline-delimited JSON (events, import progress). Chunks split lines anywhere,
// lines may end in "\r\n", and a line that is not JSON (a proxy's noise, a truncated last line
// of a dying daemon) must not take the whole stream down: it is reported and skipped.

export class NdjsonSplitter {
  private buffered = '';
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly onValue: (value: unknown) => void,
    private readonly onBadLine: (line: string) => void = () => undefined,
  ) {}

  push(chunk: Uint8Array | string): void {
    this.buffered += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      this.emit(this.buffered.slice(0, newline));
      this.buffered = this.buffered.slice(newline + 1);
      newline = this.buffered.indexOf('\n');
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    this.buffered += this.decoder.decode();
    const rest = this.buffered;
    this.buffered = '';
    this.emit(rest);
  }

  private emit(rawLine: string): void {
    const line = rawLine.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.onBadLine(line);
      return;
    }
    this.onValue(value);
  }
}

/** Reads a whole progress stream (import, load) and throws the first `error` the engine reported. */
export async function drainProgress(stream: NodeJS.ReadableStream): Promise<unknown[]> {
  const values: unknown[] = [];
  const splitter = new NdjsonSplitter((value) => values.push(value));
  for await (const chunk of stream) splitter.push(chunk as Uint8Array | string);
  splitter.end();
  for (const value of values) {
    if (typeof value === 'object' && value !== null && 'error' in value && value.error) {
      throw new Error(typeof value.error === 'string' ? value.error : JSON.stringify(value.error));
    }
  }
  return values;
}
