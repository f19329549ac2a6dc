import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowedHostSet, checkHostAndOrigin, readCookie, tokensMatch } from '../../../electron/transports/web-auth';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('tokensMatch', () => {
  it('matches only the exact token, whatever the lengths', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    for (const given of ['abd', 'ab', 'abcd', '', null, undefined]) expect(tokensMatch('abc', given)).toBe(false);
  });
});

describe('allowedHostSet', () => {
  it('names loopback under three spellings, the bind address, and extra hosts', () => {
    expect([...allowedHostSet('127.0.0.1', 8080)].sort()).toEqual(['127.0.0.1:8080', '[::1]:8080', 'localhost:8080']);
    expect(allowedHostSet('::1', 9000).has('[::1]:9000')).toBe(true);
    expect(allowedHostSet('192.168.1.5', 80).has('192.168.1.5:80')).toBe(true);
    // A wildcard is not a name a browser can send.
    expect(allowedHostSet('0.0.0.0', 80).has('0.0.0.0:80')).toBe(false);
    const extra = allowedHostSet('127.0.0.1', 8080, ['Tunnel.Example', 'other.example:443', '[fe80::1]:1']);
    expect(extra.has('tunnel.example:8080')).toBe(true);
    expect(extra.has('other.example:443')).toBe(true);
    expect(extra.has('[fe80::1]:1')).toBe(true);
  });
});

describe('checkHostAndOrigin', () => {
  const allowed = allowedHostSet('127.0.0.1', 8080);
  it('needs an allowed Host and, when present, an Origin of an allowed host over http', () => {
    expect(checkHostAndOrigin(request({ host: '127.0.0.1:8080' }), allowed)).toBe('ok');
    expect(checkHostAndOrigin(request({ host: 'LOCALHOST:8080', origin: 'http://localhost:8080' }), allowed)).toBe('ok');
    expect(checkHostAndOrigin(request({}), allowed)).toBe('bad-host');
    expect(checkHostAndOrigin(request({ host: 'rebound.evil.example:8080' }), allowed)).toBe('bad-host');
    for (const origin of ['http://evil.example', 'https://127.0.0.1:8080', 'http://127.0.0.1:8081', 'null', 'http://127.0.0.1:8080/x']) {
      expect(checkHostAndOrigin(request({ host: '127.0.0.1:8080', origin }), allowed)).toBe('bad-origin');
    }
  });
});

describe('readCookie', () => {
  it('finds a cookie among others', () => {
    expect(readCookie(request({ cookie: 'a=1; crossdock_token=xyz; b=2' }), 'crossdock_token')).toBe('xyz');
    expect(readCookie(request({ cookie: 'crossdock_tokenx=1' }), 'crossdock_token')).toBeNull();
    expect(readCookie(request({}), 'crossdock_token')).toBeNull();
  });
});
