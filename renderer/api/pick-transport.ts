// The only place that knows two transports exist: Electron's preload puts the bridge on the
// window; the browser host does not.
import { BRIDGE_GLOBAL, type CrossdockBridge } from '../../shared/bridge';
import { createIpcTransport } from './ipc-transport';
import type { Transport } from './transport';
import { createWebTransport } from './web-transport';

export function pickTransport(): Transport {
  const bridge = (window as unknown as Record<string, CrossdockBridge | undefined>)[BRIDGE_GLOBAL];
  return bridge ? createIpcTransport(bridge) : createWebTransport();
}
