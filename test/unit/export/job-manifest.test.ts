// Kubernetes Job manifests: made from specs, checked against the batch/v1 Job schema of
// kubernetes-models (the Kubernetes API's OpenAPI schemas), written as YAML that reads back to the
// same object; broken manifests fail the check with the schema's own message.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { KubernetesExportOptionsSchema } from '../../../shared/batch-export';
import { RunSpecSchema, type RunSpecInput } from '../../../shared/run';
import type { ContainerSource } from '../../../electron/batch/export/container-source';
import { buildJobManifest, literalForExpansion, ManifestRefusal } from '../../../electron/batch/kubernetes/job-manifest';
import { checkJobManifest, schemaProblems } from '../../../electron/batch/kubernetes/schema-check';
import { toYaml } from '../../../electron/batch/kubernetes/yaml';

const jsYaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const REGISTRY: ContainerSource = { kind: 'registry', reference: 'busybox:1.36', fromRegistry: true };
const spec = (input: Partial<RunSpecInput> = {}) => RunSpecSchema.parse({ engineId: 'docker', image: { imageId: 'a'.repeat(64), reference: 'busybox:1.36' }, ...input });
const options = (input: Record<string, unknown> = {}) => KubernetesExportOptionsSchema.parse(input);

type Container = { name: string; image: string; args?: string[]; env?: Array<{ name: string; value: string }>; resources: Record<string, Record<string, string>>; volumeMounts?: unknown[]; workingDir?: string; securityContext?: Record<string, number> };
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec: { backoffLimit: number; completions?: number; parallelism?: number; template: { spec: { restartPolicy: string; containers: Container[]; volumes?: unknown[]; hostNetwork?: boolean } } } };

describe('buildJobManifest', () => {
  it('makes a Job that passes the schema and reads back from its YAML unchanged', async () => {
    const { manifest } = buildJobManifest({
      spec: spec({
        command: ['sh', '-c', 'echo "$HOME" $(id) && cat /in/x'],
        env: [{ name: 'GREETING', value: "it's $(HOME)" }, { name: 'EMPTY', value: '' }],
        binds: [{ hostPath: '/data/in', containerPath: '/in', readOnly: true }, { hostPath: '/data/out', containerPath: '/out', readOnly: false }],
        workdir: '/work',
        user: '1000:100',
        gpu: true,
      }),
      source: REGISTRY,
      options: options({ cpus: 4, memoryMb: 2048, gpus: 2, count: 3, backoffLimit: 2 }),
      jobName: 'busybox-1-36',
    });
    expect(await schemaProblems(manifest)).toEqual([]);
    expect((await checkJobManifest(manifest)).outcome).toBe('passed');
    expect(jsYaml.load(toYaml(manifest))).toEqual(JSON.parse(JSON.stringify(manifest)));

    const job = manifest as unknown as Manifest;
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(job.metadata.name).toBe('busybox-1-36');
    expect(job.spec).toMatchObject({ backoffLimit: 2, completions: 3, parallelism: 3 });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    const [container] = pod.containers;
    expect(container!.image).toBe('busybox:1.36');
    // Kubernetes would expand $(id) and $(HOME): every "$" is doubled so they stay literal.
    expect(container!.args).toEqual(['sh', '-c', 'echo "$$HOME" $$(id) && cat /in/x']);
    expect(container!.env).toEqual([{ name: 'GREETING', value: "it's $$(HOME)" }, { name: 'EMPTY', value: '' }]);
    expect(container!.resources).toEqual({
      requests: { cpu: '4', memory: '2048Mi', 'nvidia.com/gpu': '2' },
      limits: { cpu: '4', memory: '2048Mi', 'nvidia.com/gpu': '2' },
    });
    expect(container!.volumeMounts).toEqual([
      { name: 'bind-0', mountPath: '/in', readOnly: true },
      { name: 'bind-1', mountPath: '/out', readOnly: false },
    ]);
    expect(pod.volumes).toEqual([{ name: 'bind-0', hostPath: { path: '/data/in' } }, { name: 'bind-1', hostPath: { path: '/data/out' } }]);
    expect(container!.workingDir).toBe('/work');
    expect(container!.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 100 });
  });

  it('leaves the image its own command when the spec has none, and one copy unsaid', async () => {
    const { manifest, notes } = buildJobManifest({ spec: spec(), source: REGISTRY, options: options(), jobName: 'x' });
    const job = manifest as unknown as Manifest;
    expect(job.spec.template.spec.containers[0]!.args).toBeUndefined();
    expect(job.spec.completions).toBeUndefined();
    expect(job.spec.backoffLimit).toBe(0);
    expect(notes.join('\n')).toMatch(/own entrypoint/);
    expect(await schemaProblems(manifest)).toEqual([]);
  });

  it('refuses a SIF file and an image folder, saying what to do instead', async () => {
    for (const source of [{ kind: 'sif', path: '/images/x.sif' }, { kind: 'folder', path: '/images/sandbox' }] as ContainerSource[]) {
      expect(() => buildJobManifest({ spec: spec(), source, options: options(), jobName: 'x' })).toThrow(ManifestRefusal);
      expect(() => buildJobManifest({ spec: spec(), source, options: options(), jobName: 'x' })).toThrow(/registry.*export for HTCondor/);
    }
  });

  it('warns of what a Job cannot carry', async () => {
    const { notes } = buildJobManifest({
      spec: spec({ executionMode: 'P1', user: 'alice', network: 'none', ports: [{ hostPort: 8080, containerPort: 80 }], tty: true }),
      source: { kind: 'registry', reference: 'localhost/mine:1', fromRegistry: false },
      options: options(),
      jobName: 'x',
    });
    const text = notes.join('\n');
    expect(text).toMatch(/Execution mode P1: not carried/);
    expect(text).toMatch(/User alice: not carried/);
    expect(text).toMatch(/Network "none"/);
    expect(text).toMatch(/Published ports/);
    expect(text).toMatch(/Interactive terminal/);
    expect(text).toMatch(/localhost/);
  });

  it('turns host networking into hostNetwork', async () => {
    const { manifest } = buildJobManifest({ spec: spec({ network: 'host' }), source: REGISTRY, options: options(), jobName: 'x' });
    expect((manifest as unknown as Manifest).spec.template.spec.hostNetwork).toBe(true);
    expect(await schemaProblems(manifest)).toEqual([]);
  });
});

describe('literalForExpansion', () => {
  it('doubles every dollar sign', async () => {
    expect(literalForExpansion('$(A) $$ $ x$')).toBe('$$(A) $$$$ $$ x$$');
  });
});

describe('checkJobManifest on broken manifests', () => {
  const good = () => JSON.parse(JSON.stringify(buildJobManifest({ spec: spec({ command: ['echo'] }), source: REGISTRY, options: options(), jobName: 'ok' }).manifest)) as Manifest;

  it('fails with the schema\'s message', async () => {
    const badPolicy = good();
    badPolicy.spec.template.spec.restartPolicy = 'Sometimes';
    expect(await checkJobManifest(badPolicy)).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/restartPolicy must be equal to one of the allowed values/) });

    const noName = good();
    delete (noName.spec.template.spec.containers[0] as Partial<Container>).name;
    expect((await checkJobManifest(noName)).message).toMatch(/containers\/0 must have required property .?name/);

    const textLimit = good() as unknown as { spec: { backoffLimit: unknown } };
    textLimit.spec.backoffLimit = 'none';
    expect((await checkJobManifest(textLimit)).message).toMatch(/backoffLimit must be integer/);

    const badCpu = good();
    (badCpu.spec.template.spec.containers[0]!.resources.limits as Record<string, unknown>).cpu = true;
    expect((await checkJobManifest(badCpu)).message).toMatch(/limits\/cpu/);

    const noTemplate = good() as unknown as { spec: Record<string, unknown> };
    delete noTemplate.spec.template;
    expect((await checkJobManifest(noTemplate)).message).toMatch(/must have required property .?template/);
  });

  it('fails a name that is not a DNS-1123 label (the schema does not check names)', async () => {
    const badName = good();
    badName.metadata.name = 'Bad_Name';
    expect(await checkJobManifest(badName)).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/not a DNS-1123 label/) });
  });
});
