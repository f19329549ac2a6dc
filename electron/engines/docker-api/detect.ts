// Detection of an engine behind the Docker API: is the socket there, does it answer /version,
// and does the test container come back with exit code 37. Never throws: every failure is a
// state with a message.
import { stat } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import type { Detection, DetectOptions } from '../engine';
import { abortable } from './abortable';
import { notReady, probeNotAttempted, PROBE_PENDING, type DetectionBasics } from './detection';
import { describeEndpoint, type DockerEndpoint } from './endpoint';
import { toEngineError, type ErrorContext } from './errors';
import { pingVersion } from './ping-version';
import { runProbe } from './probe';
import type { RawVersion } from './raw-types';

export interface DetectionPlan {
  docker: Dockerode;
  endpoint: DockerEndpoint;
  errors: ErrorContext;
  via: string;
  rootless: boolean | null;
  /** The attribute the probe proves for this family, e.g. "HasDocker". */
  familyAttribute: string;
  /**
   * The engine's documented GPU route ("--gpus", a CDI device): advertised with the engine, not
   * proven, since no GPU is there to prove it on.
   */
  gpuFlag: string;
  /** The socket file does not exist: the provider knows whether that means "not installed". */
  whenSocketMissing: (basics: DetectionBasics) => Detection | Promise<Detection>;
  log: (message: string) => void;
}

export async function detectDockerApi(plan: DetectionPlan, signal: AbortSignal, options: DetectOptions): Promise<Detection> {
  const basics: DetectionBasics = { endpoint: describeEndpoint(plan.endpoint), via: plan.via, rootless: plan.rootless };

  if (plan.endpoint.kind === 'unix') {
    const missing = await checkSocketFile(plan.endpoint.socketPath, plan, basics);
    if (missing) return missing;
  }

  let version: RawVersion;
  try {
    version = options.probe
      ? ((await abortable(readVersion(plan.docker, signal), signal)) as RawVersion)
      : await pingVersion(plan.endpoint, signal);
  } catch (error) {
    const failure = toEngineError(error, plan.errors);
    if (failure.kind === 'engine-unavailable') return notReady('unreachable', failure.message, basics);
    if (failure.kind === 'permission-denied') return notReady('permission-denied', failure.message, basics);
    return notReady('error', failure.message, basics);
  }

  const found = { version: version.Version ?? null, apiVersion: version.ApiVersion ?? null };
  if (!options.probe) {
    return { state: 'checking', ...found, ...basics, message: null, probe: probeNotAttempted(PROBE_PENDING), attributes: { HasDockerAPI: true } };
  }
  const probe = await runProbe(plan.docker, signal, plan.log);
  const attributes: Detection['attributes'] = { HasDockerAPI: true, ProbeExitCodeKept: probe.ok };
  if (probe.ok) {
    attributes[plan.familyAttribute] = true;
    attributes.GpuFlag = plan.gpuFlag;
  }
  return {
    state: probe.ok ? 'ready' : 'degraded',
    ...found,
    ...basics,
    message: probe.ok ? null : `${plan.errors.product} answers, but ${probe.message ?? 'the test container failed'}.`,
    probe,
    attributes,
  };
}

/** A Detection when the socket file cannot be used at all, else null. */
async function checkSocketFile(socketPath: string, plan: DetectionPlan, basics: DetectionBasics): Promise<Detection | null> {
  try {
    const info = await stat(socketPath);
    if (!info.isSocket()) return notReady('error', `${socketPath} exists but is not a socket.`, basics);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return plan.whenSocketMissing(basics);
    if (code === 'EACCES') return notReady('permission-denied', toEngineError(error, plan.errors).message, basics);
    return notReady('error', `cannot read ${socketPath}: ${(error as Error).message}`, basics);
  }
}

/** dockerode's version() takes an abort signal at runtime; its types do not say so. */
function readVersion(docker: Dockerode, signal: AbortSignal): Promise<unknown> {
  const version = docker.version as unknown as (options: { abortSignal: AbortSignal }) => Promise<unknown>;
  return version.call(docker, { abortSignal: signal });
}
