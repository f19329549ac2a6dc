// Applies one image layer (a tar stream) onto a root folder, the way a container engine stacks
// layers: OCI whiteouts (".wh.NAME" removes NAME from the layers below, ".wh..wh..opq" empties its
// folder of what the layers below put there), hard links, symbolic links and modes kept. Nothing
// ever lands outside the root: names with "..", absolute names, and names that would pass through
// a symbolic link (a hostile layer replaces a folder by a link to /etc, then writes under it) are
// refused with the name. Devices and FIFOs cannot be made without privileges and are skipped
// (counted in the notes). Back-pressured: the next entry is read once the current one is written.
import { createWriteStream } from 'node:fs';
import { chmod, lchown, link, lstat, mkdir, readdir, rm, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { asTarSource, type TarHeader, type TarSource } from './tar-types';
import { ApiError } from '../../shared/errors';
import { withPath } from './target-errors';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

export interface ApplyStats {
  files: number;
  skippedDevices: number;
}

/** "./usr/bin/x" → "usr/bin/x"; "" for the root itself. Throws for names that leave the root. */
export function safeRelativeName(name: string): string {
  if (name.includes('\0')) throw hostile(name, 'it holds a NUL byte');
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw hostile(name, 'it climbs out with ".."');
    parts.push(part);
  }
  if (name.startsWith('/')) throw hostile(name, 'it is absolute');
  return parts.join('/');
}

function hostile(name: string, why: string): ApiError {
  const shown = JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
  return new ApiError('invalid-request', `The image holds a path Crossdock refuses to write, ${shown}: ${why}.`);
}

export class LayerApplier {
  /** Folders known to be real folders inside the root (no link on the way). */
  private readonly safeFolders = new Set<string>(['']);
  /** Folder modes are set once every layer is in, or a read-only folder would refuse its files. */
  private readonly folderModes = new Map<string, number>();
  private readonly asRoot = process.getuid?.() === 0;
  readonly stats: ApplyStats = { files: 0, skippedDevices: 0 };

  constructor(readonly root: string) {}

  /** Applies one layer; `onBytes` hears every chunk of file content written. */
  async apply(layer: Readable, signal: AbortSignal, onBytes: (count: number) => void = () => undefined): Promise<void> {
    const extract = tar.extract();
    const writtenHere = new Set<string>();
    const feeding = pipeline(layer, extract, { signal });
    // On a cancel this rejects at once, while the entry being written still winds down: marked
    // handled now (it is still awaited below) so the rejection is never reported as unhandled.
    feeding.catch(() => undefined);
    try {
      for await (const entry of extract) {
        signal.throwIfAborted();
        await this.entry(asTarSource(entry), writtenHere, onBytes, signal);
      }
      await feeding;
    } catch (error) {
      layer.destroy();
      extract.destroy();
      await feeding.catch(() => undefined);
      throw error;
    }
  }

  /** Sets the folders' own modes (last, deepest first). */
  async finish(): Promise<void> {
    const folders = [...this.folderModes.entries()].sort((a, b) => b[0].length - a[0].length);
    for (const [path, mode] of folders) await chmod(join(this.root, path), mode);
  }

  private async entry(entry: TarSource, writtenHere: Set<string>, onBytes: (count: number) => void, signal: AbortSignal): Promise<void> {
    const header = entry.header;
    const name = safeRelativeName(header.name);
    const base = name.slice(name.lastIndexOf('/') + 1);
    const parent = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
    if (base === OPAQUE) {
      entry.resume();
      await this.ensureFolder(parent);
      await this.emptyFolder(parent, writtenHere);
      return;
    }
    if (base.startsWith(WHITEOUT)) {
      entry.resume();
      const hidden = safeRelativeName(`${parent}/${base.slice(WHITEOUT.length)}`);
      if (hidden === '' || base === WHITEOUT) throw hostile(header.name, 'a whiteout must name something');
      await this.ensureFolder(parent);
      await this.remove(hidden);
      return;
    }
    if (name === '') {
      entry.resume();
      return;
    }
    await this.ensureFolder(parent);
    writtenHere.add(name);
    const path = join(this.root, name);
    const mode = (header.mode ?? 0o644) & 0o7777;
    switch (header.type) {
      case 'directory': {
        entry.resume();
        const existing = await lstatOrNull(path);
        if (existing && !existing.isDirectory()) await rm(path, { recursive: true, force: true });
        if (!existing || !existing.isDirectory()) await mkdir(path, { mode: 0o700 });
        await chmod(path, mode | 0o700);
        this.safeFolders.add(name);
        this.folderModes.set(name, mode);
        await this.own(path, header);
        return;
      }
      case 'file':
      case 'contiguous-file':
      case null:
      case undefined: {
        await this.replace(name);
        const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
        entry.on('data', (chunk: Buffer) => onBytes(chunk.length));
        // A full disk fails the write with no path in the error: the file is named for the message.
        await pipeline(entry, out, { signal }).catch((error: unknown) => {
          throw withPath(error, path);
        });
        await chmod(path, mode);
        await this.own(path, header);
        if (header.mtime) await utimes(path, header.mtime, header.mtime);
        this.stats.files += 1;
        return;
      }
      case 'symlink': {
        entry.resume();
        await this.replace(name);
        // The link's target is kept as written: it is only followed inside the container.
        await symlink(header.linkname ?? '', path);
        if (this.asRoot) await lchown(path, header.uid ?? 0, header.gid ?? 0).catch(() => undefined);
        return;
      }
      case 'link': {
        entry.resume();
        const target = safeRelativeName(header.linkname ?? '');
        if (target === '') throw hostile(header.linkname ?? '', 'a hard link must name a file');
        const targetParent = target.includes('/') ? target.slice(0, target.lastIndexOf('/')) : '';
        await this.ensureFolder(targetParent, false);
        const found = await lstatOrNull(join(this.root, target));
        if (!found || found.isDirectory()) throw hostile(header.linkname ?? '', `the hard link ${name} points at no file`);
        await this.replace(name);
        await link(join(this.root, target), path);
        return;
      }
      case 'character-device':
      case 'block-device':
      case 'fifo':
        entry.resume();
        this.stats.skippedDevices += 1;
        return;
      default:
        entry.resume();
        return;
    }
  }

  /** Makes sure every folder of `folder` is a real folder inside the root, creating missing ones. */
  private async ensureFolder(folder: string, create = true): Promise<void> {
    if (this.safeFolders.has(folder)) return;
    let current = '';
    for (const part of folder.split('/')) {
      current = current ? `${current}/${part}` : part;
      if (this.safeFolders.has(current)) continue;
      const path = join(this.root, current);
      const stats = await lstatOrNull(path);
      if (stats?.isSymbolicLink()) throw hostile(folder, `${current} is a symbolic link, and writing through it could leave the image`);
      if (stats && !stats.isDirectory()) {
        if (!create) throw hostile(folder, `${current} is not a folder`);
        await rm(path, { force: true });
      }
      if (!stats || !stats.isDirectory()) {
        if (!create) throw hostile(folder, `${current} does not exist`);
        await mkdir(path, { mode: 0o755 });
      }
      this.safeFolders.add(current);
    }
  }

  /** Whatever is at `name` goes (a file replaced by a folder, a link by a file). */
  private async replace(name: string): Promise<void> {
    const path = join(this.root, name);
    const existing = await lstatOrNull(path);
    if (!existing) return;
    if (existing.isDirectory()) await this.remove(name);
    else await rm(path, { force: true });
  }

  private async remove(name: string): Promise<void> {
    await rm(join(this.root, name), { recursive: true, force: true });
    this.forgetBelow(name);
  }

  private async emptyFolder(folder: string, writtenHere: Set<string>): Promise<void> {
    const path = join(this.root, folder);
    for (const child of await readdir(path)) {
      const name = folder ? `${folder}/${child}` : child;
      // The opaque marker hides the layers below, not what this layer put there already.
      if (!writtenHere.has(name)) await this.remove(name);
    }
  }

  private forgetBelow(name: string): void {
    for (const known of [...this.safeFolders]) if (known === name || known.startsWith(`${name}/`)) this.safeFolders.delete(known);
    for (const known of [...this.folderModes.keys()]) if (known === name || known.startsWith(`${name}/`)) this.folderModes.delete(known);
  }

  private async own(path: string, header: TarHeader): Promise<void> {
    if (this.asRoot) await lchown(path, header.uid ?? 0, header.gid ?? 0).catch(() => undefined);
  }
}

async function lstatOrNull(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

