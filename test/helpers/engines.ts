// Decides whether the integration tests of an engine can run here. Where the engine is missing,
// a CI run must fail loudly (a CI machine without Docker is a broken CI machine, not a pass),
// while a developer's machine skips the suite and says why.
import { statSync } from 'node:fs';
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { socketAnswers } from '../../electron/engines/docker-api/ping';

export type TestEngineName = 'docker' | 'podman';

export interface EngineRequirement {
  /** Pass to `describe.skipIf`. */
  skip: boolean;
  /** Why the suite cannot run; null when it can. */
  reason: string | null;
}

export const DOCKER_SOCKET = '/var/run/docker.sock';

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/**
 * Use with top-level await: `const docker = await requireEngine('docker');
 * describe.skipIf(docker.skip)(...)`. Throws under CI when the engine is missing.
 */
export async function requireEngine(name: TestEngineName, env: NodeJS.ProcessEnv = process.env): Promise<EngineRequirement> {
  const reason = await whyMissing(name, env);
  if (reason === null) return { skip: false, reason: null };
  const line = `skipping ${name} tests: ${reason}`;
  if (isCi(env)) throw new Error(`${name} is required on CI, but ${reason}`);
  console.warn(line);
  return { skip: true, reason };
}

async function whyMissing(name: TestEngineName, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (name === 'podman') {
    return (await findOnPath('podman', env)) ? null : 'podman binary not found on PATH';
  }
  if (!isSocket(DOCKER_SOCKET)) return `no Docker socket at ${DOCKER_SOCKET}`;
  if (!(await socketAnswers(DOCKER_SOCKET, 3_000))) return `nothing answers on ${DOCKER_SOCKET} (is dockerd running?)`;
  return null;
}

/** A second, private dockerd needs the daemon binary itself, not only a client. */
export async function requireDockerd(env: NodeJS.ProcessEnv = process.env): Promise<EngineRequirement> {
  const dockerd = await findOnPath('dockerd', env);
  if (dockerd) return { skip: false, reason: null };
  const reason = 'dockerd not found on PATH (needed for a private daemon)';
  if (isCi(env)) throw new Error(`dockerd is required on CI, but ${reason}`);
  console.warn(`skipping the daemon-death tests: ${reason}`);
  return { skip: true, reason };
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}
