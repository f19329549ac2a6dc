// The browser host's wire protocol, shared by electron/transports/web.ts and the renderer's web
// client.
//
//   GET  /?token=T          checks T, sets the session cookie, redirects to / (token leaves the URL)
//   GET  /<static file>     the built renderer; needs the cookie
//   POST /api/call/<name>   body: the request JSON; answer: the Envelope JSON. Needs the cookie or
//                           "Authorization: Bearer T". 200 for { ok: true }, 4xx/5xx by error kind.
//   GET  /api/streams       WebSocket upgrade; needs the cookie (or ?token=T). Carries
//                           ClientStreamMessage / ServerStreamMessage JSON, one per text frame.
//
// Every request must name an allowed Host, and an Origin (when the browser sends one) of the same
// host and port: this blocks DNS rebinding and other sites' pages.
import type { ErrorKind } from './errors';

export const TOKEN_COOKIE = 'crossdock_token';
/**
 * Cookies ignore the port, so two hosts on one machine (two users' tunnels, a test beside a real
 * one) would overwrite each other's session under one name: the cookie is named per port.
 */
export const tokenCookieName = (port: number): string => `${TOKEN_COOKIE}_${port}`;
export const CALL_PATH_PREFIX = '/api/call/';
export const STREAM_PATH = '/api/streams';
/** Largest request body accepted; contract requests are small. */
export const MAX_BODY_BYTES = 1024 * 1024;

export const HTTP_STATUS_BY_KIND: Record<ErrorKind, number> = {
  'invalid-request': 400,
  'unknown-method': 404,
  unauthorized: 401,
  'not-found': 404,
  'engine-unavailable': 503,
  'permission-denied': 403,
  conflict: 409,
  timeout: 504,
  cancelled: 499,
  internal: 500,
};
