// Small valid model objects for the renderer's unit tests.
import type { EngineStatus, ImageSummary } from '../../../shared/model';

export function engineStatus(overrides: Partial<EngineStatus> = {}): EngineStatus {
  return {
    id: 'alpha',
    label: 'Alpha',
    family: 'test',
    canPrune: true,
    state: 'ready',
    version: '1.0',
    apiVersion: null,
    endpoint: '/run/alpha.sock',
    via: 'alpha CLI',
    rootless: false,
    message: null,
    probe: { attempted: true, ok: true, expectedExitCode: 37, exitCode: 37, durationMs: 180, message: null },
    attributes: {},
    checkedAt: '2026-11-23T10:00:00.000Z',
    detectMs: 12,
    ...overrides,
  };
}

let counter = 0;
export function imageSummary(overrides: Partial<ImageSummary> = {}): ImageSummary {
  counter += 1;
  const id = `sha256:${counter.toString(16).padStart(12, '0')}${'a'.repeat(52)}`;
  return {
    engineId: 'alpha',
    id,
    repository: 'library/busybox',
    tag: 'latest',
    repoTags: ['library/busybox:latest'],
    repoDigests: [],
    sizeBytes: 4_200_000,
    createdAt: '2026-01-01T00:00:00.000Z',
    dangling: false,
    containers: 0,
    labels: {},
    ...overrides,
  };
}

let jobCounter = 0;
export function jobRecord(overrides: Partial<import('../../../shared/jobs').JobRecord> = {}): import('../../../shared/jobs').JobRecord {
  jobCounter += 1;
  return {
    id: `j-${jobCounter.toString(36).padStart(8, '0')}`,
    kind: 'run',
    parentId: null,
    spec: {
      engineId: 'alpha',
      image: { imageId: `sha256:${'a'.repeat(64)}`, reference: 'busybox:latest' },
      command: ['echo', 'hi'],
      env: [],
      binds: [],
      ports: [],
      workdir: null,
      user: null,
      network: 'default',
      gpu: false,
      tty: false,
      remove: true,
      executionMode: null,
    },
    engineLabel: 'Alpha',
    imageLabel: 'busybox:latest',
    commandLine: ['alpha', 'run', 'busybox:latest', 'echo', 'hi'],
    commandLineIsEquivalent: false,
    state: 'running',
    exitCode: null,
    signal: null,
    message: null,
    createdAt: '2026-11-23T10:00:00.000Z',
    startedAt: '2026-11-23T10:00:01.000Z',
    endedAt: null,
    outputBytes: 0,
    handle: { containerId: null, pid: null },
    reattachedAt: null,
    ...overrides,
  };
}
