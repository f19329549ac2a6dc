import { describe, expect, it } from 'vitest';
import { createWebTransport, type SocketLike } from '../../../renderer/api/web-transport';
import type { ConnectionState } from '../../../renderer/api/transport';

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: Array<() => void> = [];
  const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
  const transport = createWebTransport({
    fetch: (async (url: string, init?: RequestInit) => {
      requests.push({ url, init });
      return new Response(JSON.stringify({ ok: false, error: { kind: 'not-found', message: 'gone' } }), { status: 404 });
    }) as typeof fetch,
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    location: { protocol: 'https:', host: 'login01:8123' },
    setTimeout: (callback) => timers.push(callback),
  });
  return { transport, sockets, timers, requests };
}

describe('web transport', () => {
  it('posts calls to the call path and hands back the envelope even on 4xx', async () => {
    const { transport, requests } = setup();
    const answer = await transport.call('images.inspect', { engineId: 'alpha', imageId: 'abcdef' });
    expect(answer).toEqual({ ok: false, error: { kind: 'not-found', message: 'gone' } });
    expect(requests[0]?.url).toBe('/api/call/images.inspect');
    expect(requests[0]?.init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
  });

  it('opens one wss socket lazily and sends the open once it is up', () => {
    const { transport, sockets } = setup();
    expect(sockets).toHaveLength(0);
    transport.openStream(1, 'changes.watch', {}, 64);
    transport.openStream(2, 'changes.watch', {}, 64);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.url).toBe('wss://login01:8123/api/streams');
    sockets[0]!.accept();
    expect(sockets[0]!.sent).toEqual([
      { t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 64 },
      { t: 'open', id: 2, name: 'changes.watch', request: {}, credit: 64 },
    ]);
  });

  it('reconnects after a drop and re-opens open streams with their remaining credit', () => {
    const { transport, sockets, timers } = setup();
    const states: ConnectionState[] = [];
    transport.onConnectionChange((state) => states.push(state));
    const received: unknown[] = [];
    transport.onStreamMessage((message) => received.push(message));

    transport.openStream(1, 'changes.watch', {}, 4);
    transport.openStream(2, 'changes.watch', {}, 4);
    sockets[0]!.accept();
    sockets[0]!.deliver({ t: 'event', id: 1, data: { type: 'images-changed', engineId: 'alpha' } });
    sockets[0]!.deliver({ t: 'event', id: 1, data: { type: 'images-changed', engineId: 'alpha' } });
    sockets[0]!.deliver({ t: 'end', id: 2 });
    transport.grantCredit(1, 1);
    expect(received).toHaveLength(3);

    sockets[0]!.drop();
    expect(states).toEqual(['lost']);
    expect(timers).toHaveLength(1);
    timers[0]!();
    expect(sockets).toHaveLength(2);
    sockets[1]!.accept();
    expect(states).toEqual(['lost', 'connected']);
    // Stream 2 ended before the drop; stream 1 had 4 - 2 + 1 credit left.
    expect(sockets[1]!.sent).toEqual([{ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 3 }]);
  });

  it('keeps credit and cancels while down without sending into a dead socket', () => {
    const { transport, sockets, timers } = setup();
    transport.openStream(1, 'changes.watch', {}, 8);
    transport.openStream(2, 'changes.watch', {}, 8);
    sockets[0]!.accept();
    sockets[0]!.drop();
    transport.grantCredit(1, 2);
    transport.cancelStream(2);
    timers[0]!();
    sockets[1]!.accept();
    expect(sockets[1]!.sent).toEqual([{ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 10 }]);
  });

  it('does not reconnect when no stream is open', () => {
    const { transport, sockets, timers } = setup();
    transport.openStream(1, 'changes.watch', {}, 8);
    sockets[0]!.accept();
    transport.cancelStream(1);
    expect(sockets[0]!.sent.at(-1)).toEqual({ t: 'cancel', id: 1 });
    sockets[0]!.drop();
    expect(timers).toHaveLength(0);
  });
});
