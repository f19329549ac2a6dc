// tar-stream 3's own types, named once: its streams are streamx streams, which Node's pipeline and
// pipe accept; `asNodeReadable` says so to TypeScript in one place.
import type { Readable } from 'node:stream';
import type tar from 'tar-stream';

export type TarHeader = Partial<tar.Header> & Pick<tar.Header, 'name'>;
/** One entry of an archive being read: a readable of its content, with its header. */
export type TarSource = Readable & { header: tar.Header };

export function asNodeReadable(stream: unknown): Readable {
  return stream as Readable;
}

export function asTarSource(entry: unknown): TarSource {
  return entry as TarSource;
}
