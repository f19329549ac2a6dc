import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../electron/transports/app-protocol';
import { isExternalWebUrl, mayNavigate } from '../../../electron/transports/navigation-policy';

let root: string;
let handler: (request: Request) => Promise<Response>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'crossdock-app-'));
  mkdirSync(join(root, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>Crossdock</title>');
  writeFileSync(join(root, 'renderer', 'assets', 'app.js'), 'void 0');
  writeFileSync(join(root, 'secret.txt'), 'OUTSIDE');
  handler = createAppProtocolHandler(join(root, 'renderer'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves the renderer with its content type and the CSP', async () => {
    const page = await handler(new Request('app://crossdock/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('ws:');
    expect(await page.text()).toContain('Crossdock');
    const script = await handler(new Request('app://crossdock/assets/app.js'));
    expect(script.headers.get('content-type')).toContain('text/javascript');
  });

  it('refuses other hosts, missing files and escapes', async () => {
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404);
    expect((await handler(new Request('app://crossdock/missing.js'))).status).toBe(404);
    for (const path of ['/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await handler(new Request(`app://crossdock${path}`));
      expect([400, 404]).toContain(response.status);
      expect(await response.text()).not.toContain('OUTSIDE');
    }
  });
});

describe('navigation policy', () => {
  it('sends only http(s) links to the browser', () => {
    expect(isExternalWebUrl('https://docs.docker.com/')).toBe(true);
    expect(isExternalWebUrl('http://example.org/')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://crossdock/', 'nonsense']) {
      expect(isExternalWebUrl(url)).toBe(false);
    }
  });

  it('allows only the same page (hash changes) as a navigation', () => {
    expect(mayNavigate('app://crossdock/index.html', 'app://crossdock/index.html#/settings')).toBe(true);
    expect(mayNavigate('app://crossdock/index.html', 'https://evil.example/')).toBe(false);
    expect(mayNavigate('', 'app://crossdock/index.html')).toBe(false);
  });
});
