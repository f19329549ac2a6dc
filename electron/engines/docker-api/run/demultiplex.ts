// Docker's multiplexed stream (attach and logs of a container without a terminal): frames of an
// 8-byte header (stream type, three zero bytes, payload length as uint32 big-endian) and the
// payload. Parsed here rather than with modem.demuxStream, which reads its source in flowing
// mode and so ignores back-pressure: this generator reads the next piece only when its consumer
// asks for the next chunk, and the socket stays unread (the container's writes block) meanwhile.
import type { OutputChunk } from '../../../jobs/runner';

const HEADER_BYTES = 8;

/** Type 1 is stdout, 2 stderr; 0 (stdin echoed back) and 3 (the engine's own errors) are shown with them. */
function streamOf(type: number): 'stdout' | 'stderr' {
  return type === 2 || type === 3 ? 'stderr' : 'stdout';
}

export async function* demultiplex(source: AsyncIterable<Buffer>): AsyncGenerator<OutputChunk, void, undefined> {
  // A header split across pieces is collected here; payloads are passed on as they arrive, so a
  // large frame is never held whole.
  let header: Buffer = Buffer.alloc(0);
  let stream: 'stdout' | 'stderr' = 'stdout';
  let remaining = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      if (remaining === 0) {
        const wanted = HEADER_BYTES - header.length;
        const taken = piece.subarray(offset, offset + wanted);
        header = header.length === 0 ? taken : Buffer.concat([header, taken]);
        offset += taken.length;
        if (header.length < HEADER_BYTES) break;
        stream = streamOf(header[0] ?? 1);
        remaining = header.readUInt32BE(4);
        header = Buffer.alloc(0);
        continue;
      }
      const end = Math.min(piece.length, offset + remaining);
      const data = piece.subarray(offset, end);
      remaining -= data.length;
      offset = end;
      yield { stream, data };
    }
  }
}
