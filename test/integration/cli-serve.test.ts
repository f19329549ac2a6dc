// `crossdock serve` against this machine's real engines: detection starts engine processes (a
// Podman API service, probe containers), and SIGTERM must still end the command with code 0
// after stopping what it started. (execa's signal-exit once re-raised SIGTERM before the host
// was disposed, leaving exit code 143.)
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, exitCode, readUntil, runCli, servedUrl, URL_PREFIX, type BuiltCli } from '../helpers/cli';

let built: BuiltCli;
let home: string;

beforeAll(() => {
  built = buildCli('cli-integration');
  home = mkdtempSync(join(tmpdir(), 'crossdock-cli-int-'));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(built.dir, { recursive: true, force: true });
});

describe('crossdock serve with real engines', () => {
  it('detects engines over HTTP and exits 0 on SIGTERM, leaving no socket of its own behind', async () => {
    const child = runCli(built.cli, ['serve'], home);
    const exited = exitCode(child);
    try {
      const url = servedUrl(await readUntil(child, URL_PREFIX));
      const token = url.searchParams.get('token')!;
      const response = await fetch(new URL('/api/call/engines.list', url), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh: true }),
      });
      const envelope = (await response.json()) as { ok: boolean; result: Array<{ id: string; state: string }> };
      expect(envelope.ok).toBe(true);
      expect(envelope.result.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const runtime = join(home, 'runtime');
    const sockets = existsSync(runtime) ? readdirSync(runtime).filter((name) => name.endsWith('.sock')) : [];
    expect(sockets).toEqual([]);
  });
});
