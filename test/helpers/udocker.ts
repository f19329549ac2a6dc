// Whether the udocker integration tests can run here: udocker on PATH (pip install udocker).
// Missing, a developer's machine skips with the reason; under CI=true the run fails instead.
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { isCi, type EngineRequirement } from './engines';

export async function requireUdocker(env: NodeJS.ProcessEnv = process.env): Promise<EngineRequirement> {
  if (await findOnPath('udocker', env)) return { skip: false, reason: null };
  const reason = 'udocker not found on PATH (pip install udocker)';
  if (isCi(env)) throw new Error(`udocker is required on CI, but ${reason}`);
  console.warn(`skipping udocker tests: ${reason}`);
  return { skip: true, reason };
}

/** The host's environment without any UDOCKER_* setting, and a private repository folder. */
export function privateUdockerEnv(dir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('UDOCKER_')));
  return { ...clean, UDOCKER_DIR: dir };
}
