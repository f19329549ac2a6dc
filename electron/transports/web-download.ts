// Streams a download to the browser with back-pressure: a slow connection slows the reading of the
// file, and a closed tab stops it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Download } from '../host/downloads';

export async function sendDownload(
  request: IncomingMessage,
  response: ServerResponse,
  download: Download,
  asAttachment: boolean,
): Promise<void> {
  // The name is built from [A-Za-z0-9._-] only (host/downloads.ts), so it needs no quoting beyond this.
  const disposition = `${asAttachment ? 'attachment' : 'inline'}; filename="${download.fileName}"`;
  response.writeHead(200, {
    'Content-Type': download.contentType,
    'Content-Disposition': disposition,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const iterator = download.body[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (response.destroyed) return;
      const next = await iterator.next();
      if (next.done) break;
      if (!response.write(next.value)) {
        await Promise.race([once(response, 'drain'), once(response, 'close')]);
      }
    }
    response.end();
  } finally {
    await iterator.return?.();
  }
}
