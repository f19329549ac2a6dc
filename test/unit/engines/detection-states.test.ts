// What detection says when there is nothing to talk to: decided from the files on this machine
// (socket present or not, which programs are on PATH), with folders made for each case.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../../electron/engines/docker/provider';
import { discoverPodman } from '../../../electron/engines/podman/provider';
import { ApiError } from '../../../shared/errors';

const never = new AbortController().signal;
let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'cd-detect-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** A folder for PATH holding stand-in programs of the given names (never run, only found). */
function pathWith(...names: string[]): string {
  const bin = join(folder, 'bin');
  rmSync(bin, { recursive: true, force: true });
  mkdirSync(bin);
  for (const name of names) {
    writeFileSync(join(bin, name), '#!/bin/sh\nexit 1\n');
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

function dockerAt(socket: string, path: string) {
  return createDockerEngine({ env: { DOCKER_HOST: `unix://${socket}`, PATH: path }, runtimeDir: folder, log: () => undefined });
}

describe('Docker without a daemon', () => {
  it('not-installed: no socket, no docker or dockerd on PATH', async () => {
    const detection = await dockerAt(join(folder, 'docker.sock'), pathWith()).detect(never, { probe: true });
    expect(detection).toMatchObject({ state: 'not-installed', probe: { attempted: false } });
    expect(detection.message).toMatch(/^Docker is not installed/);
  });

  it('unreachable: a docker client alone means no daemon answers', async () => {
    const bin = pathWith('docker');
    const detection = await dockerAt(join(folder, 'docker.sock'), bin).detect(never, { probe: true });
    expect(detection.state).toBe('unreachable');
    expect(detection.message).toBe(
      `The docker client is there (${join(bin, 'docker')}), but no Docker daemon answers on ${join(folder, 'docker.sock')}: start one, or point DOCKER_HOST at one.`,
    );
  });

  it('unreachable: dockerd installed but not running', async () => {
    const detection = await dockerAt(join(folder, 'docker.sock'), pathWith('docker', 'dockerd')).detect(never, { probe: true });
    expect(detection.state).toBe('unreachable');
    expect(detection.message).toMatch(/^Docker is installed \(.*dockerd\) but not running/);
  });

  it('error: a DOCKER_HOST Crossdock cannot use shows up with the reason, and calls refuse', async () => {
    const engine = createDockerEngine({ env: { DOCKER_HOST: 'ssh://me@host' }, runtimeDir: folder, log: () => undefined });
    expect(engine.id).toBe('docker');
    expect(await engine.detect(never, { probe: true })).toMatchObject({ state: 'error', message: expect.stringMatching(/ssh:\/\//) });
    await expect(engine.listImages(never)).rejects.toBeInstanceOf(ApiError);
  });

  it('error: the path is not a socket', async () => {
    const file = join(folder, 'plain-file');
    writeFileSync(file, '');
    expect(await dockerAt(file, pathWith()).detect(never, { probe: true })).toMatchObject({ state: 'error', message: `${file} exists but is not a socket.` });
  });
});

describe('Podman without podman', () => {
  it('not-installed: no podman on PATH and no socket', async () => {
    const [engine, ...rest] = await discoverPodman({ env: { PATH: pathWith(), XDG_RUNTIME_DIR: folder }, runtimeDir: folder, log: () => undefined }, 1000);
    expect(rest).toEqual([]);
    expect(engine!.id).toBe('podman-rootless');
    const detection = await engine!.detect(never, { probe: true });
    expect(detection).toMatchObject({ state: 'not-installed', rootless: true });
    expect(detection.message).toContain(join(folder, 'podman', 'podman.sock'));
    await expect(engine!.listImages(never)).rejects.toMatchObject({ kind: 'engine-unavailable' });
    await engine!.dispose();
  });

  it('error: CONTAINER_HOST that is not a unix socket', async () => {
    const [engine] = await discoverPodman({ env: { CONTAINER_HOST: 'ssh://core@vm/run/podman/podman.sock' }, runtimeDir: folder, log: () => undefined }, 0);
    expect(await engine!.detect(never, { probe: true })).toMatchObject({ state: 'error', message: expect.stringMatching(/only unix:\/\//) });
  });
});
