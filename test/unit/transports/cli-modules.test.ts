import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../../electron/cli/args';
import { formatTable } from '../../../electron/cli/detect';
import { hasDisplay, whyNoWindow } from '../../../electron/cli/start';
import type { EngineStatus } from '../../../shared/model';

describe('parseCliArgs', () => {
  it('defaults to start on a free loopback port', () => {
    expect(parseCliArgs([])).toEqual({ command: 'start', serve: { port: 0, bind: '127.0.0.1', allowedHosts: [] } });
  });

  it('reads serve flags and detect --json', () => {
    expect(parseCliArgs(['serve', '--port', '8080', '--bind', '0.0.0.0', '--allow-host', 'a', '--allow-host', 'b'])).toEqual({
      command: 'serve',
      serve: { port: 8080, bind: '0.0.0.0', allowedHosts: ['a', 'b'] },
    });
    expect(parseCliArgs(['detect', '--json'])).toEqual({ command: 'detect', json: true });
  });

  it.each([['--port', '70000'], ['--port', '-1'], ['--port', '1e3'], ['serve', 'extra'], ['--json']])(
    'refuses %j',
    (...args) => {
      expect(() => parseCliArgs(args)).toThrow(UsageError);
    },
  );
});

describe('start', () => {
  it('needs a display on Linux only', () => {
    expect(hasDisplay({}, 'linux')).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(hasDisplay({}, 'darwin')).toBe(true);
    expect(hasDisplay({}, 'win32')).toBe(true);
  });

  it('explains in one line why the window is served to a browser', () => {
    expect(whyNoWindow(null, true)).toBe(
      'No Electron binary is installed (its download failed or was skipped), so Crossdock is serving its window to your browser instead.',
    );
    expect(whyNoWindow('/opt/electron', false)).toMatch(/^No display was found/);
    expect(whyNoWindow('/opt/electron', true)).toBeNull();
  });
});

describe('detect table', () => {
  it('lines up one row per engine', () => {
    const engine = {
      id: 'docker',
      state: 'ready',
      version: '24.0.5',
      endpoint: '/var/run/docker.sock',
      message: null,
      probe: { ok: true, exitCode: 37 },
    } as unknown as EngineStatus;
    const missing = { ...engine, id: 'podman', state: 'not-installed', version: null, endpoint: null, message: 'podman is not on PATH' };
    const lines = formatTable([engine, missing as EngineStatus]).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ENGINE\s+STATE\s+VERSION\s+ENDPOINT\s+NOTE$/);
    expect(lines[1]).toMatch(/^docker\s+ready\s+24\.0\.5\s+\/var\/run\/docker\.sock\s+test container exited 37$/);
    expect(lines[2]).toMatch(/^podman\s+not-installed\s+-\s+-\s+podman is not on PATH$/);
    expect(lines[1]!.indexOf('ready')).toBe(lines[2]!.indexOf('not-installed'));
  });
});
