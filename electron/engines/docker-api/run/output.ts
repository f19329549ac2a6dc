// A job's output as the contract wants it: pulled, never pushed (a consumer that stops pulling
// stops the reading of the socket, and TCP or unix-socket flow control then blocks the
// container's writes), and never throwing (a broken connection ends the iteration; the job's
// exit says what happened).
import type { OutputChunk } from '../../../jobs/runner';
import { demultiplex } from './demultiplex';

/** What dockerode hands back for attach, logs and exec streams: a socket or an HTTP response. */
export type ByteStream = NodeJS.ReadableStream;

/**
 * The stream's pieces as Buffers. Async iteration of a Node stream reads in paused mode: a piece
 * is read only when the previous one was taken, and the socket's reading stops once its buffer
 * is full.
 */
async function* piecesOf(stream: ByteStream): AsyncGenerator<Buffer, void, undefined> {
  for await (const piece of stream) yield typeof piece === 'string' ? Buffer.from(piece) : piece;
}

/** A terminal's stream is raw bytes; without a terminal it is Docker's multiplexed format. */
export function chunksOf(stream: ByteStream, tty: boolean): AsyncGenerator<OutputChunk, void, undefined> {
  return tty ? ttyChunks(stream) : demultiplex(piecesOf(stream));
}

async function* ttyChunks(stream: ByteStream): AsyncGenerator<OutputChunk, void, undefined> {
  for await (const data of piecesOf(stream)) yield { stream: 'tty', data };
}

/**
 * Ends quietly where the source throws, and says how it ended: `onEnd(null)` when the stream
 * ended, `onEnd(error)` when the connection broke. Leaving the loop early (the consumer's
 * `break`) closes the source, and with it the socket.
 */
export async function* guarded<T>(source: AsyncIterable<T>, onEnd: (error: unknown) => void): AsyncGenerator<T, void, undefined> {
  try {
    for await (const item of source) yield item;
    onEnd(null);
  } catch (error) {
    onEnd(error);
  }
}
