// Holding the sockets of a job: every stream gets an error listener the moment it is ours (a
// socket's 'error' with no listener would take the whole process down), and one that arrives
// after its caller gave up is closed at once rather than left open.
import { abortable } from '../abortable';

export interface Closable {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export function held<T extends Closable>(stream: T): T {
  stream.on('error', () => undefined);
  return stream;
}

/** `opening` resolves with a stream; when `signal` fires first, the caller is released and the stream, once there, closed. */
export async function openStream<T extends Closable>(opening: Promise<T>, signal: AbortSignal): Promise<T> {
  const late = opening.then((stream) => {
    held(stream);
    if (signal.aborted) stream.destroy();
    return stream;
  });
  return abortable(late, signal);
}

/** A stream's write that never throws: input for a job that already ended goes nowhere. */
export function writeQuietly(stream: NodeJS.WritableStream | null, data: string): void {
  if (!stream || !stream.writable) return;
  try {
    stream.write(data);
  } catch {
    // The socket closed between the check and the write: the job has ended.
  }
}
