// Runs Charliecloud's programs: an argument array (never a shell), a time limit, the caller's
// abort signal and the host's environment with $USER filled in (ch-run and ch-image refuse to
// start without it). ch-image is a Python program that needs Debian's python3 (with lark), so it
// is started through /usr/bin/python3 rather than whichever python3 comes first on PATH.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter } from 'node:path';
import { runCli, type CliOutcome } from '../cli-runner';

export type { CliOutcome };

export interface CliCall {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs: number;
}

export function runProgram(file: string, args: string[], call: CliCall): Promise<CliOutcome> {
  return runCli(file, args, { ...call, env: childEnv(call.env) });
}

/** The user name Charliecloud will use: $USER, else the account's name. */
export function charliecloudUser(env: NodeJS.ProcessEnv): string {
  if (env.USER) return env.USER;
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'nobody');
  }
}

/** The environment a Charliecloud program gets: the host's, with $USER set when it was missing. */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.USER ? env : { ...env, USER: charliecloudUser(env) };
}

export const DEBIAN_PYTHON = '/usr/bin/python3';

/**
 * How to start ch-image: through Debian's python3 where there is one (with /usr/bin first on
 * its PATH, for the programs it runs in turn), else directly.
 */
export function chImageCommand(chImagePath: string, env: NodeJS.ProcessEnv, pythonExists = existsSync(DEBIAN_PYTHON)): { file: string; prefix: string[]; env: NodeJS.ProcessEnv } {
  if (!pythonExists) return { file: chImagePath, prefix: [], env };
  const path = ['/usr/bin', ...(env.PATH ?? '').split(delimiter).filter((folder) => folder !== '' && folder !== '/usr/bin')].join(delimiter);
  return { file: DEBIAN_PYTHON, prefix: [chImagePath], env: { ...env, PATH: path } };
}

/** The first line of a program's complaint, without ch-run's "ch-run[1234]: " prefix. */
export function firstLine(text: string): string {
  const line = text.split('\n').map((candidate) => candidate.trim()).find((candidate) => candidate !== '') ?? '';
  return line.replace(/^ch-[a-z]+\[\d+\]:\s*/, '').slice(0, 1000);
}
