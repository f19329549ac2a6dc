// GET/HEAD of the built renderer's files.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { lookupStaticFile } from './static-files';
import { sendText } from './web-responses';

export async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  staticDir: string,
  rawPath: string,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'Method not allowed.\n', { Allow: 'GET, HEAD' });
    return;
  }
  const found = await lookupStaticFile(staticDir, rawPath);
  if (found.kind === 'bad-request') {
    sendText(response, 400, 'Bad request.\n');
    return;
  }
  if (found.kind === 'not-found') {
    sendText(response, 404, 'Not found.\n');
    return;
  }
  // index.html names the current hashed bundles, so it must never be cached; the hashed files
  // under /assets/ never change under the same name.
  const cacheControl = found.isIndex || found.contentType.startsWith('text/html')
    ? 'no-store'
    : rawPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  response.writeHead(200, {
    'Content-Type': found.contentType,
    'Content-Length': found.size,
    'Cache-Control': cacheControl,
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(found.path);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}
