import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError } from '../../../shared/errors';
import type { ServerStreamMessage } from '../../../shared/stream-protocol';
import { MAX_BODY_BYTES, STREAM_PATH, tokenCookieName } from '../../../shared/web-protocol';
import { startWebHost, type WebHost } from '../../../electron/transports/web';
import { createFakeHost, type FakeHost } from '../../helpers/fake-host';
import { waitFor } from '../../helpers/waiting';
import { rawRequest } from '../../helpers/http';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
let root: string;
let staticDir: string;
let fake: FakeHost;
let web: WebHost;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'crossdock-web-'));
  staticDir = join(root, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Crossdock</title><script src="/assets/app.js"></script>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(staticDir, 'assets', 'style.css'), 'body{}');
  // What traversal attempts aim at: a file just outside the served folder.
  writeFileSync(join(root, 'package.json'), '{"secret":"OUTSIDE-THE-RENDERER"}');
  symlinkSync(join(root, 'package.json'), join(staticDir, 'assets', 'link.json'));
  fake = createFakeHost({}, 100);
  web = await startWebHost({ host: fake, staticDir, token: TOKEN });
});

afterAll(async () => {
  await web.close();
  rmSync(root, { recursive: true, force: true });
});

// The session cookie is named per port; `cookie` is the main test host's, `cookieOf` any other's.
const cookieOf = (port: number) => ({ Cookie: `${tokenCookieName(port)}=${TOKEN}` });
let cookie: { Cookie: string };
beforeAll(() => {
  cookie = cookieOf(web.port);
});
const json = { 'Content-Type': 'application/json' };
const call = (name: string, body: unknown, headers?: Record<string, string>) =>
  rawRequest(web.port, { method: 'POST', path: `/api/call/${name}`, headers: headers ?? { ...cookie, ...json }, body: JSON.stringify(body) });

describe('web host: listening', () => {
  it('listens on loopback and prints a URL carrying the token', () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${TOKEN}`);
    expect(web.token).toBe(TOKEN);
  });

  it('generates a long random token when none is given', async () => {
    const other = await startWebHost({ host: fake, staticDir });
    try {
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.token).not.toBe(TOKEN);
    } finally {
      await other.close();
    }
  });
});

describe('web host: token', () => {
  it('answers 401 with a help page without a token', async () => {
    const response = await rawRequest(web.port, { path: '/' });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('npm start');
    expect(response.body).not.toContain(TOKEN);
  });

  it('answers 401 for a wrong token in the URL, cookie or bearer', async () => {
    expect((await rawRequest(web.port, { path: '/?token=wrong' })).status).toBe(401);
    expect((await rawRequest(web.port, { path: '/', headers: { Cookie: `${tokenCookieName(web.port)}=wrong` } })).status).toBe(401);
    const response = await call('app.info', {}, { ...json, Authorization: 'Bearer wrong' });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
  });

  it('trades the token URL for an HttpOnly, SameSite=Strict cookie and a redirect to /', async () => {
    const response = await rawRequest(web.port, { path: `/?token=${TOKEN}` });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    const setCookie = response.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toContain(`${tokenCookieName(web.port)}=${TOKEN}`);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
  });

  it('serves the page with the cookie, and accepts a bearer token for calls', async () => {
    const page = await rawRequest(web.port, { path: '/', headers: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Crossdock</title>');
    const response = await call('app.info', {}, { ...json, Authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, result: { transport: 'web' } });
  });

  it('does not accept the token in the query of API calls or static files', async () => {
    const response = await rawRequest(web.port, {
      method: 'POST',
      path: `/api/call/app.info?token=${TOKEN}`,
      headers: json,
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect((await rawRequest(web.port, { path: `/assets/app.js?token=${TOKEN}` })).status).toBe(401);
  });
});

describe('web host: Host and Origin', () => {
  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const response = await rawRequest(web.port, { path: '/', headers: { ...cookie, Host: `evil.example:${web.port}` } });
    expect(response.status).toBe(421);
    const wrongPort = await rawRequest(web.port, { path: '/', headers: { ...cookie, Host: '127.0.0.1:1' } });
    expect(wrongPort.status).toBe(421);
  });

  it('accepts localhost and [::1] names of the same port', async () => {
    for (const host of [`localhost:${web.port}`, `[::1]:${web.port}`]) {
      const response = await rawRequest(web.port, { path: '/', headers: { ...cookie, Host: host } });
      expect(response.status).toBe(200);
    }
  });

  it('refuses a call from a foreign Origin with 403, even with the cookie', async () => {
    const response = await call('app.info', {}, { ...cookie, ...json, Origin: 'http://evil.example' });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false });
    const nullOrigin = await call('app.info', {}, { ...cookie, ...json, Origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const sameOrigin = await call('app.info', {}, { ...cookie, ...json, Origin: `http://127.0.0.1:${web.port}` });
    expect(sameOrigin.status).toBe(200);
  });

  it('accepts extra hosts the caller allowed', async () => {
    const other = await startWebHost({ host: fake, staticDir, token: TOKEN, allowedHosts: ['tunnel.example'] });
    try {
      const response = await rawRequest(other.port, { path: '/', headers: { ...cookieOf(other.port), Host: `tunnel.example:${other.port}` } });
      expect(response.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('web host: calls', () => {
  it('answers the Envelope with status 200', async () => {
    const response = await call('settings.get', {});
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, result: { theme: 'system' } });
  });

  it('answers 400 invalid-request for a body that is not JSON', async () => {
    const response = await rawRequest(web.port, {
      method: 'POST',
      path: '/api/call/app.info',
      headers: { ...cookie, ...json },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { kind: 'invalid-request', message: expect.stringMatching(/not JSON/) } });
  });

  it('answers 400 with the issues for a request outside the schema', async () => {
    const response = await call('images.list', { engineId: '../../etc' });
    expect(response.status).toBe(400);
    const body = JSON.parse(response.body);
    expect(body.error.kind).toBe('invalid-request');
    expect(body.error.issues[0]).toMatch(/^engineId:/);
  });

  it('answers 404 unknown-method for an unknown call', async () => {
    const response = await call('images.nuke', {});
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { kind: 'unknown-method' } });
  });

  it('maps error kinds onto HTTP statuses', async () => {
    const other = createFakeHost({
      'images.prune': async () => {
        throw new ApiError('conflict', 'in use');
      },
    });
    const host = await startWebHost({ host: other, staticDir, token: TOKEN });
    try {
      const response = await rawRequest(host.port, {
        method: 'POST',
        path: '/api/call/images.prune',
        headers: { ...cookieOf(host.port), ...json, Host: `127.0.0.1:${host.port}` },
        body: JSON.stringify({ engineId: 'docker' }),
      });
      expect(response.status).toBe(409);
      expect(JSON.parse(response.body)).toEqual({ ok: false, error: { kind: 'conflict', message: 'in use' } });
    } finally {
      await host.close();
    }
  });

  it('answers 415 for a body that is not sent as application/json (simple-request CSRF)', async () => {
    const response = await call('app.info', {}, { ...cookie, 'Content-Type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
  });

  it('answers 405 for another method', async () => {
    const response = await rawRequest(web.port, { method: 'GET', path: '/api/call/app.info', headers: cookie });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });

  it('answers 413 for a body over the limit, declared or streamed', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) });
    const declared = await call('app.info', JSON.parse(big));
    expect(declared.status).toBe(413);
    const streamed = await rawRequest(web.port, {
      method: 'POST',
      path: '/api/call/app.info',
      headers: { ...cookie, ...json, 'Transfer-Encoding': 'chunked' },
      body: big,
    });
    expect(streamed.status).toBe(413);
    // The host still answers afterwards.
    expect((await call('app.info', {})).status).toBe(200);
  });

  it('aborts the handler signal when the client goes away', async () => {
    let release = () => {};
    const slow = createFakeHost({
      'images.list': async (_request, context) => {
        slow.lastSignal = context.signal;
        await new Promise<void>((resolve) => {
          release = resolve;
          context.signal.addEventListener('abort', () => resolve());
        });
        return [];
      },
    });
    const host = await startWebHost({ host: slow, staticDir, token: TOKEN });
    try {
      const controller = new AbortController();
      const pending = fetch(`http://127.0.0.1:${host.port}/api/call/images.list`, {
        method: 'POST',
        headers: { ...json, Authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ engineId: 'docker' }),
        signal: controller.signal,
      }).catch(() => 'aborted');
      await waitFor(() => slow.lastSignal !== null, 2000, 'handler start');
      controller.abort();
      await waitFor(() => slow.lastSignal!.aborted, 2000, 'handler signal aborted');
      expect(await pending).toBe('aborted');
    } finally {
      release();
      await host.close();
    }
  });
});

describe('web host: static files', () => {
  it('serves files with their content type and the security headers', async () => {
    const script = await rawRequest(web.port, { path: '/assets/app.js', headers: cookie });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const style = await rawRequest(web.port, { path: '/assets/style.css', headers: cookie });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    const page = await rawRequest(web.port, { path: '/', headers: cookie });
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src 'self' ws://127.0.0.1:${web.port}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
  });

  it('puts the security headers on refusals too', async () => {
    const response = await rawRequest(web.port, { path: '/' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 404 for a missing file and a folder', async () => {
    expect((await rawRequest(web.port, { path: '/nope.js', headers: cookie })).status).toBe(404);
    expect((await rawRequest(web.port, { path: '/assets', headers: cookie })).status).toBe(404);
    expect((await rawRequest(web.port, { path: '/assets/', headers: cookie })).status).toBe(404);
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/..%2fpackage.json',
    '/..%2Fpackage.json',
    '/assets/../../package.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/..%5cpackage.json',
    '/%00/../package.json',
    '/index.html%00.js',
    '/%252e%252e/package.json',
    '/assets/link.json',
    '//etc/passwd',
    `/${'%'}`,
  ])('never serves a file outside the renderer: %s', async (path) => {
    const response = await rawRequest(web.port, { path, headers: cookie });
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain('OUTSIDE-THE-RENDERER');
    expect(response.body).not.toContain('root:');
  });
});

describe('web host: streams over WebSocket', () => {
  const sockets: WebSocket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.terminate();
  });

  function connect(headers: Record<string, string> = cookie, path = STREAM_PATH): WebSocket {
    const socket = new WebSocket(`ws://127.0.0.1:${web.port}${path}`, { headers });
    sockets.push(socket);
    return socket;
  }

  function refusal(socket: WebSocket): Promise<number> {
    return new Promise((resolve, reject) => {
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('the upgrade was accepted')));
      socket.on('error', () => undefined);
    });
  }

  const opened = (socket: WebSocket) =>
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });

  it('refuses an upgrade without the token, with a foreign Origin, or on another path', async () => {
    expect(await refusal(connect({}))).toBe(401);
    expect(await refusal(connect({ ...cookie, Origin: 'http://evil.example' }))).toBe(403);
    expect(await refusal(connect({ ...cookie, Host: 'evil.example' }))).toBe(421);
    expect(await refusal(connect(cookie, '/api/other'))).toBe(404);
  });

  it('accepts ?token= on the upgrade', async () => {
    const socket = connect({}, `${STREAM_PATH}?token=${TOKEN}`);
    await opened(socket);
  });

  it('runs a stream with credit, more credit and cancel', async () => {
    const before = fake.sources.length;
    const socket = connect({ ...cookie, Origin: `http://127.0.0.1:${web.port}` });
    const received: ServerStreamMessage[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as ServerStreamMessage));
    await opened(socket);
    socket.send(JSON.stringify({ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 3 }));
    await waitFor(() => received.length === 3, 2000, 'three events');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toHaveLength(3);
    expect(received[0]).toEqual({ t: 'event', id: 1, data: { type: 'images-changed', engineId: 'engine-1' } });

    socket.send(JSON.stringify({ t: 'credit', id: 1, n: 2 }));
    await waitFor(() => received.length === 5, 2000, 'two more events');
    socket.send(JSON.stringify({ t: 'cancel', id: 1 }));
    const source = fake.sources[before]!;
    await waitFor(() => source.returned, 2000, 'source returned');
    expect(source.produced).toBe(5);
  });

  it('answers an invalid stream message with an error and keeps the socket', async () => {
    const socket = connect();
    const received: ServerStreamMessage[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as ServerStreamMessage));
    await opened(socket);
    socket.send(JSON.stringify({ t: 'open', id: 2, name: 'nope', request: {}, credit: 1 }));
    await waitFor(() => received.length === 1);
    expect(received[0]).toMatchObject({ t: 'error', id: 2, error: { kind: 'unknown-method' } });
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a socket that sends a non-JSON, binary or oversized frame, and keeps serving', async () => {
    const cases: Array<[string | Buffer, boolean, number]> = [
      ['{this is not json', false, 1003],
      [Buffer.from([1, 2, 3]), true, 1003],
      ['x'.repeat(70 * 1024), false, 1009],
    ];
    for (const [frame, binary, expectedCode] of cases) {
      const socket = connect();
      await opened(socket);
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      socket.on('error', () => undefined);
      socket.send(frame, { binary });
      expect(await closed).toBe(expectedCode);
    }
    expect((await call('app.info', {})).status).toBe(200);
  });

  it('cancels the streams of a socket that closes', async () => {
    const before = fake.sources.length;
    const socket = connect();
    await opened(socket);
    socket.send(JSON.stringify({ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 1 }));
    await waitFor(() => fake.sources.length === before + 1 && fake.sources[before]!.produced === 1);
    socket.close();
    await waitFor(() => fake.sources[before]!.returned, 2000, 'source returned after close');
  });
});
