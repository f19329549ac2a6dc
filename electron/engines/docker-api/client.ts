// The dockerode client for one endpoint. No API version is pinned: dockerode then calls the
// unversioned paths and the daemon answers in its own newest version (1.41 for Docker 20.10),
// which is what `docker version` negotiates too. Pinning a newer one would fail on old daemons.
import Dockerode from 'dockerode';
import type { DockerEndpoint } from './endpoint';

export function createDockerClient(endpoint: DockerEndpoint): Dockerode {
  return endpoint.kind === 'unix'
    ? new Dockerode({ socketPath: endpoint.socketPath })
    : new Dockerode({ host: endpoint.host, port: endpoint.port, protocol: 'http' });
}
