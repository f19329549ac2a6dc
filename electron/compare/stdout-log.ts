// A job's stdout, read back from its saved output (jobs/<id>/output.log, the framed format of
// jobs/log-format.ts): what a comparison digests to tell whether engines printed the same thing,
// and what the diff view shows. "tty" frames count as stdout: a job that ran in a terminal (a
// udocker runc mode needs one) has only that merged stream. stderr and Crossdock's own notices
// do not count: engines differ in their warnings, and the question is what the program printed.
// A terminal turns each "\n" the program wrote into "\r\n" (the pty's ONLCR): comparisons never
// ask for a terminal, so tty frames come from an engine that forced one, and their CRLF is read back
// as the LF the program wrote; otherwise udocker's R modes could never match the other engines.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FRAME_HEADER_BYTES, parseFrameHeader } from '../jobs/log-format';

const BLOCK_BYTES = 1024 * 1024;

/**
 * The payloads of the log's stdout and tty frames, in order. Reads in blocks (a frame is at most
 * 256 KB, so little is held at once) and stops at damage: a log cut by a crash mid-frame ends there.
 */
export async function* stdoutPayloads(path: string): AsyncGenerator<Buffer, void, undefined> {
  let pending: Buffer = Buffer.alloc(0);
  const crlf = new CrlfUndo();
  for await (const block of createReadStream(path, { highWaterMark: BLOCK_BYTES })) {
    pending = pending.length === 0 ? (block as Buffer) : Buffer.concat([pending, block as Buffer]);
    let at = 0;
    for (;;) {
      const header = parseFrameHeader(pending, at);
      if (!header) {
        if (pending.length - at >= FRAME_HEADER_BYTES) return; // not a frame: damaged
        break;
      }
      const end = at + FRAME_HEADER_BYTES + header.length;
      if (end > pending.length) break;
      const payload = pending.subarray(at + FRAME_HEADER_BYTES, end);
      if (header.kind === 'stdout') {
        // A "\r" a terminal frame held back belongs before this frame.
        const held = crlf.end();
        if (held.length > 0) yield held;
        yield payload;
      }
      if (header.kind === 'tty') {
        const undone = crlf.undo(payload);
        if (undone.length > 0) yield undone;
      }
      at = end;
    }
    pending = pending.subarray(at);
  }
  const rest = crlf.end();
  if (rest.length > 0) yield rest;
}

/** "\r\n" -> "\n" across frame boundaries: a "\r" ending one frame waits for the next one's start. */
export class CrlfUndo {
  private heldCr = false;

  undo(payload: Buffer): Buffer {
    // latin1 maps bytes to characters one to one, so the replacement cannot touch other bytes.
    let text = (this.heldCr ? '\r' : '') + payload.toString('latin1');
    this.heldCr = text.endsWith('\r');
    if (this.heldCr) text = text.slice(0, -1);
    return Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1');
  }

  end(): Buffer {
    const rest = this.heldCr ? Buffer.from('\r') : Buffer.alloc(0);
    this.heldCr = false;
    return rest;
  }
}

export async function digestStdout(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const payload of stdoutPayloads(path)) {
    hash.update(payload);
    bytes += payload.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The first `max` bytes of stdout as text; `truncated` when there was more. */
export async function readStdoutStart(path: string, max: number): Promise<{ text: string; truncated: boolean }> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let taken = 0;
  for await (const payload of stdoutPayloads(path)) {
    const room = max - taken;
    if (payload.length > room) {
      // A character cut at the limit is left out rather than shown as a replacement mark.
      text += decoder.write(payload.subarray(0, room));
      return { text, truncated: true };
    }
    text += decoder.write(payload);
    taken += payload.length;
  }
  return { text: text + decoder.end(), truncated: false };
}
