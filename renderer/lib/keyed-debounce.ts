// Bursts of "this engine's images changed" (a pull touches many layers) become one re-list per
// engine. Timers exist only while a burst is under way, so an idle window never wakes up.
export function createKeyedDebounce(
  delayMs: number,
  run: (key: string) => void,
  timers: { set(callback: () => void, ms: number): unknown; clear(handle: unknown): void } = {
    set: (callback, ms) => setTimeout(callback, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
) {
  const pending = new Map<string, unknown>();
  return {
    trigger(key: string): void {
      const previous = pending.get(key);
      if (previous !== undefined) timers.clear(previous);
      pending.set(
        key,
        timers.set(() => {
          pending.delete(key);
          run(key);
        }, delayMs),
      );
    },
    cancelAll(): void {
      for (const handle of pending.values()) timers.clear(handle);
      pending.clear();
    },
  };
}
