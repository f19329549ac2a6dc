// The app:// scheme the Electron window loads the renderer from: the same file lookup and the
// same security headers as the browser host, as a fetch-style handler for protocol.handle.
// A standard, secure custom scheme (rather than file://) gives the page a real origin of its own,
// which the IPC trusted-sender check and the CSP's 'self' both rely on.
import { readFile } from 'node:fs/promises';
import { securityHeaders } from './security-headers';
import { lookupStaticFile } from './static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'crossdock';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/`;

export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const headers = securityHeaders();
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found.\n', { status: 404, headers });
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers });
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
