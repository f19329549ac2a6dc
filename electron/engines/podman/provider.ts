// Podman: as root, the rootful connection; as an ordinary user, the rootless one, plus the rootful
// one when its socket is open to this user. Discovery only decides which connections to show;
// each finds (or starts) its socket when it is first detected.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Engine, EngineContext, EngineProvider } from '../engine';
import { MisconfiguredEngine } from '../docker-api/misconfigured-engine';
import { configuredPodmanHost, ROOTFUL_PODMAN_SOCKET, rootlessPodmanSocket } from './endpoint';
import { PODMAN_FAMILY, PodmanEngine, type PodmanConnection } from './engine';

export const ROOTFUL_ID = 'podman';
export const ROOTLESS_ID = 'podman-rootless';

export const podmanProvider: EngineProvider = {
  family: PODMAN_FAMILY,
  discover: (context) => discoverPodman(context, process.getuid?.() ?? 0),
};

/** `uid` is passed in so the non-root layout can be tested as root. */
export async function discoverPodman(context: EngineContext, uid: number): Promise<Engine[]> {
  const asRoot = uid === 0;
  const configured = configuredPodmanHost(context.env);
  const ownId = asRoot ? ROOTFUL_ID : ROOTLESS_ID;
  const ownLabel = asRoot ? 'Podman (rootful)' : 'Podman (rootless)';
  if (configured && !configured.ok) return [new MisconfiguredEngine(ownId, ownLabel, PODMAN_FAMILY, configured.message)];

  const base = { env: context.env, runtimeDir: context.runtimeDir, log: context.log };
  const own: PodmanConnection = {
    ...base,
    id: ownId,
    label: ownLabel,
    rootless: !asRoot,
    defaultSocket: asRoot ? ROOTFUL_PODMAN_SOCKET : rootlessPodmanSocket(context.env, uid),
    configuredSocket: configured?.ok && configured.endpoint.kind === 'unix' ? configured.endpoint.socketPath : null,
    mayStartOwn: true,
  };
  const engines: Engine[] = [new PodmanEngine(own)];

  if (!asRoot && (await canUse(ROOTFUL_PODMAN_SOCKET))) {
    engines.push(
      new PodmanEngine({
        ...base,
        id: ROOTFUL_ID,
        label: 'Podman (rootful)',
        rootless: false,
        defaultSocket: ROOTFUL_PODMAN_SOCKET,
        configuredSocket: null,
        // A user cannot start root's service; the rootful connection is the running socket or nothing.
        mayStartOwn: false,
      }),
    );
  }
  return engines;
}

async function canUse(socketPath: string): Promise<boolean> {
  try {
    await access(socketPath, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
