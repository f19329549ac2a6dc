// Where a Podman connection's API socket is: CONTAINER_HOST when set, else Podman's own default
// for the connection (rootful /run/podman/podman.sock, rootless $XDG_RUNTIME_DIR/podman/podman.sock).
import { join } from 'node:path';
import { parseEngineHost, type EndpointParse } from '../docker-api/endpoint';

export const ROOTFUL_PODMAN_SOCKET = '/run/podman/podman.sock';

export function rootlessPodmanSocket(env: NodeJS.ProcessEnv, uid: number): string {
  const runtimeDir = env.XDG_RUNTIME_DIR?.trim() || `/run/user/${uid}`;
  return join(runtimeDir, 'podman', 'podman.sock');
}

/** CONTAINER_HOST, when set; only unix:// sockets are honoured for Podman. */
export function configuredPodmanHost(env: NodeJS.ProcessEnv): EndpointParse | null {
  const configured = env.CONTAINER_HOST?.trim();
  if (!configured) return null;
  const parsed = parseEngineHost(configured, 'CONTAINER_HOST');
  if (parsed.ok && parsed.endpoint.kind === 'unix') return parsed;
  return { ok: false, message: `CONTAINER_HOST=${configured}: Crossdock supports only unix:// sockets for Podman.` };
}
