// Where Crossdock keeps things, following the XDG Base Directory specification: settings under
// $XDG_CONFIG_HOME/crossdock, job records and logs under $XDG_DATA_HOME/crossdock, sockets and
// other per-session files under $XDG_RUNTIME_DIR/crossdock (or a private folder in the temp dir).
// CROSSDOCK_CONFIG_DIR / CROSSDOCK_DATA_DIR override them (tests use isolated folders).
import { mkdirSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface AppPaths {
  configDir: string;
  dataDir: string;
  runtimeDir: string;
}

/** XDG says a relative value is invalid and must be ignored. */
function absoluteOr(value: string | undefined, fallback: string): string {
  return value && isAbsolute(value) ? value : fallback;
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env): AppPaths {
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
  const configHome = absoluteOr(env.XDG_CONFIG_HOME, join(home, '.config'));
  const dataHome = absoluteOr(env.XDG_DATA_HOME, join(home, '.local', 'share'));
  const runtimeHome = absoluteOr(env.XDG_RUNTIME_DIR, join(tmpdir(), `crossdock-${userInfo().uid}`));
  return {
    configDir: absoluteOr(env.CROSSDOCK_CONFIG_DIR, join(configHome, 'crossdock')),
    dataDir: absoluteOr(env.CROSSDOCK_DATA_DIR, join(dataHome, 'crossdock')),
    runtimeDir: absoluteOr(env.CROSSDOCK_RUNTIME_DIR, join(runtimeHome, 'crossdock')),
  };
}

/** Creates the folders, private to the user (0700) as XDG asks of the runtime folder. */
export function ensurePaths(paths: AppPaths): AppPaths {
  for (const dir of [paths.configDir, paths.dataDir, paths.runtimeDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return paths;
}
