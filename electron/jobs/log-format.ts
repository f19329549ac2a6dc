// The on-disk format of a job's output: a sequence of frames, each an 8-byte header (the stream
// kind, three zero bytes, the payload length as uint32 big-endian) followed by the payload. It is
// the layout of Docker's multiplexed attach stream, chosen because it keeps stdout and stderr
// apart in arrival order, can be appended to while it is read, and is read forward without an
// index. Payloads are raw bytes: text is decoded only when it is shown.
import type { OutputStreamKind } from '../../shared/jobs';

export const FRAME_HEADER_BYTES = 8;
/** Larger pieces are cut so a reader never holds more than this of one frame. */
export const MAX_FRAME_PAYLOAD = 256 * 1024;

const KIND_CODES: Record<OutputStreamKind, number> = { stdout: 1, stderr: 2, tty: 3, notice: 4 };
const KIND_BY_CODE = new Map<number, OutputStreamKind>(
  Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as OutputStreamKind]),
);

export function frameHeader(kind: OutputStreamKind, length: number): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header[0] = KIND_CODES[kind];
  header.writeUInt32BE(length, 4);
  return header;
}

export interface FrameHeader {
  kind: OutputStreamKind;
  length: number;
}

/** Reads a header; null when the bytes are not one (a log cut by a crash mid-header, or damage). */
export function parseFrameHeader(bytes: Buffer, at = 0): FrameHeader | null {
  if (bytes.length - at < FRAME_HEADER_BYTES) return null;
  const kind = KIND_BY_CODE.get(bytes[at] ?? 0);
  if (!kind || bytes[at + 1] !== 0 || bytes[at + 2] !== 0 || bytes[at + 3] !== 0) return null;
  const length = bytes.readUInt32BE(at + 4);
  if (length > MAX_FRAME_PAYLOAD) return null;
  return { kind, length };
}
