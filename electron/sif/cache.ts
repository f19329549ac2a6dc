// SIF files unpacked once for engines that run folders (Charliecloud's ch-run), under
// $XDG_CACHE_HOME/crossdock/sif/<key> (CROSSDOCK_CACHE_DIR overrides the crossdock folder). The key
// is the SIF's id from its header followed by a fingerprint of the header, the partition's place
// and its first and last 64 KiB: Apptainer's reproducible builds all share the nil id, and a SIF
// changed in place (siftool add, a new signature) keeps its id, so the id alone could name two
// different images.
//
// Safe against two runs unpacking at once and against a killed Crossdock: an entry is unpacked by
// unpackSif into a temporary folder beside it and renamed into place only once whole, so a folder
// named <key> is always complete, and a half-made one never bears that name. Within this process,
// runs of one SIF share one unpacking; across processes, the first rename wins and the other's
// copy is thrown away. Temporary folders a killed Crossdock left are removed by clear(), and by
// the next unpacking once a day old. Entries in use by a running job are kept by clear().
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ApiError } from '../../shared/errors';
import { openablePartition, unpackSif } from './unpack';
import { treeBytes } from './tree-size';

const PROBE_BYTES = 64 * 1024;
const STALE_MS = 24 * 3600 * 1000;
const KEY = /^[0-9a-f-]{36}-[0-9a-f]{16}$/;

export interface SifCacheUsage {
  path: string;
  entries: number;
  bytes: number;
}

export interface SifCacheCleared {
  removed: number;
  freedBytes: number;
  /** Entries a running job still uses, left in place. */
  kept: number;
}

export interface SifLease {
  /** The unpacked root file system. */
  rootfs: string;
  /** Ends this job's use of the entry; clear() may then remove it. */
  release(): void;
}

export function sifCacheDir(env: NodeJS.ProcessEnv): string {
  const override = env.CROSSDOCK_CACHE_DIR;
  if (override && isAbsolute(override)) return join(override, 'sif');
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
  const cacheHome = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(cacheHome, 'crossdock', 'sif');
}

export class SifCache {
  private readonly unpacking = new Map<string, Promise<string>>();
  private readonly inUse = new Map<string, number>();

  constructor(readonly dir: string) {}

  /** The entry's name for a SIF file: its id and a fingerprint. Refuses what cannot be unpacked. */
  async keyOf(sifPath: string): Promise<string> {
    const { sif, partition } = await openablePartition(sifPath, []);
    const hash = createHash('sha256');
    const handle = await open(sifPath, 'r');
    try {
      const header = Buffer.alloc(128);
      await handle.read(header, 0, header.length, 0);
      hash.update(header);
      hash.update(`${partition.offset}:${partition.size}\n`);
      const head = Buffer.alloc(Math.min(PROBE_BYTES, partition.size));
      await handle.read(head, 0, head.length, partition.offset);
      hash.update(head);
      const tail = Buffer.alloc(Math.min(PROBE_BYTES, partition.size));
      await handle.read(tail, 0, tail.length, partition.offset + partition.size - tail.length);
      hash.update(tail);
    } finally {
      await handle.close();
    }
    return `${sif.uuid}-${hash.digest('hex').slice(0, 16)}`;
  }

  /** Where a SIF file's entry is (or will be), without unpacking it. */
  async entryOf(sifPath: string): Promise<string> {
    return join(this.dir, await this.keyOf(sifPath));
  }

  /** The SIF unpacked (now, or by an earlier run), held until released. */
  async lease(sifPath: string, signal: AbortSignal): Promise<SifLease> {
    const key = await this.keyOf(sifPath);
    this.inUse.set(key, (this.inUse.get(key) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const count = (this.inUse.get(key) ?? 1) - 1;
      if (count <= 0) this.inUse.delete(key);
      else this.inUse.set(key, count);
    };
    try {
      const rootfs = await this.ensure(key, sifPath, signal);
      return { rootfs, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  private async ensure(key: string, sifPath: string, signal: AbortSignal): Promise<string> {
    const entry = join(this.dir, key);
    if (await isFolder(entry)) return entry;
    let pending = this.unpacking.get(key);
    if (!pending) {
      pending = this.unpack(entry, sifPath).finally(() => this.unpacking.delete(key));
      this.unpacking.set(key, pending);
    }
    // One run's cancellation does not cancel the unpacking other runs wait for.
    return await abortable(pending, signal);
  }

  private async unpack(entry: string, sifPath: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.removeTemporaries(STALE_MS);
    try {
      await unpackSif({ sifPath, destDir: entry, signal: new AbortController().signal, keepMetadata: true });
    } catch (error) {
      // Another Crossdock made the same entry meanwhile: theirs is whole (it was renamed into place).
      if (await isFolder(entry)) return entry;
      throw error;
    }
    return entry;
  }

  async usage(): Promise<SifCacheUsage> {
    let entries = 0;
    let bytes = 0;
    for (const name of await this.names()) {
      if (!KEY.test(name)) continue;
      entries += 1;
      bytes += await treeBytes(join(this.dir, name));
    }
    return { path: this.dir, entries, bytes };
  }

  /** Removes every entry no running job uses, and every leftover temporary folder of a dead process. */
  async clear(): Promise<SifCacheCleared> {
    let removed = 0;
    let freedBytes = 0;
    let kept = 0;
    for (const name of await this.names()) {
      if (!KEY.test(name)) continue;
      if (this.inUse.has(name) || this.unpacking.has(name)) {
        kept += 1;
        continue;
      }
      const path = join(this.dir, name);
      freedBytes += await treeBytes(path);
      await rm(path, { recursive: true, force: true });
      removed += 1;
    }
    await this.removeTemporaries(0);
    return { removed, freedBytes, kept };
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return [];
      throw new ApiError('internal', `The SIF cache ${this.dir} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * unpackSif's temporary folders (".<key>.crossdock-XXXXXX") older than `minAgeMs`, unless this
   * process is unpacking that key right now. The age spares another live Crossdock's unpacking
   * when this one merely starts its own.
   */
  private async removeTemporaries(minAgeMs: number): Promise<void> {
    for (const name of await this.names()) {
      const match = /^\.(.+)\.crossdock-[A-Za-z0-9]{6}$/.exec(name);
      if (!match || this.unpacking.has(match[1]!)) continue;
      const info = await stat(join(this.dir, name)).catch(() => null);
      if (!info || Date.now() - info.mtimeMs < minAgeMs) continue;
      await rm(join(this.dir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

const shared = new Map<string, SifCache>();

/** One cache per folder in this process, so that the runs and the settings' "clear" see the same leases. */
export function sharedSifCache(env: NodeJS.ProcessEnv): SifCache {
  const dir = sifCacheDir(env);
  let cache = shared.get(dir);
  if (!cache) {
    cache = new SifCache(dir);
    shared.set(dir, cache);
  }
  return cache;
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ApiError('cancelled', 'The run was cancelled while its SIF file was being unpacked.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
