// Maps a request path onto a file of the built renderer, for the browser host and the app://
// protocol alike. The path is untrusted: it is decoded once, every form of ".." (raw, %2e%2e,
// ..%2f, backslashes) is refused, and the resolved file must still lie inside the root after
// symbolic links are followed.
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export type StaticLookup =
  | { kind: 'file'; path: string; size: number; contentType: string; isIndex: boolean }
  | { kind: 'not-found' }
  | { kind: 'bad-request' };

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * `rawPath` is the path part of the request URL exactly as sent (still percent-encoded, without
 * the query). WHATWG URL parsing is deliberately not used: it would quietly fold "/a/../b" and
 * "%2e%2e" into another path instead of letting us refuse it.
 */
export async function lookupStaticFile(root: string, rawPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad-request' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad-request' };
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) return { kind: 'not-found' };
  // Dot files (.git, .env) are never part of a built renderer.
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'not-found' };

  const isIndex = decoded === '/' || decoded === '/index.html';
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const rootReal = await realpath(root).catch(() => null);
  if (rootReal === null) return { kind: 'not-found' };
  const candidate = resolve(rootReal, relative);
  if (!isInside(rootReal, candidate)) return { kind: 'not-found' };
  try {
    const real = await realpath(candidate);
    if (!isInside(rootReal, real)) return { kind: 'not-found' };
    const info = await stat(real);
    if (!info.isFile()) return { kind: 'not-found' };
    return { kind: 'file', path: real, size: info.size, contentType: contentTypeOf(real), isIndex };
  } catch {
    return { kind: 'not-found' };
  }
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}
