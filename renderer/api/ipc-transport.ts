// The Electron transport: the preload's `window.crossdock` bridge, one function per call.
import type { CrossdockBridge } from '../../shared/bridge';
import { transportFailure, type Transport } from './transport';

export function createIpcTransport(bridge: CrossdockBridge): Transport {
  return {
    async call(name, request) {
      try {
        return await bridge.calls[name](request);
      } catch (error) {
        return transportFailure(`The Crossdock main process did not answer ${name}: ${String(error)}`);
      }
    },
    openStream: (id, name, request, credit) => bridge.streams[name](id, request, credit),
    grantCredit: (id, n) => bridge.control.credit(id, n),
    cancelStream: (id) => bridge.control.cancel(id),
    onStreamMessage: (listener) => bridge.control.onMessage(listener),
    // IPC does not drop while the window lives.
    onConnectionChange: () => () => {},
  };
}
