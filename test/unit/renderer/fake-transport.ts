// An in-memory Transport that records what the client sends and lets a test play the host.
import type { CallName, StreamName } from '../../../shared/contract';
import type { ConnectionState, Transport } from '../../../renderer/api/transport';

export type Sent =
  | { t: 'open'; id: number; name: StreamName; request: unknown; credit: number }
  | { t: 'credit'; id: number; n: number }
  | { t: 'cancel'; id: number };

export class FakeTransport implements Transport {
  readonly sent: Sent[] = [];
  readonly calls: Array<{ name: CallName; request: unknown }> = [];
  answer: (name: CallName, request: unknown) => unknown = () => ({ ok: true, result: null });
  private readonly listeners = new Set<(message: unknown) => void>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  async call(name: CallName, request: unknown): Promise<unknown> {
    this.calls.push({ name, request });
    return this.answer(name, request);
  }
  openStream(id: number, name: StreamName, request: unknown, credit: number): void {
    this.sent.push({ t: 'open', id, name, request, credit });
  }
  grantCredit(id: number, n: number): void {
    this.sent.push({ t: 'credit', id, n });
  }
  cancelStream(id: number): void {
    this.sent.push({ t: 'cancel', id });
  }
  onStreamMessage(listener: (message: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }
  /** Plays the host sending one stream message. */
  push(message: unknown): void {
    for (const listener of this.listeners) listener(message);
  }
  setConnection(state: ConnectionState): void {
    for (const listener of this.connectionListeners) listener(state);
  }
}
