// The Electron window's transport: the same router and StreamSessions as the browser host, bound
// to ipcMain. Electron is injected through the minimal interfaces below so that this file is
// tested without Electron. Messages from any frame that is not our own top-level app page (an
// iframe, a page the window was tricked into loading) are dropped, as GitHub Desktop's
// safeListener does.
import { ApiError, type Envelope } from '../../shared/errors';
import { IPC_CALL_CHANNEL, IPC_STREAM_CHANNEL } from '../../shared/bridge';
import type { ServerStreamMessage } from '../../shared/stream-protocol';
import type { Router } from '../host/router';
import { StreamSessions, type StreamHandlers } from '../host/stream-sessions';

export interface FrameLike {
  readonly url: string;
  /** Null for the top-level frame. */
  readonly parent?: unknown;
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  on(event: 'destroyed' | 'did-navigate' | 'render-process-gone', listener: () => void): unknown;
  removeListener(event: 'destroyed' | 'did-navigate' | 'render-process-gone', listener: () => void): unknown;
}

export interface IpcEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

export interface IpcBindingOptions {
  ipcMain: IpcMainLike;
  router: Router;
  streamHandlers: StreamHandlers;
  /** The app's own page, e.g. "app://crossdock/"; only frames on that scheme and host are heard. */
  appUrl: string;
  log?: (message: string) => void;
}

export interface IpcBinding {
  dispose(): void;
}

/** One window's state: its streams and the signal of its calls in flight. */
interface WindowState {
  sessions: StreamSessions;
  calls: AbortController;
  forget: () => void;
}

export function isTrustedFrame(frame: FrameLike | null, appUrl: string): boolean {
  if (!frame || (frame.parent !== undefined && frame.parent !== null)) return false;
  try {
    const url = new URL(frame.url);
    const app = new URL(appUrl);
    // Compared part by part: URL.origin is "null" for custom schemes such as app://.
    return url.protocol === app.protocol && url.host === app.host;
  } catch {
    return false;
  }
}

export function bindIpc(options: IpcBindingOptions): IpcBinding {
  const { ipcMain, router, streamHandlers, appUrl } = options;
  const log = options.log ?? (() => {});
  const windows = new Map<number, WindowState>();

  const stateOf = (contents: WebContentsLike): WindowState => {
    const existing = windows.get(contents.id);
    if (existing) return existing;
    const send = (message: ServerStreamMessage) => {
      if (!contents.isDestroyed()) contents.send(IPC_STREAM_CHANNEL, message);
    };
    // A reload or a closed window ends everything the old page had started.
    const reset = () => {
      const state = windows.get(contents.id);
      if (!state) return;
      windows.delete(contents.id);
      state.forget();
      state.calls.abort();
      state.sessions.dispose();
    };
    const state: WindowState = {
      sessions: new StreamSessions(streamHandlers, send, log),
      calls: new AbortController(),
      forget: () => {
        contents.removeListener('destroyed', reset);
        contents.removeListener('did-navigate', reset);
        contents.removeListener('render-process-gone', reset);
      },
    };
    contents.on('destroyed', reset);
    contents.on('did-navigate', reset);
    contents.on('render-process-gone', reset);
    windows.set(contents.id, state);
    return state;
  };

  const onCall = async (event: IpcEventLike, name: unknown, payload: unknown): Promise<Envelope<unknown>> => {
    if (!isTrustedFrame(event.senderFrame, appUrl)) {
      log(`refused a call from an untrusted frame (${event.senderFrame?.url ?? 'no frame'})`);
      return { ok: false, error: new ApiError('unauthorized', 'This page may not call Crossdock.').toBody() };
    }
    return router.call(name, payload, { transport: 'ipc', signal: stateOf(event.sender).calls.signal });
  };

  const onStream = (event: IpcEventLike, message: unknown) => {
    if (!isTrustedFrame(event.senderFrame, appUrl)) {
      log(`dropped a stream message from an untrusted frame (${event.senderFrame?.url ?? 'no frame'})`);
      return;
    }
    stateOf(event.sender).sessions.receive(message);
  };

  ipcMain.handle(IPC_CALL_CHANNEL, (event, name, payload) => onCall(event, name, payload));
  ipcMain.on(IPC_STREAM_CHANNEL, onStream);

  return {
    dispose() {
      ipcMain.removeHandler(IPC_CALL_CHANNEL);
      ipcMain.removeListener(IPC_STREAM_CHANNEL, onStream);
      for (const state of windows.values()) {
        state.forget();
        state.calls.abort();
        state.sessions.dispose();
      }
      windows.clear();
    },
  };
}
