// POST /containers/{id}/attach, hijacked (hijack.ts): the connection turns into a raw stream. A
// terminal's is two-way (its writes are the program's stdin); without a terminal it carries the
// multiplexed output only, and the program reads /dev/null. Hijacked rather than read as an HTTP
// response body even then: a job printing 256 MB ran about 20% faster (bench, `docker run` of a
// busybox printer), since no HTTP parser sits between the socket and the demultiplexer.
import type { Duplex, Readable } from 'node:stream';
import type { DockerEndpoint } from '../endpoint';
import { hijack } from './hijack';

function attachPath(containerId: string, streams: { stdin: boolean; stdout: boolean; stderr: boolean }): string {
  const query = new URLSearchParams({ stream: '1', stdin: flag(streams.stdin), stdout: flag(streams.stdout), stderr: flag(streams.stderr) });
  return `/containers/${encodeURIComponent(containerId)}/attach?${query.toString()}`;
}

const flag = (value: boolean): string => (value ? '1' : '0');

/** Output (and, for a terminal, input) of a container about to be started. */
export function attachForRun(endpoint: DockerEndpoint, containerId: string, tty: boolean): Promise<Readable | Duplex> {
  return hijack(endpoint, attachPath(containerId, { stdin: tty, stdout: true, stderr: true }));
}

/**
 * Input for a re-attached terminal whose output comes from the daemon's log. The attach asks for
 * the output too, and throws it away: Podman's service closes an attach that asks for stdin
 * alone at once. Drained as it comes, so that this second reader never holds the program back.
 */
export async function attachInput(endpoint: DockerEndpoint, containerId: string): Promise<Duplex> {
  const socket = await hijack(endpoint, attachPath(containerId, { stdin: true, stdout: true, stderr: true }));
  socket.resume();
  return socket;
}
