// What the Electron preload puts on `window.crossdock`: exactly the contract, one function per call
// and one opener per stream, plus the shared stream control. The preload test checks the keys
// against the contract, so nothing else can slip onto the window.
import type { CallName, StreamName } from './contract';
import type { Envelope } from './errors';
import type { ServerStreamMessage } from './stream-protocol';

export type BridgeCalls = { readonly [K in CallName]: (request: unknown) => Promise<Envelope<unknown>> };

/** Opens stream `id` of that name with an initial credit; answers arrive through `control.onMessage`. */
export type BridgeStreams = { readonly [K in StreamName]: (id: number, request: unknown, credit: number) => void };

export interface BridgeStreamControl {
  credit(id: number, n: number): void;
  cancel(id: number): void;
  /** Returns a function that stops listening. */
  onMessage(listener: (message: ServerStreamMessage) => void): () => void;
}

export interface CrossdockBridge {
  readonly calls: BridgeCalls;
  readonly streams: BridgeStreams;
  readonly control: BridgeStreamControl;
}

/** The IPC channel names, used only by electron/preload.ts and electron/transports/ipc.ts. */
export const IPC_CALL_CHANNEL = 'crossdock:call';
export const IPC_STREAM_CHANNEL = 'crossdock:stream';

export const BRIDGE_GLOBAL = 'crossdock';
