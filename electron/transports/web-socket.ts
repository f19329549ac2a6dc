// One browser window's WebSocket: client stream messages in (JSON text frames), server stream
// messages out, through the same StreamSessions the IPC transport uses.
import type { WebSocket, RawData } from 'ws';
import type { ServerStreamMessage } from '../../shared/stream-protocol';
import { StreamSessions, type StreamHandlers } from '../host/stream-sessions';

/** Largest frame a window may send; stream control messages are a few dozen bytes. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Above this many bytes waiting in the socket, hold our messages until it drains. */
const HIGH_WATER_BYTES = 1024 * 1024;
/**
 * Credit keeps the held queue small; a window that stops reading altogether while granting
 * credit would still grow it, so past this it is disconnected rather than allowed to fill memory.
 */
const MAX_HELD_BYTES = 32 * 1024 * 1024;

export const CLOSE_UNSUPPORTED = 1003;
const CLOSE_POLICY = 1008;
const CLOSE_INTERNAL = 1011;

export function attachStreamSocket(ws: WebSocket, handlers: StreamHandlers, log: (message: string) => void): void {
  const held: string[] = [];
  let heldBytes = 0;

  const flush = () => {
    while (held.length > 0 && ws.readyState === ws.OPEN && ws.bufferedAmount <= HIGH_WATER_BYTES) {
      const frame = held.shift()!;
      heldBytes -= frame.length;
      ws.send(frame, afterWrite);
    }
  };
  // ws calls this once the frame has been handed to the socket: the moment to send what was held.
  const afterWrite = (error?: Error) => {
    if (error) return; // the socket is closing; 'close' disposes the sessions
    if (held.length > 0) flush();
  };

  const send = (message: ServerStreamMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    const frame = JSON.stringify(message);
    if (held.length === 0 && ws.bufferedAmount <= HIGH_WATER_BYTES) {
      ws.send(frame, afterWrite);
      return;
    }
    held.push(frame);
    heldBytes += frame.length;
    if (heldBytes > MAX_HELD_BYTES) {
      log('a browser window stopped reading its stream messages; closing its socket');
      ws.close(CLOSE_POLICY, 'not reading');
    }
  };

  const sessions = new StreamSessions(handlers, send, log);

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      ws.close(CLOSE_UNSUPPORTED, 'binary frames are not supported');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(rawDataToString(data));
    } catch {
      ws.close(CLOSE_UNSUPPORTED, 'frame is not JSON');
      return;
    }
    try {
      sessions.receive(message);
    } catch (error) {
      // StreamSessions answers bad messages itself; reaching here is a host bug, not the window's.
      log(`stream message failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      ws.close(CLOSE_INTERNAL, 'internal error');
    }
  });
  ws.on('close', () => {
    held.length = 0;
    heldBytes = 0;
    sessions.dispose();
  });
  ws.on('error', (error) => log(`stream socket error: ${error.message}`));
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/**
 * Pings every open socket every 30 s and drops those that did not answer the previous ping. The
 * timer exists only while a socket is open, so an idle host with no window never wakes up.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  private readonly alive = new Map<WebSocket, boolean>();

  constructor(private readonly intervalMs = 30_000) {}

  add(ws: WebSocket): void {
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('close', () => {
      this.alive.delete(ws);
      if (this.alive.size === 0) this.stop();
    });
    if (this.timer === null) {
      this.timer = setInterval(() => this.beat(), this.intervalMs);
      this.timer.unref();
    }
  }

  get running(): boolean {
    return this.timer !== null;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private beat(): void {
    for (const [ws, alive] of this.alive) {
      if (!alive) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }
}
