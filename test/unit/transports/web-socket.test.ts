// The socket-level belts of the browser host, with a fake socket whose buffer the test controls.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { attachStreamSocket, Heartbeat } from '../../../electron/transports/web-socket';
import { createFakeHost } from '../../helpers/fake-host';
import { waitFor } from '../../helpers/waiting';

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  callbacks: Array<(error?: Error) => void> = [];
  pings = 0;
  terminated = false;
  closedWith: number | null = null;
  send(frame: string, callback: (error?: Error) => void) {
    this.sent.push(frame);
    this.callbacks.push(callback);
  }
  ping() {
    this.pings += 1;
  }
  terminate() {
    this.terminated = true;
    this.emit('close', 1006);
  }
  close(code: number) {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close', code);
  }
}

const asWs = (socket: FakeSocket) => socket as unknown as WebSocket;

const frame = (message: unknown) => Buffer.from(JSON.stringify(message));

describe('stream socket back-pressure', () => {
  it('holds messages while the socket buffer is above 1 MiB and sends them, in order, once it drains', async () => {
    const fake = createFakeHost({}, 100);
    const socket = new FakeSocket();
    attachStreamSocket(asWs(socket), fake.streamHandlers, fake.log);
    socket.emit('message', frame({ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 1 }), false);
    await waitFor(() => socket.sent.length === 1, 1000, 'first event');

    // The browser stops reading: the socket's buffer fills up.
    socket.bufferedAmount = 2 * 1024 * 1024;
    socket.emit('message', frame({ t: 'credit', id: 1, n: 4 }), false);
    await waitFor(() => fake.sources[0]?.produced === 5, 1000, 'four more events produced');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(socket.sent).toHaveLength(1);

    // The first frame's write completes and the buffer has drained: the held frames follow.
    socket.bufferedAmount = 0;
    socket.callbacks[0]!();
    expect(socket.sent.map((sent) => JSON.parse(sent).data.engineId)).toEqual([
      'engine-1',
      'engine-2',
      'engine-3',
      'engine-4',
      'engine-5',
    ]);
    socket.close(1000);
    await waitFor(() => fake.sources[0]!.returned, 1000, 'source returned on close');
  });

  it('answers text frames and closes on a frame that is not JSON', () => {
    const fake = createFakeHost();
    const socket = new FakeSocket();
    attachStreamSocket(asWs(socket), fake.streamHandlers, fake.log);
    socket.emit('message', Buffer.from('nope'), false);
    expect(socket.closedWith).toBe(1003);
  });
});

describe('Heartbeat', () => {
  afterEach(() => vi.useRealTimers());

  it('runs only while sockets are open, pings them, and drops the silent ones', () => {
    vi.useFakeTimers();
    const heartbeat = new Heartbeat(30_000);
    expect(heartbeat.running).toBe(false);
    const answering = new FakeSocket();
    const silent = new FakeSocket();
    heartbeat.add(asWs(answering));
    heartbeat.add(asWs(silent));
    expect(heartbeat.running).toBe(true);

    vi.advanceTimersByTime(30_000);
    expect(answering.pings).toBe(1);
    expect(silent.pings).toBe(1);
    answering.emit('pong');
    vi.advanceTimersByTime(30_000);
    expect(answering.terminated).toBe(false);
    expect(silent.terminated).toBe(true);

    answering.close(1000);
    expect(heartbeat.running).toBe(false);
  });
});
