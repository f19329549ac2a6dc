// A stand-in for the `electron` module in the preload test (vi.mock('electron', ...)): it records
// what the preload exposes and what it sends, with nothing of Electron behind it.
type Listener = (event: unknown, ...args: unknown[]) => void;

export const exposed = new Map<string, unknown>();
export const invocations: Array<{ channel: string; args: unknown[] }> = [];
export const sent: Array<{ channel: string; args: unknown[] }> = [];
export const listeners = new Map<string, Set<Listener>>();

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    exposed.set(key, api);
  },
};

export const ipcRenderer = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    invocations.push({ channel, args });
    return Promise.resolve({ ok: true, result: { echoed: args } });
  },
  send(channel: string, ...args: unknown[]): void {
    sent.push({ channel, args });
  },
  on(channel: string, listener: Listener) {
    if (!listeners.has(channel)) listeners.set(channel, new Set());
    listeners.get(channel)!.add(listener);
    return ipcRenderer;
  },
  removeListener(channel: string, listener: Listener) {
    listeners.get(channel)?.delete(listener);
    return ipcRenderer;
  },
};

/** What the main process would push to the window. */
export function emitFromMain(channel: string, ...args: unknown[]): void {
  for (const listener of listeners.get(channel) ?? []) listener({ sender: 'fake-event' }, ...args);
}
