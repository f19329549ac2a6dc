// A test-side ustar reader that checks every header's checksum, to prove the writer's output
// independently of the writer's own code.

export interface ReadEntry {
  name: string;
  type: string;
  mode: number;
  linkname: string;
  content: Buffer;
}

export function readTar(archive: Buffer): ReadEntry[] {
  const entries: ReadEntry[] = [];
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number): string => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const stored = parseInt(field(148, 8).trim(), 8);
    let sum = 0;
    for (let index = 0; index < 512; index += 1) sum += index >= 148 && index < 156 ? 0x20 : header[index]!;
    if (sum !== stored) throw new Error(`bad checksum at ${offset}`);
    if (field(257, 6) !== 'ustar') throw new Error('not ustar');
    const size = parseInt(field(124, 12), 8);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const content = archive.subarray(offset + 512, offset + 512 + size);
    entries.push({ name, type: field(156, 1), mode: parseInt(field(100, 8), 8), linkname: field(157, 100), content: Buffer.from(content) });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}
