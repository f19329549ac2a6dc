// Where each engine is looked for: DOCKER_HOST / CONTAINER_HOST parsing and Podman's defaults.
import { describe, expect, it } from 'vitest';
import { parseEngineHost } from '../../../electron/engines/docker-api/endpoint';
import { dockerEndpoint } from '../../../electron/engines/docker/endpoint';
import { configuredPodmanHost, rootlessPodmanSocket } from '../../../electron/engines/podman/endpoint';

describe('engine host settings', () => {
  it('Docker defaults to the system socket', () => {
    expect(dockerEndpoint({})).toEqual({ ok: true, endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' } });
  });

  it('honours unix:// and tcp:// in DOCKER_HOST', () => {
    expect(dockerEndpoint({ DOCKER_HOST: 'unix:///tmp/x/docker.sock' })).toEqual({ ok: true, endpoint: { kind: 'unix', socketPath: '/tmp/x/docker.sock' } });
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.2:2376' })).toEqual({ ok: true, endpoint: { kind: 'tcp', host: '10.0.0.2', port: 2376 } });
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://build-host' })).toEqual({ ok: true, endpoint: { kind: 'tcp', host: 'build-host', port: 2375 } });
  });

  it('explains what it cannot honour', () => {
    expect(dockerEndpoint({ DOCKER_HOST: 'ssh://me@host' })).toEqual({
      ok: false,
      message: 'DOCKER_HOST uses "ssh://", which Crossdock does not support yet: use unix:// or tcp://.',
    });
    expect(parseEngineHost('unix://relative.sock', 'DOCKER_HOST')).toMatchObject({ ok: false, message: expect.stringMatching(/absolute socket path/) });
    expect(parseEngineHost('/var/run/docker.sock', 'DOCKER_HOST')).toMatchObject({ ok: false, message: expect.stringMatching(/use unix:\/\/\/path/) });
  });

  it('Podman: CONTAINER_HOST must be a unix socket; rootless defaults follow XDG_RUNTIME_DIR', () => {
    expect(configuredPodmanHost({})).toBeNull();
    expect(configuredPodmanHost({ CONTAINER_HOST: 'unix:///run/user/1000/podman/podman.sock' })).toMatchObject({ ok: true });
    expect(configuredPodmanHost({ CONTAINER_HOST: 'tcp://host:8080' })).toMatchObject({ ok: false, message: expect.stringMatching(/only unix:\/\//) });
    expect(rootlessPodmanSocket({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000)).toBe('/run/user/1000/podman/podman.sock');
    expect(rootlessPodmanSocket({}, 1234)).toBe('/run/user/1234/podman/podman.sock');
  });
});
