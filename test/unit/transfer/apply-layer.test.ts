// The layer applier on hand-made tars: whiteouts, opaque folders, links, and hostile names refused
// with nothing written outside the root.
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LayerApplier } from '../../../electron/transfer/apply-layer';
import { treeDigest } from '../../../electron/transfer/tree-digest';

type Entry = { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; content?: string; linkname?: string; mode?: number };

async function layer(entries: Entry[]): Promise<Readable> {
  const pack = tar.pack();
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: entry.name, type: entry.type ?? 'file', linkname: entry.linkname, mode: entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644) }, entry.content ?? '', (error) => (error ? reject(error) : resolve())),
    );
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Readable.from([Buffer.concat(chunks)]);
}

describe('LayerApplier', () => {
  let base: string;
  let root: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'crossdock-layer-'));
    root = join(base, 'root');
    await import('node:fs/promises').then((fs) => fs.mkdir(root));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('stacks layers with whiteouts, opaque folders, symlinks and hard links', async () => {
    const applier = new LayerApplier(root);
    const signal = AbortSignal.timeout(10_000);
    await applier.apply(await layer([
      { name: 'etc/', type: 'directory' }, { name: 'etc/a', content: 'a' }, { name: 'etc/b', content: 'b' },
      { name: 'opt/', type: 'directory' }, { name: 'opt/old', content: 'old' }, { name: 'bin/', type: 'directory' }, { name: 'bin/tool', content: 'x', mode: 0o755 },
    ]), signal);
    await applier.apply(await layer([
      { name: 'etc/.wh.a' }, { name: 'opt/.wh..wh..opq' }, { name: 'opt/new', content: 'new' },
      { name: 'bin/sh', type: 'symlink', linkname: 'tool' }, { name: 'bin/hard', type: 'link', linkname: 'bin/tool' },
    ]), signal);
    await applier.finish();
    expect((await readdir(join(root, 'etc'))).sort()).toEqual(['b']);
    expect(await readdir(join(root, 'opt'))).toEqual(['new']);
    expect(await readlink(join(root, 'bin/sh'))).toBe('tool');
    expect(await readFile(join(root, 'bin/hard'), 'utf8')).toBe('x');
    const lines: string[] = [];
    await treeDigest(root, { onLine: (line) => lines.push(line) });
    expect(lines.some((line) => line.startsWith('f "bin/tool" 0755'))).toBe(true);
  });

  it.each([
    [[{ name: '../escape', content: 'x' }], /climbs out/],
    [[{ name: '/etc/passwd', content: 'x' }], /absolute/],
    [[{ name: 'evil', type: 'symlink', linkname: '/tmp' }, { name: 'evil/owned', content: 'x' }], /symbolic link/],
    [[{ name: 'h', type: 'link', linkname: '../../etc/passwd' }], /climbs out/],
  ] as [Entry[], RegExp][])('refuses a hostile layer (%#) and writes nothing outside', async (entries, message) => {
    const applier = new LayerApplier(root);
    await expect(applier.apply(await layer(entries), AbortSignal.timeout(10_000))).rejects.toThrow(message);
    expect((await readdir(base)).sort()).toEqual(['root']);
  });
});
