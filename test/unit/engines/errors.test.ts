// Error mapping: dockerode's real errors (from a dead socket, and from recorded HTTP error bodies
// replayed over a socket) become ApiErrors with kinds the window can act on and clear words.
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/errors';
import { toEngineError, type ErrorContext } from '../../../electron/engines/docker-api/errors';
import { DockerApiEngine } from '../../../electron/engines/docker-api/engine';
import { toCliError } from '../../../electron/engines/podman/cli-errors';
import type { CliOutcome } from '../../../electron/engines/podman/cli';
import { recorded } from './recorded';
import { json, startReplayServer, type ReplayServer } from './replay-server';

const dockerContext: ErrorContext = {
  engineId: 'docker',
  product: 'Docker',
  endpoint: '/var/run/docker.sock',
  permissionHint: 'The usual fix: add your user to the "docker" group (sudo usermod -aG docker $USER) and log in again.',
};

async function caught(work: Promise<unknown>): Promise<unknown> {
  return work.then(() => {
    throw new Error('expected a failure');
  }, (error: unknown) => error);
}

describe('socket errors', () => {
  it('no socket file (ENOENT, as dockerode reports it) -> engine-unavailable, naming the socket', async () => {
    const error = await caught(new Dockerode({ socketPath: '/nonexistent/docker.sock' }).listImages());
    const mapped = toEngineError(error, { ...dockerContext, endpoint: '/nonexistent/docker.sock' });
    expect(mapped).toBeInstanceOf(ApiError);
    expect(mapped.kind).toBe('engine-unavailable');
    expect(mapped.message).toBe('Docker is not running: nothing answers on /nonexistent/docker.sock.');
    expect(mapped.engineId).toBe('docker');
  });

  it('ECONNREFUSED -> engine-unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED', syscall: 'connect' });
    expect(toEngineError(refused, dockerContext)).toMatchObject({
      kind: 'engine-unavailable',
      message: 'Docker is not running: nothing answers on /var/run/docker.sock.',
    });
  });

  it('EACCES -> permission-denied, naming the socket and the docker group', () => {
    // As root no socket refuses us, so the errno Node gives an ordinary user is built here.
    const denied = Object.assign(new Error('connect EACCES /var/run/docker.sock'), { code: 'EACCES', syscall: 'connect' });
    const mapped = toEngineError(denied, dockerContext);
    expect(mapped.kind).toBe('permission-denied');
    expect(mapped.message).toContain('/var/run/docker.sock');
    expect(mapped.message).toContain('"docker" group');
  });

  it('a daemon dropping the connection mid-request -> engine-unavailable', () => {
    const hangUp = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toEngineError(hangUp, dockerContext).kind).toBe('engine-unavailable');
  });

  it('an aborted request -> cancelled', () => {
    const aborted = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    expect(toEngineError(aborted, dockerContext).kind).toBe('cancelled');
  });
});

describe('HTTP errors with the engines\' recorded bodies', () => {
  let server: ReplayServer;
  let engine: DockerApiEngine;
  const id = 'sha256:' + 'a'.repeat(64);

  beforeAll(async () => {
    server = await startReplayServer({
      [`GET /images/${id}/json`]: json(404, recorded('docker-image-inspect-404.json')),
      [`GET /images/${id}/history`]: json(404, recorded('docker-image-inspect-404.json')),
      // A short id is resolved to the full one before a removal (to tell the image from its layers).
      'GET /images/ea540532910a/json': json(200, recorded('docker-image-inspect.json')),
      'GET /images/0f91eb56d0fa/json': json(200, recorded('podman-compat-image-inspect.json')),
      'DELETE /images/rec/busybox:1': json(409, recorded('docker-image-delete-409.json')),
      'DELETE /images/localhost/rec/busybox:1': json(409, recorded('podman-compat-image-delete-409.json')),
      // Prune lists the dangling images first, to tell their ids from their layers'.
      'GET /images/json': json(200, []),
      'POST /images/prune': json(500, { message: 'a prune operation is already running' }),
    });
    engine = new DockerApiEngine({
      id: 'docker',
      label: 'Docker',
      family: 'docker',
      product: 'Docker',
      endpoint: { kind: 'unix', socketPath: server.socketPath },
      via: 'replay',
      rootless: null,
      permissionHint: '',
      familyAttribute: 'HasDocker',
      gpuFlag: '--gpus',
      whenSocketMissing: () => {
        throw new Error('unused');
      },
      log: () => undefined,
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('404 -> not-found: the image is no longer there', async () => {
    const error = (await caught(engine.inspectImage(id, new AbortController().signal))) as ApiError;
    expect(error.kind).toBe('not-found');
    expect(error.message).toMatch(new RegExp(`^image ${id} is no longer in Docker — removed outside Crossdock\\?`));
  });

  it('409 -> conflict in Docker\'s own words', async () => {
    const error = (await caught(engine.removeImage({ imageId: 'ea540532910a', reference: 'rec/busybox:1', force: false }))) as ApiError;
    expect(error.kind).toBe('conflict');
    expect(error.message).toBe(recorded<{ message: string }>('docker-image-delete-409.json').message);
  });

  it('409 from Podman\'s compatible API -> conflict in Podman\'s words', async () => {
    const error = (await caught(engine.removeImage({ imageId: '0f91eb56d0fa', reference: 'localhost/rec/busybox:1', force: false }))) as ApiError;
    expect(error.kind).toBe('conflict');
    expect(error.message).toMatch(/image is in use by a container/);
  });

  it('anything else -> internal, with the engine\'s message', async () => {
    const error = (await caught(engine.pruneImages())) as ApiError;
    expect(error.kind).toBe('internal');
    expect(error.message).toBe('Docker: a prune operation is already running');
  });
});

describe('podman CLI errors (recorded stderr)', () => {
  const outcome = (exitCode: number | null, stderr: string, extra: Partial<CliOutcome> = {}): CliOutcome => ({
    exitCode,
    stdout: '',
    stderr,
    spawnError: null,
    timedOut: false,
    cancelled: false,
    ...extra,
  });

  it.each([
    [outcome(125, 'Error: inspecting object: nonexist:1: image not known'), 'not-found', /^image nonexist:1 is no longer in Podman/],
    [outcome(1, 'Error: nonexist:1: image not known'), 'not-found', /removed outside Crossdock/],
    [
      outcome(2, 'Error: image used by 31f139947740b49bb14da742f48af30b101910ceb6d49892b2c7e14d61fb8f4d: image is in use by a container: consider listing external containers and force-removing image'),
      'conflict',
      /^image used by 31f1.*image is in use by a container/,
    ],
    [
      outcome(125, 'Error: unable to delete image "f430990071213f0368b3207795e431b6de40358171039068af11fbef7f4dffa0" by digest with more than one tag ([localhost/rec/y:1 localhost/rec/y:2]): please force removal'),
      'conflict',
      /more than one tag/,
    ],
    [outcome(125, 'Error: something odd'), 'internal', /^Podman: something odd$/],
    [outcome(null, '', { spawnError: 'ENOENT' }), 'engine-unavailable', /podman program is not on PATH/],
    [outcome(null, '', { timedOut: true }), 'timeout', /did not finish in time/],
  ] as const)('%# -> %s', (failure, kind, message) => {
    const error = toCliError(failure, { engineId: 'podman', subject: 'nonexist:1' });
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });
});
