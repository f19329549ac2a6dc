// The streams of one connected window (one WebSocket, or one Electron webContents). Both
// transports feed client messages in through `receive` and give a `send` for the answers; the
// flow control, validation and cancellation live here once.
import {
  isStreamName,
  streams,
  type StreamEvent,
  type StreamName,
  type StreamParsed,
} from '../../shared/contract';
import { ApiError, describeIssues } from '../../shared/errors';
import {
  ClientStreamMessageSchema,
  type ServerStreamMessage,
} from '../../shared/stream-protocol';
import { toApiError } from './to-api-error';

export type StreamHandlers = {
  [K in StreamName]: (request: StreamParsed<K>, signal: AbortSignal) => AsyncIterable<StreamEvent<K>>;
};

interface OpenStream {
  abort: AbortController;
  credit: number;
  /** Resolves the pump's wait for credit. */
  wake: (() => void) | null;
}

/** The most streams one window may hold open; more is a leak in the window, refused. */
const MAX_OPEN_STREAMS = 256;

export class StreamSessions {
  private readonly open = new Map<number, OpenStream>();
  private disposed = false;

  constructor(
    private readonly handlers: StreamHandlers,
    private readonly send: (message: ServerStreamMessage) => void,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** One message from the window, as it arrived (already JSON-decoded, not yet trusted). */
  receive(raw: unknown): void {
    if (this.disposed) return;
    const parsed = ClientStreamMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : 0;
      if (id > 0) {
        const issues = describeIssues(parsed.error);
        this.sendError(id, new ApiError('invalid-request', `Invalid stream message: ${issues.join('; ')}`, { issues }));
      } else {
        this.log('dropped a stream message without a valid id');
      }
      return;
    }
    const message = parsed.data;
    switch (message.t) {
      case 'open':
        this.start(message.id, message.name, message.request, message.credit);
        return;
      case 'credit': {
        const stream = this.open.get(message.id);
        if (!stream) return; // ended or cancelled meanwhile: nothing to grant
        stream.credit += message.n;
        stream.wake?.();
        return;
      }
      case 'cancel':
        this.stop(message.id);
        return;
    }
  }

  /** Cancels every stream (the window closed or reloaded). */
  dispose(): void {
    this.disposed = true;
    for (const id of [...this.open.keys()]) this.stop(id);
  }

  get size(): number {
    return this.open.size;
  }

  private start(id: number, name: string, rawRequest: unknown, credit: number): void {
    if (this.open.has(id)) {
      this.sendError(id, new ApiError('invalid-request', `Stream ${id} is already open.`));
      return;
    }
    if (!isStreamName(name)) {
      this.sendError(id, new ApiError('unknown-method', `There is no stream named ${JSON.stringify(name).slice(0, 140)}.`));
      return;
    }
    if (this.open.size >= MAX_OPEN_STREAMS) {
      this.sendError(id, new ApiError('invalid-request', `Too many open streams (${MAX_OPEN_STREAMS}).`));
      return;
    }
    const request = streams[name].request.safeParse(rawRequest ?? {});
    if (!request.success) {
      const issues = describeIssues(request.error);
      this.sendError(id, new ApiError('invalid-request', `Invalid request for ${name}: ${issues.join('; ')}`, { issues }));
      return;
    }
    const stream: OpenStream = { abort: new AbortController(), credit, wake: null };
    this.open.set(id, stream);
    void this.pump(id, name, request.data, stream);
  }

  private async pump(id: number, name: StreamName, request: unknown, stream: OpenStream): Promise<void> {
    const handler = this.handlers[name] as (request: unknown, signal: AbortSignal) => AsyncIterable<unknown>;
    let iterator: AsyncIterator<unknown> | undefined;
    try {
      iterator = handler(request, stream.abort.signal)[Symbol.asyncIterator]();
      for (;;) {
        // Back-pressure: pull nothing more from the source until the window has room.
        while (stream.credit <= 0 && !stream.abort.signal.aborted) {
          await new Promise<void>((resolve) => (stream.wake = resolve));
          stream.wake = null;
        }
        if (stream.abort.signal.aborted) break;
        const next = await iterator.next();
        if (stream.abort.signal.aborted) break;
        if (next.done) {
          this.send({ t: 'end', id });
          break;
        }
        stream.credit -= 1;
        this.send({ t: 'event', id, data: next.value });
      }
    } catch (error) {
      if (!stream.abort.signal.aborted) {
        const apiError = toApiError(error);
        if (apiError.kind === 'internal') this.log(`stream ${name} failed: ${String(error)}`);
        this.sendError(id, apiError);
      }
    } finally {
      this.open.delete(id);
      // Let the source release what it holds (event subscriptions, child processes).
      await iterator?.return?.().catch(() => undefined);
    }
  }

  private stop(id: number): void {
    const stream = this.open.get(id);
    if (!stream) return;
    stream.abort.abort();
    stream.wake?.();
    this.open.delete(id);
  }

  private sendError(id: number, error: ApiError): void {
    this.send({ t: 'error', id, error: error.toBody() });
  }
}
