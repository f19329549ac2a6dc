// The Docker socket is not there. Whether that means "not installed" or "not running" depends on
// what else is on the machine: a docker client alone (common in CI images) is not a daemon.
import type { Detection } from '../engine';
import { notReady, type DetectionBasics } from '../docker-api/detection';
import { findOnPath } from '../docker-api/path-lookup';

export async function explainMissingSocket(basics: DetectionBasics, env: NodeJS.ProcessEnv): Promise<Detection> {
  const [daemon, client] = await Promise.all([findOnPath('dockerd', env), findOnPath('docker', env)]);
  const where = basics.endpoint ?? 'its socket';
  if (daemon) {
    return notReady('unreachable', `Docker is installed (${daemon}) but not running: nothing answers on ${where}. Start the Docker service.`, basics);
  }
  if (client) {
    return notReady(
      'unreachable',
      `The docker client is there (${client}), but no Docker daemon answers on ${where}: start one, or point DOCKER_HOST at one.`,
      basics,
    );
  }
  return notReady('not-installed', `Docker is not installed: no docker or dockerd on PATH, and nothing at ${where}.`, basics);
}
