// One digest for a root file system: every path under the root (sorted, byte order), its type,
// its permission bits, a link's target and a file's sha256. Owners and times are left out: they
// differ between engines that keep the same files (rootless storage maps owners; copies get new
// times). Two trees with the same digest hold the same files with the same modes and links; a
// hard link counts as the file it shares. `exclude` names top-level entries an engine adds of its
// own (Charliecloud's ch/ metadata folder), which are not part of the image's files.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface TreeDigest {
  /** "sha256:<hex>" */
  digest: string;
  entries: number;
  bytes: number;
}

export interface TreeDigestOptions {
  exclude?: string[];
  signal?: AbortSignal;
  /** One line per entry, for a test that must show where two trees differ. */
  onLine?: (line: string) => void;
}

export async function treeDigest(root: string, options: TreeDigestOptions = {}): Promise<TreeDigest> {
  const exclude = new Set(options.exclude ?? []);
  const hash = createHash('sha256');
  let entries = 0;
  let bytes = 0;
  const visit = async (relative: string): Promise<void> => {
    const names = (await readdir(join(root, relative))).sort(byBytes);
    for (const name of names) {
      options.signal?.throwIfAborted();
      const path = relative ? `${relative}/${name}` : name;
      if (!relative && exclude.has(name)) continue;
      const full = join(root, path);
      const stats = await lstat(full);
      const mode = (stats.mode & 0o7777).toString(8).padStart(4, '0');
      let line: string;
      if (stats.isSymbolicLink()) line = `l ${JSON.stringify(path)} -> ${JSON.stringify(await readlink(full))}`;
      else if (stats.isDirectory()) line = `d ${JSON.stringify(path)} ${mode}`;
      else if (stats.isFile()) {
        line = `f ${JSON.stringify(path)} ${mode} ${stats.size} ${await fileSha256(full)}`;
        bytes += stats.size;
      } else line = `o ${JSON.stringify(path)}`;
      hash.update(`${line}\n`);
      options.onLine?.(line);
      entries += 1;
      if (stats.isDirectory()) await visit(path);
    }
  };
  await visit('');
  return { digest: `sha256:${hash.digest('hex')}`, entries, bytes };
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
