// Files Crossdock must never leave half-written (job and comparison records, the settings): the
// whole content goes to a temporary file that is then renamed over the old one, so a crash leaves
// the previous version. Saves of one record go through a queue so the newest content lands last.
import { rename, writeFile } from 'node:fs/promises';

/** Writes `value` as pretty JSON to `path` through a temporary file beside it (owner-only). */
export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  // The pid keeps two Crossdock processes on one data folder from sharing a temporary file.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/** One write at a time per key, in the order asked; a failed write does not block the next. */
export class WriteQueue {
  private readonly pending = new Map<string, Promise<void>>();

  run(key: string, write: () => Promise<void>): Promise<void> {
    const next = (this.pending.get(key) ?? Promise.resolve()).catch(() => undefined).then(write);
    this.pending.set(key, next);
    void next
      .finally(() => {
        if (this.pending.get(key) === next) this.pending.delete(key);
      })
      .catch(() => undefined);
    return next;
  }

  /** Resolves once the key's queued writes landed (or failed). */
  async settled(key: string): Promise<void> {
    await this.pending.get(key)?.catch(() => undefined);
  }

  /** Resolves once every queued write landed (or failed): quitting. */
  async settledAll(): Promise<void> {
    await Promise.all([...this.pending.values()].map((write) => write.catch(() => undefined)));
  }
}
