// The browser host: the same router and stream sessions as the Electron window, served over
// HTTP + WebSocket on a loopback address to a browser (for machines without a display or without
// Electron's binary, or through an ssh tunnel from a login node). See shared/web-protocol.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CALL_PATH_PREFIX, STREAM_PATH } from '../../shared/web-protocol';
import type { Router } from '../host/router';
import type { StreamHandlers } from '../host/stream-sessions';
import { securityHeaders } from './security-headers';
import {
  allowedHostSet,
  checkHostAndOrigin,
  generateToken,
  hostWithPort,
  isAuthorized,
  sessionCookie,
  tokensMatch,
} from './web-auth';
import type { Download } from '../host/downloads';
import { handleApiCall } from './web-api';
import { sendDownload } from './web-download';
import { sendApiError, sendText, sendUnauthorizedPage } from './web-responses';
import { attachStreamSocket, Heartbeat, MAX_FRAME_BYTES } from './web-socket';
import { serveStatic } from './web-static';

export interface WebHostSource {
  router: Router;
  streamHandlers: StreamHandlers;
  log?: (message: string) => void;
  /** Files served by GET under /api/ (a job's saved output); see host/downloads.ts. */
  download?: (path: string) => Promise<Download | null>;
}

export interface WebHostOptions {
  host: WebHostSource;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Loopback unless asked otherwise. */
  bind?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** More Host values to accept ("name" means name:PORT), e.g. a tunnel's far end. */
  allowedHosts?: string[];
  /** Only tests shorten it. */
  heartbeatMs?: number;
}

export interface WebHost {
  /** The address to open, with ?token=. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const WILDCARD_BINDS = new Set(['0.0.0.0', '::']);

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { router, streamHandlers } = options.host;
  const log = options.host.log ?? (() => {});
  const bind = options.bind ?? '127.0.0.1';
  const token = options.token ?? generateToken();
  const heartbeat = new Heartbeat(options.heartbeatMs);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  // Known only once listening (port 0); requests cannot arrive before that.
  let allowed = new Set<string>();
  let port = 0;

  const server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      log(`web request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) sendText(response, 500, 'Internal error.\n');
      else response.destroy();
    });
  });
  // Slow-loris guards: a request must arrive whole reasonably fast.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { path, query } = splitUrl(request.url ?? '/');
    const isApi = path.startsWith('/api/');
    const verdict = checkHostAndOrigin(request, allowed);
    for (const [name, value] of Object.entries(securityHeaders({ connectSources: connectSourcesFor(request, verdict) }))) {
      response.setHeader(name, value);
    }
    if (verdict === 'bad-host') {
      sendText(response, 421, 'This address is not served here.\n');
      return;
    }
    if (verdict === 'bad-origin') {
      if (isApi) sendApiError(response, 'unauthorized', 'Requests from other sites are refused.', 403);
      else sendText(response, 403, 'Requests from other sites are refused.\n');
      return;
    }

    // The token link: trade ?token= for the cookie and take the token out of the address bar
    // (and so out of the history and of Referer headers).
    if (path === '/' && query.has('token') && (request.method === 'GET' || request.method === 'HEAD')) {
      if (!tokensMatch(token, query.get('token'))) {
        sendUnauthorizedPage(response);
        return;
      }
      response.writeHead(303, { Location: '/', 'Set-Cookie': sessionCookie(token, port), 'Cache-Control': 'no-store' });
      response.end();
      return;
    }

    if (!isAuthorized(request, token, { cookiePort: port, bearer: true, query: null })) {
      if (isApi) sendApiError(response, 'unauthorized', 'Missing or wrong access token.');
      else if (request.method === 'GET' || request.method === 'HEAD') sendUnauthorizedPage(response);
      else sendText(response, 401, 'Missing or wrong access token.\n');
      return;
    }

    if (path.startsWith(CALL_PATH_PREFIX)) {
      let name: string;
      try {
        name = decodeURIComponent(path.slice(CALL_PATH_PREFIX.length));
      } catch {
        sendApiError(response, 'invalid-request', 'The call name is not valid percent-encoding.');
        return;
      }
      await handleApiCall(request, response, router, name);
      return;
    }
    if (isApi && options.host.download && (request.method === 'GET' || request.method === 'HEAD')) {
      const download = await options.host.download(path);
      if (download) {
        await sendDownload(request, response, download, query.has('download'));
        return;
      }
    }
    if (isApi) {
      sendApiError(response, 'unknown-method', `Nothing is served at ${path.slice(0, 200)}.`);
      return;
    }
    await serveStatic(request, response, options.staticDir, path);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const { path, query } = splitUrl(request.url ?? '/');
    const verdict = checkHostAndOrigin(request, allowed);
    if (verdict === 'bad-host') return refuseUpgrade(socket, 421, 'Misdirected Request');
    if (verdict === 'bad-origin') return refuseUpgrade(socket, 403, 'Forbidden');
    if (!isAuthorized(request, token, { cookiePort: port, bearer: true, query })) return refuseUpgrade(socket, 401, 'Unauthorized');
    if (path !== STREAM_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    wss.handleUpgrade(request, socket, head, (ws) => {
      heartbeat.add(ws);
      attachStreamSocket(ws, streamHandlers, log);
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bind, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  allowed = allowedHostSet(bind, port, options.allowedHosts);
  const urlHost = WILDCARD_BINDS.has(bind) ? '127.0.0.1' : bind;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostWithPort(urlHost, port)}/?token=${token}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        heartbeat.stop();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Splits the raw request target; the path stays percent-encoded for the static lookup. */
function splitUrl(target: string): { path: string; query: URLSearchParams } {
  const hash = target.indexOf('#');
  const withoutHash = hash >= 0 ? target.slice(0, hash) : target;
  const mark = withoutHash.indexOf('?');
  return mark >= 0
    ? { path: withoutHash.slice(0, mark), query: new URLSearchParams(withoutHash.slice(mark + 1)) }
    : { path: withoutHash, query: new URLSearchParams() };
}

/** The page's WebSocket goes to the very host:port the browser used (already checked). */
function connectSourcesFor(request: IncomingMessage, verdict: string): string[] {
  return verdict === 'ok' && request.headers.host ? [`ws://${request.headers.host.toLowerCase()}`] : [];
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
