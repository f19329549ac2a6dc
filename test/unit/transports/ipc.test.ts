import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { IPC_CALL_CHANNEL, IPC_STREAM_CHANNEL } from '../../../shared/bridge';
import type { ServerStreamMessage } from '../../../shared/stream-protocol';
import {
  bindIpc,
  isTrustedFrame,
  type IpcEventLike,
  type IpcMainLike,
  type WebContentsLike,
} from '../../../electron/transports/ipc';
import { createFakeHost } from '../../helpers/fake-host';
import { waitFor } from '../../helpers/waiting';

const APP_URL = 'app://crossdock/';

type Handler = (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>;
type Listener = (event: IpcEventLike, ...args: unknown[]) => void;

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, Handler>();
  listeners = new Map<string, Set<Listener>>();
  handle(channel: string, handler: Handler) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Listener) {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
  }
  removeListener(channel: string, listener: Listener) {
    this.listeners.get(channel)?.delete(listener);
  }
  invoke(event: IpcEventLike, ...args: unknown[]) {
    return this.handlers.get(IPC_CALL_CHANNEL)!(event, ...args);
  }
  emit(event: IpcEventLike, ...args: unknown[]) {
    for (const listener of this.listeners.get(IPC_STREAM_CHANNEL) ?? []) listener(event, ...args);
  }
}

class FakeWebContents extends EventEmitter implements WebContentsLike {
  static next = 1;
  readonly id = FakeWebContents.next++;
  destroyed = false;
  received: ServerStreamMessage[] = [];
  send(channel: string, message: unknown) {
    if (channel === IPC_STREAM_CHANNEL) this.received.push(message as ServerStreamMessage);
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

function setup(eventCount = Infinity) {
  const fake = createFakeHost({}, eventCount);
  const ipcMain = new FakeIpcMain();
  const binding = bindIpc({ ipcMain, router: fake.router, streamHandlers: fake.streamHandlers, appUrl: APP_URL, log: fake.log });
  const contents = new FakeWebContents();
  const event = (url = 'app://crossdock/index.html', parent: unknown = null): IpcEventLike => ({
    sender: contents,
    senderFrame: { url, parent },
  });
  return { fake, ipcMain, binding, contents, event };
}

describe('ipc transport', () => {
  it('answers a call from the app page through the router, marked as ipc', async () => {
    const { ipcMain, event } = setup();
    const envelope = await ipcMain.invoke(event(), 'app.info', {});
    expect(envelope).toMatchObject({ ok: true, result: { transport: 'ipc' } });
    const invalid = await ipcMain.invoke(event(), 'images.list', { engineId: 'NO' });
    expect(invalid).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
  });

  it('refuses calls from untrusted frames with an unauthorized envelope', async () => {
    const { ipcMain, event, fake } = setup();
    for (const untrusted of [
      event('https://evil.example/'),
      event('file:///etc/passwd'),
      event('app://other/index.html'),
      event('not a url'),
      event('app://crossdock/index.html', { url: 'app://crossdock/' }), // an iframe
      { sender: event().sender, senderFrame: null },
    ]) {
      expect(await ipcMain.invoke(untrusted, 'app.info', {})).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
    }
    expect(fake.logs.filter((line) => line.includes('untrusted'))).toHaveLength(6);
  });

  it('drops stream messages from untrusted frames', async () => {
    const { ipcMain, event, contents, fake } = setup();
    ipcMain.emit(event('https://evil.example/'), { t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 5 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.sources).toHaveLength(0);
    expect(contents.received).toEqual([]);
  });

  it('runs a stream with credit and sends its messages back to the same webContents', async () => {
    const { ipcMain, event, contents } = setup(2);
    ipcMain.emit(event(), { t: 'open', id: 3, name: 'changes.watch', request: {}, credit: 10 });
    await waitFor(() => contents.received.length === 3, 1000, 'two events and end');
    expect(contents.received.map((message) => message.t)).toEqual(['event', 'event', 'end']);
  });

  it('disposes the streams and aborts the calls of a destroyed webContents', async () => {
    const { ipcMain, event, contents, fake } = setup();
    ipcMain.emit(event(), { t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 1 });
    await waitFor(() => fake.sources[0]?.produced === 1, 1000, 'first event');
    await ipcMain.invoke(event(), 'images.list', { engineId: 'docker' });
    const signal = fake.lastSignal!;
    expect(signal.aborted).toBe(false);
    contents.destroy();
    await waitFor(() => fake.sources[0]!.returned, 1000, 'source returned');
    expect(signal.aborted).toBe(true);
    expect(contents.listenerCount('destroyed')).toBe(0);
    expect(contents.listenerCount('did-navigate')).toBe(0);
  });

  it('starts afresh after a navigation (reload)', async () => {
    const { ipcMain, event, contents, fake } = setup();
    ipcMain.emit(event(), { t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 1 });
    await waitFor(() => fake.sources[0]?.produced === 1);
    contents.emit('did-navigate');
    await waitFor(() => fake.sources[0]!.returned, 1000, 'old page stream returned');
    // The reloaded page may reuse id 1.
    ipcMain.emit(event(), { t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 1 });
    await waitFor(() => fake.sources[1]?.produced === 1, 1000, 'new page stream');
    expect(contents.received.filter((message) => message.t === 'error')).toEqual([]);
  });

  it('dispose removes the handler and listener and stops every stream', async () => {
    const { ipcMain, binding, event, fake } = setup();
    ipcMain.emit(event(), { t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 1 });
    await waitFor(() => fake.sources[0]?.produced === 1);
    binding.dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listeners.get(IPC_STREAM_CHANNEL)?.size).toBe(0);
    await waitFor(() => fake.sources[0]!.returned);
  });
});

describe('isTrustedFrame', () => {
  it('accepts only the top frame of the app origin', () => {
    expect(isTrustedFrame({ url: 'app://crossdock/index.html#/images' }, APP_URL)).toBe(true);
    expect(isTrustedFrame({ url: 'app://crossdock.evil/index.html' }, APP_URL)).toBe(false);
    expect(isTrustedFrame({ url: 'app://crossdock:8080/' }, APP_URL)).toBe(false);
    expect(isTrustedFrame({ url: 'http://crossdock/' }, APP_URL)).toBe(false);
  });
});
