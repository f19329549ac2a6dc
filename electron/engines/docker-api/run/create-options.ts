// A RunSpec as the body of POST /containers/create: the same container `docker run` would make
// from the flags in command-line.ts. No AutoRemove: the exit code must be read before the
// container goes, so the runner removes it itself once the job ended.
import type Dockerode from 'dockerode';
import type { RunSpec } from '../../../../shared/run';
import type { RunDialect } from './dialect';

/** Marks the containers Crossdock made for jobs (for listing and cleaning up after a crash). */
export const JOB_LABEL = 'org.crossdock.job';

/** What the container runs: the tag when the job names one, else the image id. */
export function imageOf(spec: RunSpec): string {
  return spec.image.reference ?? spec.image.imageId;
}

export function bindOf(bind: RunSpec['binds'][number]): string {
  return `${bind.hostPath}:${bind.containerPath}${bind.readOnly ? ':ro' : ''}`;
}

/** "80/tcp": the key the API uses for a container port. */
export function portKey(port: RunSpec['ports'][number]): string {
  return `${port.containerPort}/${port.protocol}`;
}

/** "8080:80/tcp": the -p flag's value. */
export function publishOf(port: RunSpec['ports'][number]): string {
  return `${port.hostPort}:${portKey(port)}`;
}

export function containerCreateOptions(spec: RunSpec, dialect: RunDialect): Dockerode.ContainerCreateOptions {
  const hostConfig: Dockerode.HostConfig = {};
  if (spec.binds.length > 0) hostConfig.Binds = spec.binds.map(bindOf);
  // "default" leaves the engine's choice alone (Docker's bridge, Podman's default network).
  if (spec.network !== 'default') hostConfig.NetworkMode = spec.network;
  if (spec.ports.length > 0) {
    hostConfig.PortBindings = Object.fromEntries(spec.ports.map((port) => [portKey(port), [{ HostPort: String(port.hostPort) }]]));
  }
  if (spec.gpu && dialect.gpu.kind === 'device-requests') {
    // What `docker run --gpus all` sends: every GPU, through whichever driver provides "gpu".
    hostConfig.DeviceRequests = [{ Driver: '', Count: -1, DeviceIDs: [], Capabilities: [['gpu']], Options: {} }];
  }

  const options: Dockerode.ContainerCreateOptions = {
    Image: imageOf(spec),
    Env: spec.env.map((variable) => `${variable.name}=${variable.value}`),
    Labels: { [JOB_LABEL]: '1' },
    Tty: spec.tty,
    // stdin exists only for a terminal; a batch job reads /dev/null, as `docker run` without -i.
    OpenStdin: spec.tty,
    AttachStdin: spec.tty,
    AttachStdout: true,
    AttachStderr: true,
    // Not StdinOnce: closing our attach (Crossdock quits) must not close the program's stdin, so
    // that a re-attached window can still type into it.
    StdinOnce: false,
    HostConfig: hostConfig,
  };
  // A published port must also be exposed, as `docker run -p` does implicitly.
  if (spec.ports.length > 0) options.ExposedPorts = Object.fromEntries(spec.ports.map((port) => [portKey(port), {}]));
  // An empty command keeps the image's own CMD.
  if (spec.command.length > 0) options.Cmd = spec.command;
  if (spec.workdir !== null) options.WorkingDir = spec.workdir;
  if (spec.user !== null) options.User = spec.user;
  return options;
}
