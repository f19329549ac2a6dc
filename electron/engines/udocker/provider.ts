// udocker from PyPI (`pip install udocker`), found on PATH. Without it one "udocker" engine still
// appears and reports "not-installed"; its repository folder is still listed when there is one.
import type { Engine, EngineContext, EngineProvider } from '../engine';
import { findOnPath } from '../docker-api/path-lookup';
import { UDOCKER_FAMILY, UdockerEngine } from './engine';

export const udockerProvider: EngineProvider = {
  family: UDOCKER_FAMILY,
  discover: (context) => discoverUdocker(context, process.getuid?.() ?? 0),
};

export async function discoverUdocker(context: EngineContext, uid: number): Promise<Engine[]> {
  const binaryPath = await findOnPath('udocker', context.env);
  return [new UdockerEngine({ binaryPath, env: context.env, runtimeDir: context.runtimeDir, log: context.log, uid })];
}
