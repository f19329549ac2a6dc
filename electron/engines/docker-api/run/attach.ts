// POST /containers/{id}/attach. A terminal's attach is hijacked (hijack.ts): the connection turns
// into a raw two-way stream whose writes are the program's stdin. Without a terminal the response
// body is the multiplexed output, and stdin is not attached (the program reads /dev/null).
// That one is not hijacked: hijacking it too (cd9b208) made a job printing 300 MB with its
// terminal open slower, not faster, in the bench (`BENCH_OUTPUT_LINES=75`, one job each way per
// round on a busy 2-core machine: 15.9-23.9 s read as a response against 21.9-44.6 s hijacked,
// 1.45x against 1.85x the same job through `docker run` to /dev/null at the same moment, medians
// of 4 rounds), so the response it is.
import type { Duplex, Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { DockerEndpoint } from '../endpoint';
import { hijack } from './hijack';

function attachPath(containerId: string, streams: { stdin: boolean; stdout: boolean; stderr: boolean }): string {
  const query = new URLSearchParams({ stream: '1', stdin: flag(streams.stdin), stdout: flag(streams.stdout), stderr: flag(streams.stderr) });
  return `/containers/${encodeURIComponent(containerId)}/attach?${query.toString()}`;
}

const flag = (value: boolean): string => (value ? '1' : '0');

/** Output (and, for a terminal, input) of a container about to be started. */
export function attachForRun(docker: Dockerode, endpoint: DockerEndpoint, containerId: string, tty: boolean): Promise<Readable | Duplex> {
  if (tty) return hijack(endpoint, attachPath(containerId, { stdin: true, stdout: true, stderr: true }));
  // dockerode would send its options as a JSON body too; `_body: {}` (docker-modem's own key)
  // leaves the request without one.
  const options = { stream: true, stdout: true, stderr: true, _query: { stream: true, stdout: true, stderr: true }, _body: {} };
  return docker.getContainer(containerId).attach(options) as Promise<unknown> as Promise<Readable>;
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
