// Fans the host's change notifications out to every window that watches them. Each watcher gets
// its own queue; notifications are idempotent ("engine X's images changed", "engine X's status is
// now S"), so a queue keeps only the newest notification per key and stays bounded however slow
// its window is, without losing anything the window needs to know.
import { changeKey as keyOf, type ChangeEvent } from '../../shared/changes';

type Listener = (event: ChangeEvent) => void;

export class ChangeFeed {
  private readonly listeners = new Set<Listener>();

  publish(event: ChangeEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  get watcherCount(): number {
    return this.listeners.size;
  }

  /**
   * An async iterable of events from now on, ending when `signal` aborts. `snapshot`, taken just
   * after the watcher is registered, comes first: a window that subscribes late (a slow page load
   * under load) still learns what it missed, and a newer event of the same key replaces it.
   */
  watch(signal: AbortSignal, snapshot: () => ChangeEvent[] = () => []): AsyncIterable<ChangeEvent> {
    const pending = new Map<string, ChangeEvent>();
    let wake: ((result: IteratorResult<ChangeEvent>) => void) | null = null;
    const done = (): IteratorResult<ChangeEvent> => ({ done: true, value: undefined });

    const listener: Listener = (event) => {
      if (wake) {
        const resolve = wake;
        wake = null;
        resolve({ done: false, value: event });
        return;
      }
      // Re-insert so the map's order stays "oldest first" and the newest value wins.
      const key = keyOf(event);
      pending.delete(key);
      pending.set(key, event);
    };
    const close = () => {
      this.listeners.delete(listener);
      pending.clear();
      if (wake) {
        const resolve = wake;
        wake = null;
        resolve(done());
      }
    };
    this.listeners.add(listener);
    for (const event of snapshot()) if (!pending.has(keyOf(event))) pending.set(keyOf(event), event);
    signal.addEventListener('abort', close, { once: true });

    const iterator: AsyncIterator<ChangeEvent> = {
      next: () => {
        if (signal.aborted) return Promise.resolve(done());
        const first = pending.entries().next();
        if (!first.done) {
          const [key, event] = first.value;
          pending.delete(key);
          return Promise.resolve({ done: false, value: event });
        }
        return new Promise((resolve) => (wake = resolve));
      },
      return: () => {
        close();
        return Promise.resolve(done());
      },
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }
}
