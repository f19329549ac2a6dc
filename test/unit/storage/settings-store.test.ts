import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../../electron/storage/settings-store';
import { resolvePaths } from '../../../electron/storage/paths';

describe('SettingsStore', () => {
  it('starts from defaults and persists updates across instances', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-settings-'));
    const store = new SettingsStore(dir);
    expect((await store.get()).theme).toBe('system');
    await store.update({ theme: 'dark', imageSort: { column: 'size', direction: 'asc' } });
    const reread = await new SettingsStore(dir).get();
    expect(reread.theme).toBe('dark');
    expect(reread.imageSort).toEqual({ column: 'size', direction: 'asc' });
  });

  it('keeps a broken file aside and falls back to defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-settings-'));
    writeFileSync(join(dir, 'settings.json'), '{ not json');
    const lines: string[] = [];
    const settings = await new SettingsStore(dir, (line) => lines.push(line)).get();
    expect(settings.theme).toBe('system');
    expect(readdirSync(dir).some((name) => name.startsWith('settings.json.broken-'))).toBe(true);
    expect(lines.join()).toMatch(/did not parse/);
  });

  it('writes whole files (never a half-written one)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-settings-'));
    const store = new SettingsStore(dir);
    await Promise.all([store.update({ theme: 'light' }), store.update({ theme: 'dark' })]);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).theme).toBe('dark');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('resolvePaths', () => {
  it('follows XDG variables and ignores relative ones, as the specification asks', () => {
    const paths = resolvePaths({ HOME: '/home/u', XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: 'relative/data', XDG_RUNTIME_DIR: '/run/user/1' });
    expect(paths.configDir).toBe('/cfg/crossdock');
    expect(paths.dataDir).toBe('/home/u/.local/share/crossdock');
    expect(paths.runtimeDir).toBe('/run/user/1/crossdock');
  });

  it('lets CROSSDOCK_* variables isolate a test run', () => {
    const paths = resolvePaths({ HOME: '/home/u', CROSSDOCK_CONFIG_DIR: '/t/c', CROSSDOCK_DATA_DIR: '/t/d', CROSSDOCK_RUNTIME_DIR: '/t/r' });
    expect(paths).toEqual({ configDir: '/t/c', dataDir: '/t/d', runtimeDir: '/t/r' });
  });
});
