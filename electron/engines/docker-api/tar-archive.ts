// A minimal ustar writer: enough to hand an engine a root file system made in memory (the probe
// image, test images) without a tar binary, a temporary folder or a dependency. Entries are
// written in the order given, with fixed owners and times so the same input gives the same bytes.

export type TarEntry =
  | { type: 'file'; path: string; content: Uint8Array; mode?: number }
  | { type: 'directory'; path: string; mode?: number }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;
/** 2020-01-01T00:00:00Z: a fixed time keeps archives byte-for-byte reproducible. */
const FIXED_MTIME = 1_577_836_800;

export function buildTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.type === 'file' ? Buffer.from(entry.content) : Buffer.alloc(0);
    parts.push(header(entry, content.length));
    if (content.length > 0) {
      parts.push(content);
      const padding = (BLOCK - (content.length % BLOCK)) % BLOCK;
      if (padding > 0) parts.push(Buffer.alloc(padding));
    }
  }
  // Two empty blocks end an archive.
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const name = entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const { prefix, base } = splitName(name);
  const mode = entry.type === 'symlink' ? 0o777 : (entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644));
  const typeflag = entry.type === 'file' ? '0' : entry.type === 'directory' ? '5' : '2';

  writeString(block, 0, 100, base);
  writeOctal(block, 100, 8, mode);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, FIXED_MTIME);
  block.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  writeString(block, 156, 1, typeflag);
  if (entry.type === 'symlink') writeString(block, 157, 100, entry.target);
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 265, 32, 'root');
  writeString(block, 297, 32, 'root');
  writeString(block, 345, 155, prefix);

  let checksum = 0;
  for (const byte of block) checksum += byte;
  // Six octal digits, a NUL and a space: the form every tar reader accepts.
  writeString(block, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** ustar keeps names over 100 bytes as prefix + "/" + name; longer paths are a caller's bug. */
function splitName(path: string): { prefix: string; base: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', base: path };
  const cut = path.lastIndexOf('/', path.length - 2);
  const prefix = path.slice(0, cut);
  const base = path.slice(cut + 1);
  if (cut <= 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(base) > 100) {
    throw new Error(`tar entry name too long for ustar: ${path}`);
  }
  return { prefix, base };
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar header field too long: ${value}`);
  bytes.copy(block, offset);
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  // length - 1 octal digits followed by a NUL.
  writeString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}
