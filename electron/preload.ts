// The Electron window's preload: puts exactly the contract on window.crossdock, one function per
// call and one opener per stream, derived from shared/contract.ts so nothing else can be exposed.
// Bundled to CommonJS (a sandboxed preload can load neither ESM nor node modules): it may import
// only `electron` and shared/ code.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_GLOBAL,
  IPC_CALL_CHANNEL,
  IPC_STREAM_CHANNEL,
  type BridgeCalls,
  type BridgeStreamControl,
  type BridgeStreams,
  type CrossdockBridge,
} from '../shared/bridge';
import { callNames, streamNames } from '../shared/contract';
import type { Envelope } from '../shared/errors';
import type { ClientStreamMessage, ServerStreamMessage } from '../shared/stream-protocol';

const send = (message: ClientStreamMessage) => ipcRenderer.send(IPC_STREAM_CHANNEL, message);

const calls = Object.freeze(
  Object.fromEntries(
    callNames.map((name) => [
      name,
      (request: unknown) => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, request) as Promise<Envelope<unknown>>,
    ]),
  ),
) as BridgeCalls;

const streams = Object.freeze(
  Object.fromEntries(
    streamNames.map((name) => [
      name,
      (id: number, request: unknown, credit: number) => send({ t: 'open', id, name, request, credit }),
    ]),
  ),
) as BridgeStreams;

const control: BridgeStreamControl = Object.freeze({
  credit: (id: number, n: number) => send({ t: 'credit', id, n }),
  cancel: (id: number) => send({ t: 'cancel', id }),
  onMessage(listener: (message: ServerStreamMessage) => void) {
    // The event object is not passed on: it would hand the page a handle on ipcRenderer.
    const forward = (_event: IpcRendererEvent, message: ServerStreamMessage) => listener(message);
    ipcRenderer.on(IPC_STREAM_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_STREAM_CHANNEL, forward);
    };
  },
});

const bridge: CrossdockBridge = Object.freeze({ calls, streams, control });

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
