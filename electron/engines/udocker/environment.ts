// The environment udocker runs with, and its folder. udocker keeps everything under $UDOCKER_DIR
// (default ~/.udocker): its tools (bin/, lib/), images (repos/, layers/) and containers. Its tools
// normally come from a tarball it downloads on first use; where that cannot work (no network), the
// system's own proot, runc, libfakechroot and patchelf can stand in, and udocker is told so through
// its UDOCKER_USE_*_EXECUTABLE variables for Crossdock's calls only. The user's environment wins
// whenever it sets a variable itself.
import { constants } from 'node:fs';
import { access, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../docker-api/path-lookup';

export function udockerDir(env: NodeJS.ProcessEnv): string {
  const configured = env.UDOCKER_DIR?.trim();
  if (configured) return configured;
  return join(env.HOME?.trim() || homedir(), '.udocker');
}

/** Where Debian (and most distributions) put the system stand-ins for udocker's tools. */
export const SYSTEM_TOOL_CANDIDATES: Record<SystemToolVariable, { names: string[]; paths: string[] }> = {
  UDOCKER_USE_PROOT_EXECUTABLE: { names: ['proot'], paths: ['/usr/bin/proot'] },
  UDOCKER_USE_RUNC_EXECUTABLE: { names: ['runc', 'crun'], paths: ['/usr/sbin/runc', '/usr/bin/runc', '/usr/bin/crun'] },
  UDOCKER_FAKECHROOT_SO: {
    names: [],
    paths: ['/usr/lib/x86_64-linux-gnu/fakechroot/libfakechroot.so', '/usr/lib/aarch64-linux-gnu/fakechroot/libfakechroot.so'],
  },
  UDOCKER_USE_PATCHELF_EXECUTABLE: { names: ['patchelf'], paths: ['/usr/bin/patchelf'] },
};
export type SystemToolVariable =
  | 'UDOCKER_USE_PROOT_EXECUTABLE'
  | 'UDOCKER_USE_RUNC_EXECUTABLE'
  | 'UDOCKER_FAKECHROOT_SO'
  | 'UDOCKER_USE_PATCHELF_EXECUTABLE';

export interface UdockerEnvironment {
  dir: string;
  /** The environment for Crossdock's udocker calls. */
  env: NodeJS.ProcessEnv;
  /** The variables Crossdock added (the user's environment did not set them), for the log. */
  added: Partial<Record<SystemToolVariable, string>>;
}

/** The host's environment plus the system tools udocker was not told about. */
export async function udockerEnvironment(env: NodeJS.ProcessEnv): Promise<UdockerEnvironment> {
  const dir = udockerDir(env);
  const added: UdockerEnvironment['added'] = {};
  // Where udocker's own tools are installed, the user's installation is used as it is. Not
  // lib/VERSION: Crossdock itself writes that file (see markToolsPresent), and after that the
  // stand-ins are still what udocker runs with.
  if (!(await ownEnginesInstalled(dir))) {
    for (const [variable, candidates] of Object.entries(SYSTEM_TOOL_CANDIDATES) as [SystemToolVariable, (typeof SYSTEM_TOOL_CANDIDATES)[SystemToolVariable]][]) {
      if (env[variable] !== undefined) continue;
      const found = await findSystemTool(candidates, env);
      if (found) added[variable] = found;
    }
  }
  return { dir, env: { ...env, UDOCKER_DIR: dir, ...added }, added };
}

async function findSystemTool(candidates: { names: string[]; paths: string[] }, env: NodeJS.ProcessEnv): Promise<string | null> {
  for (const path of candidates.paths) if (await isExecutableFile(path)) return path;
  for (const name of candidates.names) {
    const found = await findOnPath(name, env);
    if (found) return found;
  }
  return null;
}

/**
 * udocker's own engines, from its tools tarball, are in bin/ (proot-x86_64, runc-x86_64, ...).
 * Without them udocker needs the system's stand-ins, whatever lib/VERSION says.
 */
export async function ownEnginesInstalled(dir: string): Promise<boolean> {
  try {
    return (await readdir(join(dir, 'bin'))).some((name) => name.startsWith('proot') || name.startsWith('runc'));
  } catch {
    return false;
  }
}

/** udocker's tools count as installed when lib/VERSION is there (udocker's own test). */
export async function toolsInstalled(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'lib', 'VERSION'))).isFile();
  } catch {
    return false;
  }
}

/**
 * Without its tools udocker tries to download them before every run, and fails offline. When the
 * tools are missing, the user did not point UDOCKER_TARBALL anywhere, and the system's proot or
 * runc stands in for them, mark the tools as present by writing the release udocker asks for into
 * lib/VERSION, the way an installation would. Returns what was done, for the log; null when nothing.
 */
export async function markToolsPresent(environment: UdockerEnvironment, tarballRelease: string | null): Promise<string | null> {
  const { dir, env } = environment;
  if (!tarballRelease || env.UDOCKER_TARBALL !== undefined) return null;
  if (await toolsInstalled(dir)) return null;
  const standIns = [env.UDOCKER_USE_PROOT_EXECUTABLE, env.UDOCKER_USE_RUNC_EXECUTABLE].filter((path): path is string => !!path);
  if (standIns.length === 0) return null;
  await mkdir(join(dir, 'lib'), { recursive: true });
  const file = join(dir, 'lib', 'VERSION');
  await writeFile(file, `${tarballRelease}\n`, { flag: 'wx' }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return `udocker's tools were not installed in ${dir} and cannot be downloaded here: wrote ${tarballRelease} into ${file} so that udocker uses the system's ${standIns.join(' and ')}`;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
