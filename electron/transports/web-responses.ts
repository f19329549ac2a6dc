// Writing answers of the browser host: the security headers go on every one of them.
import type { ServerResponse } from 'node:http';
import { ApiError, type Envelope, type ErrorKind } from '../../shared/errors';
import { HTTP_STATUS_BY_KIND } from '../../shared/web-protocol';

export function sendEnvelope(response: ServerResponse, envelope: Envelope<unknown>, status?: number): void {
  const code = status ?? (envelope.ok ? 200 : HTTP_STATUS_BY_KIND[envelope.error.kind]);
  const body = JSON.stringify(envelope);
  response.writeHead(code, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

export function sendApiError(response: ServerResponse, kind: ErrorKind, message: string, status?: number): void {
  sendEnvelope(response, { ok: false, error: new ApiError(kind, message).toBody() }, status);
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/** What a person sees when they open the bare address without the token. */
export function sendUnauthorizedPage(response: ServerResponse): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Crossdock: access token needed</title></head>
<body><h1>Crossdock needs its access token</h1>
<p>Open the address that <code>npm start</code> (or <code>crossdock serve</code>) printed in its terminal:
it ends with <code>?token=…</code>. That link signs this browser in; the token then stays in a cookie.</p>
</body></html>
`;
  response.writeHead(401, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  response.end(html);
}
