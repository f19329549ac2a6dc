// /_ping's headers as the real engines send them (recorded from dockerd 20.10 and podman 4.3's
// service on this machine), served from a unix socket.
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pingVersion } from '../../../electron/engines/docker-api/ping-version';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(status: number, headers: Record<string, string>): Promise<string> {
  const socketPath = join(mkdtempSync(join(tmpdir(), 'cd-ping-')), 'engine.sock');
  const server = createServer((_request, response) => {
    response.writeHead(status, headers);
    response.end('OK');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return socketPath;
}

const never = new AbortController().signal;

describe('pingVersion', () => {
  it("reads Docker's server and API version", async () => {
    const socketPath = await serve(200, { 'Api-Version': '1.41', Server: 'Docker/20.10.24+dfsg1 (linux)', Ostype: 'linux' });
    expect(await pingVersion({ kind: 'unix', socketPath }, never)).toEqual({ Version: '20.10.24+dfsg1', ApiVersion: '1.41' });
  });

  it("reads Podman's compatible service the same way", async () => {
    const socketPath = await serve(200, { 'Api-Version': '1.41', 'Libpod-Api-Version': '4.3.1', Server: 'Libpod/4.3.1 (linux)' });
    expect(await pingVersion({ kind: 'unix', socketPath }, never)).toEqual({ Version: '4.3.1', ApiVersion: '1.41' });
  });

  it('leaves the version unknown when the server does not say', async () => {
    const socketPath = await serve(200, {});
    expect(await pingVersion({ kind: 'unix', socketPath }, never)).toEqual({ Version: undefined, ApiVersion: undefined });
  });

  it('fails with the status code the error mapping knows, and with the socket error when nothing listens', async () => {
    const socketPath = await serve(500, { Server: 'Docker/20.10.24 (linux)' });
    await expect(pingVersion({ kind: 'unix', socketPath }, never)).rejects.toMatchObject({ statusCode: 500 });
    await expect(pingVersion({ kind: 'unix', socketPath: join(tmpdir(), 'cd-nothing-here.sock') }, never)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
