// "Export as Kubernetes Job" through the contract, on a real host: a Docker image's job becomes a
// batch/v1 Job whose YAML, read back by an independent parser, passes the Kubernetes API schemas;
// a SIF file is refused with what to do instead; the manifest is saved where asked.
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaProblems } from '../../electron/batch/kubernetes/schema-check';
import { apptainerProvider } from '../../electron/engines/apptainer/provider';
import { dockerProvider } from '../../electron/engines/docker/provider';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { buildSif, busyboxSquashfs, requireSifTools } from '../fixtures/sif-files';
import { DOCKER_SOCKET, requireEngine } from '../helpers/engines';
import { startJobHost, type JobHost } from '../helpers/job-host';
import { apiErrorOf } from '../helpers/waiting';

const jsYaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const docker = await requireEngine('docker');
const sifTools = await requireSifTools();

describe.skipIf(docker.skip || sifTools.skip)('export.kubernetes through the contract', () => {
  const client = new Dockerode({ socketPath: DOCKER_SOCKET });
  let image: TestImage;
  let base: string;
  let host: JobHost;
  let sif: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'crossdock-k8s-export-'));
    await chmod(base, 0o755);
    image = await importIntoDocker(client);
    const images = join(base, 'images');
    await mkdir(images);
    sif = await buildSif(images, 'busybox.sif', { squashfs: await busyboxSquashfs(join(base, 'squash')) });
    host = startJobHost(join(base, 'data'), [dockerProvider, apptainerProvider]);
    await host.call('settings.update', { imageFolders: [images] });
  });

  afterAll(async () => {
    await host?.dispose();
    await image?.cleanup();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('writes a Job whose YAML passes the API schemas and carries the spec', async () => {
    const out = join(base, 'out');
    await mkdir(out);
    const answer = await host.call('export.kubernetes', {
      spec: {
        engineId: 'docker',
        image: { imageId: image.id, reference: image.reference },
        command: ['sh', '-c', 'echo "$(date)" yes no'],
        env: [{ name: 'MODE', value: 'on' }],
        binds: [{ hostPath: '/srv/data', containerPath: '/data', readOnly: true }],
        user: '1000',
      },
      options: { cpus: 2, memoryMb: 256, gpus: 1, count: 5, backoffLimit: 1 },
      savePath: out,
    });
    expect(answer.format).toBe('kubernetes');
    expect(answer.checks[0]).toMatchObject({ outcome: 'passed' });
    expect(answer.savedTo).toBe(join(out, answer.fileName));
    expect(answer.fileName).toMatch(/\.job\.yaml$/);
    expect(await readFile(answer.savedTo!, 'utf8')).toBe(answer.text);

    // What kubectl would read: the YAML parsed back, then the same schema check.
    const manifest = jsYaml.load(answer.text) as {
      metadata: { name: string };
      spec: { completions: number; backoffLimit: number; template: { spec: { restartPolicy: string; containers: Array<Record<string, unknown>>; volumes: unknown[] } } };
    };
    expect(await schemaProblems(manifest)).toEqual([]);
    expect(manifest.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(manifest.spec).toMatchObject({ completions: 5, backoffLimit: 1 });
    const pod = manifest.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0]).toMatchObject({
      image: image.reference,
      args: ['sh', '-c', 'echo "$$(date)" yes no'],
      env: [{ name: 'MODE', value: 'on' }],
      resources: { limits: { cpu: '2', memory: '256Mi', 'nvidia.com/gpu': '1' } },
      volumeMounts: [{ name: 'bind-0', mountPath: '/data', readOnly: true }],
      securityContext: { runAsUser: 1000 },
    });
    expect(pod.volumes).toEqual([{ name: 'bind-0', hostPath: { path: '/srv/data' } }]);
    expect(answer.notes.join('\n')).toMatch(/hostPath/);
  });

  it('refuses a SIF file, saying why and what to do', async () => {
    const rowId = (await host.call('images.list', { engineId: 'apptainer' })).find((row) => row.location === sif)!.id;
    const error = await apiErrorOf(host.call('export.kubernetes', { spec: { engineId: 'apptainer', image: { imageId: rowId, reference: null } }, options: {} }));
    expect(error.kind).toBe('invalid-request');
    expect(error.message).toMatch(/registry/);
    expect(error.message).toMatch(/export for HTCondor/);
  });
});
