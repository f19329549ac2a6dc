// "Save output": a job's log as the plain bytes the program wrote, stdout and stderr in arrival
// order, without Crossdock's framing. Read block by block, so a 1 GB log streams in bounded memory.
import { open } from 'node:fs/promises';
import { FRAME_HEADER_BYTES, parseFrameHeader } from './log-format';

const BLOCK_BYTES = 1024 * 1024;

export async function* exportOutput(path: string, options: { includeNotices?: boolean } = {}): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return;
  try {
    let pos = 0;
    for (;;) {
      const block = Buffer.alloc(BLOCK_BYTES);
      const { bytesRead } = await handle.read(block, 0, BLOCK_BYTES, pos);
      if (bytesRead === 0) return;
      let at = 0;
      const pieces: Buffer[] = [];
      while (at < bytesRead) {
        const header = parseFrameHeader(block.subarray(0, bytesRead), at);
        if (!header) {
          if (bytesRead - at >= FRAME_HEADER_BYTES) return; // damaged: what came before is all there is
          break;
        }
        const end = at + FRAME_HEADER_BYTES + header.length;
        if (end > bytesRead) break;
        if (header.kind !== 'notice' || options.includeNotices) pieces.push(block.subarray(at + FRAME_HEADER_BYTES, end));
        at = end;
      }
      if (at === 0) return; // a frame cut by a crash at the very end
      if (pieces.length > 0) yield Buffer.concat(pieces);
      pos += at;
    }
  } finally {
    await handle.close();
  }
}
