// The `crossdock` command as a user runs it: built with the real build script into a private
// folder under dist/, spawned with node, talked to over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCookieName } from '../../../shared/web-protocol';
import { buildCli, exitCode, readUntil, runCli, servedUrl, type BuiltCli } from '../../helpers/cli';

let built: BuiltCli;
let home: string;

beforeAll(() => {
  built = buildCli('cli-unit');
  home = mkdtempSync(join(tmpdir(), 'crossdock-cli-'));
}, 60_000);

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(built.dir, { recursive: true, force: true });
});

const run = (args: string[]) => runCli(built.cli, args, home);

describe('crossdock start without an Electron binary', () => {
  it('says why, serves the window to a browser, and stops cleanly on SIGTERM', async () => {
    const child = run(['start', '--port', '0']);
    const exited = exitCode(child);
    try {
      // The tunnel hint is printed last; waiting for it means every line has arrived.
      const lines = await readUntil(child, 'From another machine');
      expect(lines[0]).toMatch(/^No (Electron binary is installed|display was found).*serving its window to your browser instead\.$/);
      const url = servedUrl(lines);
      expect(url.hostname).toBe('127.0.0.1');
      const token = url.searchParams.get('token')!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(lines.some((line) => line.includes(`ssh -L ${url.port}:127.0.0.1:${url.port}`))).toBe(true);

      const signIn = await fetch(url, { redirect: 'manual' });
      expect(signIn.status).toBe(303);
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      expect(cookie).toBe(`${tokenCookieName(Number(url.port))}=${token}`);
      const page = await fetch(new URL('/', url), { headers: { Cookie: cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Crossdock test page');
      expect((await fetch(new URL('/', url))).status).toBe(401);

      const info = await fetch(new URL('/api/call/app.info', url), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(await info.json()).toMatchObject({ ok: true, result: { name: 'Crossdock', transport: 'web', configDir: join(home, 'config') } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 30_000);
});

describe('crossdock arguments', () => {
  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['serve', '--port', 'eighty'], /--port must be a number/],
    [['detect', '--port', '1'], /does not apply to "detect"/],
    [['launch'], /Unknown command "launch"/],
  ])('refuses %j with exit code 2', async (args, message) => {
    const child = run(args);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('prints its usage with --help', async () => {
    const child = run(['--help']);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    expect(await exitCode(child)).toBe(0);
    expect(stdout).toContain('Usage: crossdock');
  });
});
