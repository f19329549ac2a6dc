// The export dialog's fields as the host will get them, and what the image row becomes.
import { describe, expect, it } from 'vitest';
import { HtcondorExportOptionsSchema, KubernetesExportOptionsSchema } from '../../../shared/batch-export';
import type { ImageSummary } from '../../../shared/model';
import { RunSpecSchema } from '../../../shared/run';
import { ApiError } from '../../../shared/errors';
import { containerSourceOf, registryNote } from '../../../electron/batch/export/container-source';
import { exportOptionsOf, initialExportForm, requestOptions } from '../../../renderer/features/export/export-options';

describe('exportOptionsOf', () => {
  it('turns the initial form into options both calls accept', () => {
    const { options, errors } = exportOptionsOf(initialExportForm('busybox:1.36', true));
    expect(errors).toEqual({});
    expect(options).toEqual({ name: 'busybox:1.36', cpus: 1, memoryMb: 1024, gpus: 1, count: 1, backoffLimit: 0 });
    expect(HtcondorExportOptionsSchema.safeParse(requestOptions('htcondor', options!)).success).toBe(true);
    expect(KubernetesExportOptionsSchema.safeParse(requestOptions('kubernetes', options!)).success).toBe(true);
  });

  it('says which field is wrong and gives no options', () => {
    const form = { ...initialExportForm('', false), cpus: '0', memoryMb: '1.5', count: '-1', gpus: 'x' };
    const { options, errors } = exportOptionsOf(form);
    expect(options).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['count', 'cpus', 'gpus', 'memoryMb']);
  });

  it('checks the retry count only for Kubernetes, and an empty name leaves it to the host', () => {
    const form = { ...initialExportForm('  ', false), backoffLimit: 'many' };
    expect(exportOptionsOf(form).options).toMatchObject({ name: null });
    expect(exportOptionsOf({ ...form, format: 'kubernetes' }).errors).toHaveProperty('backoffLimit');
  });
});

describe('containerSourceOf', () => {
  const spec = (reference: string | null) => RunSpecSchema.parse({ engineId: 'x', image: { imageId: 'a'.repeat(64), reference } });
  const row = (patch: Partial<ImageSummary>): ImageSummary => ({
    engineId: 'x',
    id: `sha256:${'a'.repeat(64)}`,
    repository: null,
    tag: null,
    repoTags: [],
    repoDigests: [],
    sizeBytes: 0,
    createdAt: null,
    dangling: false,
    containers: -1,
    labels: {},
    ...patch,
  });

  it('reads the row\'s format and location, never the engine', () => {
    expect(containerSourceOf(spec(null), row({ format: 'sif', location: '/i/a.sif' }))).toEqual({ kind: 'sif', path: '/i/a.sif' });
    expect(containerSourceOf(spec(null), row({ format: 'sandbox', location: '/i/s' }))).toEqual({ kind: 'folder', path: '/i/s' });
    expect(containerSourceOf(spec('ch/img:1'), row({ format: 'directory', location: '/i/d' }))).toEqual({ kind: 'folder', path: '/i/d' });
    // A registry image kept in a folder by its engine is still a registry image.
    expect(containerSourceOf(spec('busybox:1.36'), row({ format: 'docker', location: '/u/repos/busybox', repoTags: ['busybox:1.36'] }))).toEqual({
      kind: 'registry',
      reference: 'busybox:1.36',
      fromRegistry: false,
    });
    expect(containerSourceOf(spec(null), row({ repoTags: ['quay.io/x/y:2'], repoDigests: ['quay.io/x/y@sha256:' + 'b'.repeat(64)] }))).toEqual({
      kind: 'registry',
      reference: 'quay.io/x/y:2',
      fromRegistry: true,
    });
  });

  it('refuses an image without a name, and warns of local-only names', () => {
    expect(() => containerSourceOf(spec(null), row({}))).toThrow(ApiError);
    expect(registryNote({ kind: 'registry', reference: 'localhost/x:1', fromRegistry: true })).toMatch(/localhost/);
    expect(registryNote({ kind: 'registry', reference: 'x:1', fromRegistry: false })).toMatch(/no registry copy/);
    expect(registryNote({ kind: 'registry', reference: 'x:1', fromRegistry: true })).toBeNull();
  });
});
