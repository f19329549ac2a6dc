// The browser host's transport: calls are POSTs answered by an Envelope (even on 4xx/5xx), streams
// share one WebSocket, multiplexed by stream id. When the socket drops, the streams that were open
// are re-opened on the next socket with the credit they still had, so the client's bookkeeping
// stays true across the gap.
import type { CallName, StreamName } from '../../shared/contract';
import type { ClientStreamMessage } from '../../shared/stream-protocol';
import { CALL_PATH_PREFIX, STREAM_PATH } from '../../shared/web-protocol';
import { reconnectDelayMs } from './backoff';
import { transportFailure, type ConnectionState, type Transport } from './transport';

/** The parts of WebSocket we use, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface WebTransportDeps {
  fetch: typeof fetch;
  openSocket(url: string): SocketLike;
  location: { protocol: string; host: string };
  setTimeout(callback: () => void, ms: number): unknown;
}

interface RegisteredStream {
  name: StreamName;
  request: unknown;
  /** Events the host may still send us; what a re-open must grant again. */
  credit: number;
}

const OPEN = 1;

export function createWebTransport(deps: WebTransportDeps = browserDeps()): Transport {
  const registered = new Map<number, RegisteredStream>();
  const messageListeners = new Set<(message: unknown) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let socket: SocketLike | null = null;
  let reconnectScheduled = false;
  let failedAttempts = 0;
  let state: ConnectionState = 'connected';

  const socketUrl = `${deps.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${deps.location.host}${STREAM_PATH}`;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of connectionListeners) listener(next);
  }

  function send(message: ClientStreamMessage): void {
    // While the socket is down, `registered` is the record: the re-open carries it.
    if (socket?.readyState === OPEN) socket.send(JSON.stringify(message));
  }

  function reopenAll(): void {
    for (const [id, stream] of registered) {
      send({ t: 'open', id, name: stream.name, request: stream.request, credit: Math.max(1, stream.credit) });
    }
  }

  function connect(): void {
    const current = deps.openSocket(socketUrl);
    socket = current;
    current.onopen = () => {
      failedAttempts = 0;
      setState('connected');
      reopenAll();
    };
    current.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      track(message);
      for (const listener of messageListeners) listener(message);
    };
    current.onerror = () => {}; // a close always follows; handled there
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      if (registered.size === 0) return; // nothing to keep alive: reconnect on the next open
      setState('lost');
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (reconnectScheduled) return;
    reconnectScheduled = true;
    deps.setTimeout(() => {
      reconnectScheduled = false;
      failedAttempts += 1;
      if (socket === null && registered.size > 0) connect();
    }, reconnectDelayMs(failedAttempts));
  }

  /** Keeps each stream's remaining credit, and forgets streams the host finished. */
  function track(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const { t, id } = message as { t?: unknown; id?: unknown };
    if (typeof id !== 'number') return;
    const stream = registered.get(id);
    if (!stream) return;
    if (t === 'event') stream.credit -= 1;
    else if (t === 'end' || t === 'error') registered.delete(id);
  }

  return {
    async call(name: CallName, request: unknown) {
      let response: Response;
      try {
        response = await deps.fetch(CALL_PATH_PREFIX + name, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request ?? {}),
          credentials: 'same-origin',
        });
      } catch (error) {
        return transportFailure(`The Crossdock host did not answer (${String(error)}).`);
      }
      try {
        return await response.json();
      } catch {
        return transportFailure(`The Crossdock host answered HTTP ${response.status} without an envelope.`);
      }
    },
    openStream(id, name, request, credit) {
      registered.set(id, { name, request, credit });
      if (socket === null) {
        if (!reconnectScheduled) connect();
        return; // onopen re-opens every registered stream
      }
      send({ t: 'open', id, name, request, credit });
    },
    grantCredit(id, n) {
      const stream = registered.get(id);
      if (!stream) return;
      stream.credit += n;
      send({ t: 'credit', id, n });
    },
    cancelStream(id) {
      if (!registered.delete(id)) return;
      send({ t: 'cancel', id });
    },
    onStreamMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}

function browserDeps(): WebTransportDeps {
  return {
    fetch: (input, init) => window.fetch(input, init),
    openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    location: window.location,
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  };
}
