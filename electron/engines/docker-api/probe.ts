// Runs the test container on a Docker-API engine: makes sure the probe image is there (imports
// it from memory when not), runs /probe with no network, and reads back the exit code. Whatever
// happens, the container is removed.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ProbeResult } from '../../../shared/model';
import { abortable } from './abortable';
import { probeNotAttempted } from './detection';
import { engineWords } from './errors';
import { drainProgress } from './ndjson';
import {
  PROBE_EXIT_CODE,
  PROBE_IMAGE_REFERENCE,
  PROBE_LABEL,
  probeArchitecture,
  probeImageTar,
} from './probe-image';

export async function runProbe(docker: Dockerode, signal: AbortSignal, log: (message: string) => void): Promise<ProbeResult> {
  const arch = probeArchitecture();
  if (!arch) return probeNotAttempted(`Crossdock has no probe program for this machine's architecture (${process.arch}).`);

  const started = performance.now();
  const failed = (message: string, exitCode: number | null = null): ProbeResult => ({
    attempted: true,
    ok: false,
    expectedExitCode: PROBE_EXIT_CODE,
    exitCode,
    durationMs: Math.round(performance.now() - started),
    message,
  });

  try {
    await ensureProbeImage(docker, signal, log);
  } catch (error) {
    return failed(`could not create the probe image: ${describe(error)}`);
  }

  await removeStaleProbeContainers(docker, log);
  let container: Dockerode.Container | null = null;
  try {
    container = await docker.createContainer({
      name: `crossdock-probe-${randomUUID().slice(0, 12)}`,
      Image: PROBE_IMAGE_REFERENCE,
      Cmd: ['/probe'],
      Labels: { [PROBE_LABEL]: '1' },
      // The probe needs no network; the shared daemons here have no bridge at all.
      HostConfig: { NetworkMode: 'none' },
      abortSignal: signal,
    } as Dockerode.ContainerCreateOptions);
    await container.start({ abortSignal: signal });
    const { StatusCode } = (await container.wait({ abortSignal: signal })) as { StatusCode?: number };
    const exitCode = typeof StatusCode === 'number' ? StatusCode : null;
    if (exitCode !== PROBE_EXIT_CODE) {
      return failed(`the test container exited with ${String(exitCode)}, not ${PROBE_EXIT_CODE}: the engine does not keep exit codes`, exitCode);
    }
    return {
      attempted: true,
      ok: true,
      expectedExitCode: PROBE_EXIT_CODE,
      exitCode,
      durationMs: Math.round(performance.now() - started),
      message: null,
    };
  } catch (error) {
    return failed(`the test container did not run: ${describe(error)}`);
  } finally {
    // No signal here: a timed-out detection must still not leave its container behind.
    if (container) await container.remove({ force: true }).catch((error: unknown) => log(`could not remove probe container: ${describe(error)}`));
  }
}

/**
 * Probe containers an earlier Crossdock could not remove (it was stopped mid-probe, or the engine
 * went away before the removal): finished ones are removed now. Running ones are left alone: they
 * may be another Crossdock's probe under way. (No "dead" in the filter: Podman 4.3 rejects that state.)
 */
async function removeStaleProbeContainers(docker: Dockerode, log: (message: string) => void): Promise<void> {
  try {
    const stale = await docker.listContainers({ all: true, filters: { label: [`${PROBE_LABEL}=1`], status: ['exited', 'created'] } });
    for (const { Id } of stale) await docker.getContainer(Id).remove({ force: true });
  } catch (error) {
    log(`could not remove earlier probe containers: ${describe(error)}`);
  }
}

/** Imports the probe image once; later detections find it by name. */
export async function ensureProbeImage(docker: Dockerode, signal: AbortSignal, log: (message: string) => void): Promise<void> {
  try {
    await abortable(docker.getImage(PROBE_IMAGE_REFERENCE).inspect(), signal);
    return;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  const arch = probeArchitecture();
  if (!arch) throw new Error(`no probe program for ${process.arch}`);
  const tar = probeImageTar(arch);
  // The tag goes inside `repo` ("name:tag", which the API allows): Podman 4.3's compatible import
  // ignores a separate `tag` and would name the image ":latest".
  const base = { repo: PROBE_IMAGE_REFERENCE, abortSignal: signal };
  try {
    await importTar(docker, tar, { ...base, changes: `LABEL ${PROBE_LABEL}=1` });
  } catch (error) {
    // The label only marks the image as Crossdock's; an engine that rejects `changes` gets none.
    log(`importing the probe image with its label failed (${describe(error)}); importing it without`);
    await importTar(docker, tar, base);
  }
}

/** POST /images/create?fromSrc=- (docker import), waiting for the engine to finish. */
export async function importTar(docker: Dockerode, tar: Buffer, options: Record<string, unknown>): Promise<void> {
  const progress = await docker.importImage(Readable.from([tar]), options);
  await drainProgress(progress);
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;
}

function describe(error: unknown): string {
  return typeof error === 'object' && error !== null ? engineWords(error) : String(error);
}
