// Docker: one connection, at DOCKER_HOST when set, else the system socket.
import type { Engine, EngineContext, EngineProvider } from '../engine';
import { DockerApiEngine } from '../docker-api/engine';
import { MisconfiguredEngine } from '../docker-api/misconfigured-engine';
import { dockerRunDialect } from '../docker-api/run/dialect';
import { dockerEndpoint } from './endpoint';
import { explainMissingSocket } from './missing-socket';

export const DOCKER_ENGINE_ID = 'docker';
const LABEL = 'Docker';
const FAMILY = 'docker';

export const dockerProvider: EngineProvider = {
  family: FAMILY,
  async discover(context: EngineContext): Promise<Engine[]> {
    return [createDockerEngine(context)];
  },
};

export function createDockerEngine(context: EngineContext): Engine {
  const parsed = dockerEndpoint(context.env);
  if (!parsed.ok) return new MisconfiguredEngine(DOCKER_ENGINE_ID, LABEL, FAMILY, parsed.message);
  const { endpoint } = parsed;
  return new DockerApiEngine({
    id: DOCKER_ENGINE_ID,
    label: LABEL,
    family: FAMILY,
    product: 'Docker',
    endpoint,
    via: endpoint.kind === 'unix' ? 'Docker API over unix socket' : 'Docker API over TCP',
    // Docker has no rootless flag in /version; a rootless daemon's socket lives under the user's runtime dir.
    rootless: endpoint.kind === 'unix' ? endpoint.socketPath.startsWith('/run/user/') : null,
    permissionHint: 'The usual fix: add your user to the "docker" group (sudo usermod -aG docker $USER) and log in again.',
    familyAttribute: 'HasDocker',
    gpuFlag: '--gpus',
    runDialect: dockerRunDialect,
    whenSocketMissing: (basics) => explainMissingSocket(basics, context.env),
    log: context.log,
  });
}
