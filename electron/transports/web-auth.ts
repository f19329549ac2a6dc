// Who may talk to the browser host: a request must name one of our own host:port pairs (so a
// DNS-rebinding page on evil.example cannot reach us through its own name), come from our own
// origin when the browser says where it comes from, and carry the access token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenCookieName } from '../../shared/web-protocol';

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time, whatever the lengths: both sides are hashed to the same size first. */
export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** "host:port" as a browser writes it in Host and Origin (IPv6 literals in brackets). */
export function hostWithPort(host: string, port: number): string {
  const bare = host.replace(/^\[|\]$/g, '');
  return `${bare.includes(':') ? `[${bare}]` : bare}:${port}`.toLowerCase();
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

export function allowedHostSet(bind: string, port: number, extra: readonly string[] = []): Set<string> {
  const hosts = ['127.0.0.1', 'localhost', '::1'];
  if (!WILDCARDS.has(bind)) hosts.push(bind);
  const set = new Set(hosts.map((host) => hostWithPort(host, port)));
  for (const entry of extra) {
    // "name" means name:PORT; "name:1234" (e.g. the far end of an ssh tunnel) is taken as given.
    const trimmed = entry.trim().toLowerCase();
    if (trimmed === '') continue;
    const hasPort = /^\[[^\]]+\]:\d+$/.test(trimmed) || /^[^:]+:\d+$/.test(trimmed);
    set.add(hasPort ? trimmed : hostWithPort(trimmed, port));
  }
  return set;
}

export type OriginVerdict = 'ok' | 'bad-host' | 'bad-origin';

export function checkHostAndOrigin(request: IncomingMessage, allowed: Set<string>): OriginVerdict {
  const host = request.headers.host?.toLowerCase();
  if (host === undefined || !allowed.has(host)) return 'bad-host';
  const origin = request.headers.origin;
  if (origin === undefined) return 'ok';
  // "null" (sandboxed frames, file:// pages) and any other site are refused alike.
  const match = /^http:\/\/([^/]+)$/i.exec(origin);
  return match?.[1] !== undefined && allowed.has(match[1].toLowerCase()) ? 'ok' : 'bad-origin';
}

export function readCookie(request: IncomingMessage, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

export function bearerToken(request: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

export interface AuthSources {
  /** The port whose session cookie counts, or null to ignore cookies. */
  cookiePort: number | null;
  bearer: boolean;
  query: URLSearchParams | null;
}

export function isAuthorized(request: IncomingMessage, token: string, sources: AuthSources): boolean {
  if (sources.cookiePort !== null && tokensMatch(token, readCookie(request, tokenCookieName(sources.cookiePort)))) return true;
  if (sources.bearer && tokensMatch(token, bearerToken(request))) return true;
  if (sources.query && tokensMatch(token, sources.query.get('token'))) return true;
  return false;
}

export function sessionCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
