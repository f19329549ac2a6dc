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
