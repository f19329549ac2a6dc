// The app:// scheme the Electron window loads the renderer from: the same file lookup and the
// same security headers as the browser host, as a fetch-style handler for protocol.handle.
// A standard, secure custom scheme (rather than file://) gives the page a real origin of its own,
// which the IPC trusted-sender check and the CSP's 'self' both rely on.
import { readFile } from 'node:fs/promises';
import type { Download } from '../host/downloads';
import { securityHeaders } from './security-headers';
import { lookupStaticFile } from './static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'crossdock';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/`;

export function createAppProtocolHandler(
  rendererDir: string,
  download?: (path: string) => Promise<Download | null>,
): (request: Request) => Promise<Response> {
  const headers = securityHeaders();
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found.\n', { status: 404, headers });
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers });
    if (url.pathname.startsWith('/api/') && download) {
      const found = await download(url.pathname);
      if (!found) return new Response('Not found.\n', { status: 404, headers });
      const disposition = `${url.searchParams.has('download') ? 'attachment' : 'inline'}; filename="${found.fileName}"`;
      const body = request.method === 'HEAD' ? null : pullStream(found.body);
      return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': found.contentType, 'Content-Disposition': disposition, 'Cache-Control': 'no-store' } });
    }
    // Chromium has already normalised the URL; the lookup still refuses whatever is left of
    // "..", encoded separators and NUL, and checks the result stays inside rendererDir.
    const found = await lookupStaticFile(rendererDir, url.pathname);
    if (found.kind !== 'file') {
      return new Response(found.kind === 'bad-request' ? 'Bad request.\n' : 'Not found.\n', {
        status: found.kind === 'bad-request' ? 400 : 404,
        headers,
      });
    }
    const body = request.method === 'HEAD' ? null : await readFile(found.path);
    return new Response(body, {
      status: 200,
      headers: { ...headers, 'Content-Type': found.contentType, 'Cache-Control': 'no-cache' },
    });
  };
}

/** A pull-based web stream over an async iterable: Chromium asks for the next block when it has room. */
function pullStream(source: AsyncIterable<Buffer>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
