// Where a Docker-API engine listens, read from DOCKER_HOST / CONTAINER_HOST style values.
// Only what Crossdock can honour is accepted; anything else is a clear message, not a guess.

export type DockerEndpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number };

export type EndpointParse = { ok: true; endpoint: DockerEndpoint } | { ok: false; message: string };

/** `unix:///path/to.sock` or `tcp://host:port`; `variable` names the setting in the message. */
export function parseEngineHost(value: string, variable: string): EndpointParse {
  const trimmed = value.trim();
  if (trimmed.startsWith('unix://')) {
    const socketPath = trimmed.slice('unix://'.length);
    if (!socketPath.startsWith('/')) {
      return { ok: false, message: `${variable}=${trimmed} does not name an absolute socket path.` };
    }
    return { ok: true, endpoint: { kind: 'unix', socketPath } };
  }
  if (trimmed.startsWith('tcp://')) {
    let url: URL;
    try {
      url = new URL(`http://${trimmed.slice('tcp://'.length)}`);
    } catch {
      return { ok: false, message: `${variable}=${trimmed} is not a valid tcp://host:port address.` };
    }
    // 2375 is Docker's conventional port for plain TCP.
    const port = url.port === '' ? 2375 : Number(url.port);
    return { ok: true, endpoint: { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port } };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1];
  return {
    ok: false,
    message: scheme
      ? `${variable} uses "${scheme}://", which Crossdock does not support yet: use unix:// or tcp://.`
      : `${variable}=${trimmed} is not an address Crossdock understands: use unix:///path/to.sock or tcp://host:port.`,
  };
}

/** How the endpoint reads in messages and in the engine status. */
export function describeEndpoint(endpoint: DockerEndpoint): string {
  return endpoint.kind === 'unix' ? endpoint.socketPath : `tcp://${endpoint.host}:${endpoint.port}`;
}
