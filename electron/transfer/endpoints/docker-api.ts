// Docker, and Podman through its Docker-compatible socket (the route its adapter already uses):
// `save` as a stream out (GET /images/{name}/get), `load` as a stream in (POST /images/load).
// Nothing touches the disk on Crossdock's side.
import type { Readable } from 'node:stream';
import { statfs } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { ApiError } from '../../../shared/errors';
import type { Engine } from '../../engines/engine';
import { DockerApiEngine } from '../../engines/docker-api/engine';
import { createDockerClient } from '../../engines/docker-api/client';
import { engineWords } from '../../engines/docker-api/errors';
import { NdjsonSplitter } from '../../engines/docker-api/ndjson';
import { PodmanEngine } from '../../engines/podman/engine';
import { configuredPodmanHost, ROOTFUL_PODMAN_SOCKET, rootlessPodmanSocket } from '../../engines/podman/endpoint';
import { isConnectionLost, saysOutOfSpace } from '../target-errors';
import type { Received, Source, SourceFacts, Target, TargetCall, TransferContext } from './endpoint';

export function isDockerApiEngine(engine: Engine): boolean {
  return engine instanceof DockerApiEngine || engine instanceof PodmanEngine;
}

export async function dockerodeOf(engine: Engine, context: TransferContext): Promise<Dockerode> {
  if (engine instanceof DockerApiEngine) return engine.docker;
  if (engine instanceof PodmanEngine) {
    // Listing settles the connection's route (and starts Crossdock's own service if it must).
    await engine.listImages(AbortSignal.timeout(60_000));
    const started = await engine.startedService();
    const configured = configuredPodmanHost(context.env);
    const socketPath =
      started?.socketPath ??
      (configured?.ok && configured.endpoint.kind === 'unix'
        ? configured.endpoint.socketPath
        : engine.id === 'podman'
          ? ROOTFUL_PODMAN_SOCKET
          : rootlessPodmanSocket(context.env, process.getuid?.() ?? 0));
    return createDockerClient({ kind: 'unix', socketPath });
  }
  throw new ApiError('internal', `${engine.label} does not speak the Docker API.`);
}

interface RawInspect {
  Id: string;
  RepoTags?: string[] | null;
  Size?: number;
  Architecture?: string;
  RootFS?: { Layers?: string[] };
}

export async function dockerSource(engine: Engine, docker: Dockerode, imageId: string, reference: string | null): Promise<Source> {
  const name = reference ?? imageId;
  let inspect: RawInspect;
  try {
    inspect = (await docker.getImage(name).inspect()) as unknown as RawInspect;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) throw new ApiError('not-found', `${engine.label} has no image ${name}.`, { engineId: engine.id });
    throw error;
  }
  const facts: SourceFacts = {
    label: `${reference ?? inspect.Id.slice(0, 19)} (${engine.label})`,
    reference: reference ?? inspect.RepoTags?.[0] ?? null,
    sizeBytes: inspect.Size ?? null,
    layers: inspect.RootFS?.Layers?.length ?? null,
    architecture: inspect.Architecture ?? null,
    contentDigest: inspect.Id,
    warnings: [],
  };
  return {
    facts,
    shape: {
      kind: 'archive',
      // The id, not the name: the archive must be of the image inspected, even if the name moves.
      open: async (signal) => {
        const stream = (await docker.getImage(inspect.Id).get()) as unknown as Readable;
        signal.addEventListener('abort', () => stream.destroy(new Error('cancelled')), { once: true });
        return stream;
      },
    },
  };
}

export function dockerTarget(engine: Engine, docker: Dockerode): Target {
  const exists = async (name: string): Promise<string | null> => {
    try {
      return ((await docker.getImage(name).inspect()) as unknown as RawInspect).Id;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    }
  };
  return {
    label: engine.label,
    takes: 'archive',
    runsHere: false,
    spaceFactor: 1,
    defaultName: (source) => stripLocalhost(source.reference) ?? 'crossdock/copy:latest',
    describeName: async (name) => name,
    nameExists: async (name) => (await exists(name)) !== null,
    space: async () => {
      try {
        const where = await storageFolder(docker);
        if (!where) return null;
        const stats = await statfs(where);
        return { where, freeBytes: stats.bavail * stats.bsize };
      } catch {
        return null;
      }
    },
    receiveArchive: async (archive: Readable, call: TargetCall): Promise<Received> => {
      call.onPhase(`loading into ${engine.label}`);
      const lines: string[] = [];
      let failure: string | null = null;
      // The archive fails when the source does (its engine died too): that is not this engine's
      // fault, and the upload is stopped (piped into the request, the archive's error would leave
      // the request waiting for more).
      let sourceError: unknown = null;
      const upstream = new AbortController();
      archive.once('error', (error) => {
        sourceError = error;
        upstream.abort();
      });
      try {
        const signal = AbortSignal.any([call.signal, upstream.signal]);
        const response = (await docker.loadImage(archive, { quiet: true, abortSignal: signal } as object)) as unknown as Readable;
        const splitter = new NdjsonSplitter((value) => {
          const record = value as { stream?: unknown; error?: unknown; errorDetail?: { message?: unknown } };
          if (typeof record.stream === 'string') lines.push(record.stream.trim());
          if (record.error) failure = String(record.error);
        });
        for await (const chunk of response) splitter.push(chunk as Buffer);
        splitter.end();
      } catch (error) {
        call.signal.throwIfAborted();
        // The request body stops being read: the route then stops the source's save stream.
        archive.destroy();
        if (sourceError !== null) throw sourceError;
        throw await loadFailure(error, engine, docker);
      }
      call.signal.throwIfAborted();
      if (failure) {
        if (saysOutOfSpace(failure)) throw await outOfSpace(failure, engine, docker);
        throw new ApiError('internal', `${engine.label} refused the image: ${failure}`, { engineId: engine.id });
      }
      const imageId = await exists(call.name);
      if (!imageId) throw new ApiError('internal', `${engine.label} loaded the archive but has no ${call.name} afterwards (${lines.join('; ') || 'no answer'}).`, { engineId: engine.id });
      return { imageId, reference: call.name, location: null, notes: [] };
    },
  };
}

/** Where the engine keeps its images, as its /info says (Docker's root dir, Podman's graph root). */
async function storageFolder(docker: Dockerode): Promise<string | null> {
  try {
    const info = (await docker.info()) as { DockerRootDir?: string; Store?: { GraphRoot?: string }; store?: { graphRoot?: string } };
    return info.DockerRootDir ?? info.store?.graphRoot ?? info.Store?.GraphRoot ?? null;
  } catch {
    return null;
  }
}

function socketOf(docker: Dockerode): string {
  const modem = docker.modem as { socketPath?: unknown; host?: unknown; port?: unknown };
  if (typeof modem.socketPath === 'string') return modem.socketPath;
  return typeof modem.host === 'string' ? `${modem.host}:${String(modem.port ?? '')}` : 'its socket';
}

/**
 * A load that failed on the way: its service died (the socket broke under the upload, or nothing
 * answers any more), the engine ran out of space (its HTTP 500 says so), or it refused the archive.
 */
async function loadFailure(error: unknown, engine: Engine, docker: Dockerode): Promise<ApiError> {
  if (error instanceof ApiError) return error;
  if (isConnectionLost(error)) {
    return new ApiError(
      'engine-unavailable',
      `The connection to ${engine.label} broke in the middle of the load: its API service on ${socketOf(docker)} stopped or crashed before it answered. Check that the service runs, then copy again.`,
      { engineId: engine.id },
    );
  }
  const words = engineWords(error as object);
  if (saysOutOfSpace(words)) return outOfSpace(words, engine, docker);
  return new ApiError('internal', `${engine.label} refused the image: ${words}`, { engineId: engine.id });
}

async function outOfSpace(words: string, engine: Engine, docker: Dockerode): Promise<ApiError> {
  const where = await storageFolder(docker);
  return new ApiError('internal', `${engine.label} ran out of space${where ? ` in ${where}` : ''} while loading the image (${words}). Free some space there and try again.`, {
    engineId: engine.id,
  });
}

/** Podman names short references under localhost/; the other engines know no such prefix. */
function stripLocalhost(reference: string | null): string | null {
  return reference?.replace(/^localhost\//, '') ?? null;
}
