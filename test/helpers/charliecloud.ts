// Decides whether Charliecloud's integration tests can run here, as requireEngine does for Docker
// and Podman: skipped with the reason on a developer's machine, a failure under CI=true.
import { existsSync } from 'node:fs';
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { isCi, type EngineRequirement } from './engines';

export async function requireCharliecloud(env: NodeJS.ProcessEnv = process.env): Promise<EngineRequirement> {
  const reason = await whyMissing(env);
  if (reason === null) return { skip: false, reason: null };
  if (isCi(env)) throw new Error(`charliecloud is required on CI, but ${reason}`);
  console.warn(`skipping charliecloud tests: ${reason}`);
  return { skip: true, reason };
}

async function whyMissing(env: NodeJS.ProcessEnv): Promise<string | null> {
  if (!(await findOnPath('ch-run', env))) return 'ch-run not found on PATH';
  if (!(await findOnPath('ch-image', env))) return 'ch-image not found on PATH';
  if (!existsSync('/usr/bin/python3')) return "Debian's /usr/bin/python3 (which ch-image needs) is missing";
  return null;
}
