// Where Docker listens: DOCKER_HOST (unix:// or tcp://) when set, else the system socket.
import { parseEngineHost, type EndpointParse } from '../docker-api/endpoint';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export function dockerEndpoint(env: NodeJS.ProcessEnv): EndpointParse {
  const configured = env.DOCKER_HOST?.trim();
  if (configured) return parseEngineHost(configured, 'DOCKER_HOST');
  return { ok: true, endpoint: { kind: 'unix', socketPath: DEFAULT_DOCKER_SOCKET } };
}
