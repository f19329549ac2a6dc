// Serves recorded engine answers over a unix socket, so dockerode builds its own errors and
// streams from real HTTP responses. It stands for no engine's behaviour beyond the recorded
// bytes; the real engines are exercised in test/integration.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface ReplayServer {
  socketPath: string;
  close(): Promise<void>;
}

export async function startReplayServer(routes: Record<string, Route>): Promise<ReplayServer> {
  const folder = mkdtempSync(join(tmpdir(), 'cd-replay-'));
  const socketPath = join(folder, 'engine.sock');
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]!;
    const route = routes[`${request.method} ${path}`];
    if (route) return route(request, response);
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: `no recorded answer for ${request.method} ${path}` }));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export const json = (status: number, body: unknown): Route => (_request, response) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};
