// The one seam between the window and its host. The Electron bridge and the browser host's
// HTTP+WebSocket protocol both fit behind it, so the client and everything above it never know
// which one they run on.
import type { CallName, StreamName } from '../../shared/contract';
import type { ServerStreamMessage } from '../../shared/stream-protocol';

/** "connected" also covers "not connected yet"; only a drop of a live connection reports "lost". */
export type ConnectionState = 'connected' | 'lost';

export interface Transport {
  /** Answers the raw envelope JSON (untrusted; the client validates it). Never rejects on an API error. */
  call(name: CallName, request: unknown): Promise<unknown>;
  openStream(id: number, name: StreamName, request: unknown, credit: number): void;
  grantCredit(id: number, n: number): void;
  cancelStream(id: number): void;
  /** Every server stream message, untrusted. Returns a function that stops listening. */
  onStreamMessage(listener: (message: unknown) => void): () => void;
  /** Transports that can drop (the WebSocket) report it here; IPC never calls the listener. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

/** A failed transport still answers an envelope, so callers see one kind of failure. */
export function transportFailure(message: string): unknown {
  return { ok: false, error: { kind: 'internal', message } };
}

export type { ServerStreamMessage };
