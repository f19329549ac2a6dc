// A hijacked API call (attach with stdin): the engine answers 101 and the HTTP connection becomes
// a raw two-way stream. Made here rather than through dockerode, which either sends its options
// as a JSON body (which Podman's service passes on to the program as input) or, without a body,
// announces a chunked one and never sends the request headers at all (Node holds them back until
// the first byte of a body that never comes). This request is complete and empty: headers,
// "Content-Length: 0", and then the upgrade.
import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { DockerEndpoint } from '../endpoint';

/** Shaped like dockerode's HTTP errors, so that the same mapping (errors.ts) reads both. */
export class EngineHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly json: unknown,
  ) {
    super(`(HTTP code ${statusCode}) ${typeof json === 'object' && json !== null && 'message' in json ? String(json.message) : String(json)}`);
  }
}

export function hijack(endpoint: DockerEndpoint, path: string): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const target = endpoint.kind === 'unix' ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
    const req = request({
      ...target,
      method: 'POST',
      path,
      headers: { Host: 'docker', Connection: 'Upgrade', Upgrade: 'tcp', 'Content-Length': '0' },
    });
    req.on('upgrade', (_response: IncomingMessage, socket: Socket, head: Buffer) => {
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    // Anything but 101 is the engine's refusal, with its JSON message.
    req.on('response', (response: IncomingMessage) => {
      const pieces: Buffer[] = [];
      response.on('data', (piece: Buffer) => pieces.push(piece));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(pieces).toString();
        let json: unknown = text.trim();
        try {
          json = JSON.parse(text);
        } catch {
          // Not JSON: the text itself is the message.
        }
        reject(new EngineHttpError(response.statusCode ?? 0, json));
      });
    });
    req.on('error', reject);
    req.end();
  });
}
