// Reaching an engine cheaply. GET /_ping answers in milliseconds and names the server and its API
// version in its headers ("Server: Docker/20.10.24 (linux)", "Server: Libpod/4.3.1 (linux)",
// "Api-Version: 1.41"), while Podman's /version takes about 0.7 s because it gathers host
// information first. The first step of detection uses this; the full /version comes with the probe.
import { request } from 'node:http';
import type { DockerEndpoint } from './endpoint';
import type { RawVersion } from './raw-types';

export function pingVersion(endpoint: DockerEndpoint, signal: AbortSignal): Promise<RawVersion> {
  return new Promise((resolve, reject) => {
    const target = endpoint.kind === 'unix' ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
    const ping = request({ ...target, path: '/_ping', method: 'GET', signal }, (response) => {
      response.resume();
      if (response.statusCode !== 200) {
        // The shape dockerode gives its HTTP errors, so the usual error mapping applies.
        reject(Object.assign(new Error(`/_ping answered HTTP ${String(response.statusCode)}`), { statusCode: response.statusCode }));
        return;
      }
      const server = /^[A-Za-z-]+\/(\S+)/.exec(String(response.headers.server ?? ''));
      const apiVersion = response.headers['api-version'];
      resolve({ Version: server?.[1], ApiVersion: typeof apiVersion === 'string' ? apiVersion : undefined });
    });
    ping.on('error', reject);
    ping.end();
  });
}
