// Decides whether a test that must act as root (create a user, run a command as that user) can
// run here. As in engines.ts: a CI run (as root, by .ci/run) fails loudly when it cannot, while a
// developer's machine skips and says why.
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { isCi, type EngineRequirement } from './engines';

const TOOLS = ['setpriv', 'useradd', 'groupadd', 'ps'];

export async function requirePrivileges(what: string, env: NodeJS.ProcessEnv = process.env): Promise<EngineRequirement> {
  const reason = await whyNot(env);
  if (reason === null) return { skip: false, reason: null };
  if (isCi(env)) throw new Error(`${what} must run on CI, but ${reason}`);
  console.warn(`skipping ${what}: ${reason}`);
  return { skip: true, reason };
}

async function whyNot(env: NodeJS.ProcessEnv): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'not running as root (it creates a system user and runs Crossdock as that user)';
  for (const tool of TOOLS) {
    if (!(await findOnPath(tool, env))) return `${tool} not found on PATH`;
  }
  return null;
}
