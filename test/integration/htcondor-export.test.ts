// "Export for HTCondor" through the contract, on a real host: the image row decides what
// container_image becomes (a Docker image by its name, a SIF file and a sandbox folder from an
// image folder, both read natively), HTCondor's bindings check the text at run time, and the file
// is saved where asked, never over an existing one unless asked.
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apptainerProvider } from '../../electron/engines/apptainer/provider';
import { dockerProvider } from '../../electron/engines/docker/provider';
import { busyboxRootTar, importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { buildSif, busyboxSquashfs, requireSifTools } from '../fixtures/sif-files';
import { DOCKER_SOCKET, requireEngine } from '../helpers/engines';
import { environmentOf, firstJobAd, requireHtcondorBindings, splitV2Raw } from '../helpers/htcondor-submit';
import { startJobHost, type JobHost } from '../helpers/job-host';
import { apiErrorOf } from '../helpers/waiting';

const docker = await requireEngine('docker');
const bindings = await requireHtcondorBindings();
const sifTools = await requireSifTools();

describe.skipIf(docker.skip || bindings.skip || sifTools.skip)('export.htcondor through the contract', () => {
  const client = new Dockerode({ socketPath: DOCKER_SOCKET });
  let image: TestImage;
  let base: string;
  let host: JobHost;
  let sif: string;
  let sandbox: string;
  let inputs: string;
  const rowId = async (engineId: string, location: string) =>
    (await host.call('images.list', { engineId })).find((row) => row.location === location)!.id;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'crossdock-htcondor-export-'));
    await chmod(base, 0o755);
    image = await importIntoDocker(client);
    const images = join(base, 'images');
    await mkdir(images);
    sif = await buildSif(images, 'busybox.sif', { squashfs: await busyboxSquashfs(join(base, 'squash')) });
    sandbox = join(images, 'busybox-sandbox');
    await mkdir(join(sandbox, '.singularity.d'), { recursive: true });
    await execa('tar', ['-x', '-C', sandbox], { input: busyboxRootTar() });
    inputs = join(base, 'inputs');
    await mkdir(inputs);
    await writeFile(join(inputs, 'data.txt'), 'input\n');
    host = startJobHost(join(base, 'data'), [dockerProvider, apptainerProvider], { ...process.env, HOME: base });
    await host.call('settings.update', { imageFolders: [images] });
  });

  afterAll(async () => {
    await host?.dispose();
    await image?.cleanup();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('writes a docker:// image job that HTCondor accepts, and says so', async () => {
    const answer = await host.call('export.htcondor', {
      spec: {
        engineId: 'docker',
        image: { imageId: image.id, reference: image.reference },
        command: ['/bin/sh', '-c', 'cat data.txt; echo "$GREETING"'],
        env: [{ name: 'GREETING', value: "it's $(HOME)" }],
        binds: [{ hostPath: inputs, containerPath: '/in', readOnly: true }],
      },
      options: { cpus: 2, memoryMb: 512, gpus: 1, count: 4 },
    });
    expect(answer.format).toBe('htcondor');
    expect(answer.savedTo).toBeNull();
    expect(answer.fileName).toBe(`${image.reference!.replace(/[/:]/g, '-')}.sub`);
    expect(answer.text).toContain(`container_image         = docker://${image.reference}`);
    expect(answer.text).toMatch(/^queue 4$/m);
    expect(answer.checks).toHaveLength(1);
    expect(answer.checks[0]).toMatchObject({ outcome: 'passed', message: expect.stringMatching(/would queue 4 jobs/) });
    expect(answer.checks[0]!.details).toContainEqual({ key: 'RequestGPUs', value: '1' });
    // The notes explain what the bind became, and that the image was imported here.
    expect(answer.notes.join('\n')).toMatch(/transfer_input_files.*scratch folder as "inputs"/);
    expect(answer.notes.join('\n')).toMatch(/no registry copy/);

    const ad = await firstJobAd(answer.text);
    expect(ad.ContainerImage).toBe(`docker://${image.reference}`);
    expect(splitV2Raw(String(ad.Arguments))).toEqual(['-c', 'cat data.txt; echo "$GREETING"']);
    expect(environmentOf(String(ad.Environment))).toEqual({ GREETING: "it's $(HOME)" });
    expect(ad.TransferInput).toBe(inputs);
    expect(ad.RequestCpus).toBe(2);
    expect(ad.RequestMemory).toBe(512);
  });

  it('writes a SIF file job and a sandbox folder job from the image folder', async () => {
    const sifAnswer = await host.call('export.htcondor', {
      spec: { engineId: 'apptainer', image: { imageId: await rowId('apptainer', sif), reference: null }, command: ['/bin/echo', 'hi'] },
      options: {},
    });
    expect(sifAnswer.text).toMatch(new RegExp(`^container_image\\s+= ${sif}$`, 'm'));
    expect(sifAnswer.checks[0]!.outcome).toBe('passed');
    expect(sifAnswer.checks[0]!.details).toContainEqual({ key: 'ContainerImage', value: 'busybox.sif' });
    expect(String((await firstJobAd(sifAnswer.text)).Requirements)).toContain('HasSIF');

    const sandboxAnswer = await host.call('export.htcondor', {
      spec: { engineId: 'apptainer', image: { imageId: await rowId('apptainer', sandbox), reference: null }, command: ['/bin/echo', 'hi'] },
      options: { name: 'my sandbox job' },
    });
    expect(sandboxAnswer.fileName).toBe('my-sandbox-job.sub');
    expect(sandboxAnswer.text).toMatch(/^output\s+= my-sandbox-job\.\$\(Cluster\)\.\$\(Process\)\.out$/m);
    expect(sandboxAnswer.checks[0]!.outcome).toBe('passed');
    expect(String((await firstJobAd(sandboxAnswer.text)).Requirements)).toContain('HasSandboxImage');
  });

  it('saves where asked, refuses to overwrite, replaces when told, and refuses a missing folder', async () => {
    const request = {
      spec: { engineId: 'docker', image: { imageId: image.id, reference: image.reference }, command: ['/bin/true'] },
      options: {},
    };
    const out = join(base, 'out');
    await mkdir(out);
    const first = await host.call('export.htcondor', { ...request, savePath: '~/out/job.sub' });
    expect(first.savedTo).toBe(join(out, 'job.sub'));
    expect(await readFile(join(out, 'job.sub'), 'utf8')).toBe(first.text);

    await writeFile(join(out, 'job.sub'), 'mine\n');
    const conflict = await apiErrorOf(host.call('export.htcondor', { ...request, savePath: join(out, 'job.sub') }));
    expect(conflict.kind).toBe('conflict');
    expect(conflict.message).toContain('already exists');
    expect(await readFile(join(out, 'job.sub'), 'utf8')).toBe('mine\n');

    const replaced = await host.call('export.htcondor', { ...request, savePath: join(out, 'job.sub'), overwrite: true });
    expect(await readFile(join(out, 'job.sub'), 'utf8')).toBe(replaced.text);

    const intoFolder = await host.call('export.htcondor', { ...request, savePath: out });
    expect(intoFolder.savedTo).toBe(join(out, intoFolder.fileName));

    const missing = await apiErrorOf(host.call('export.htcondor', { ...request, savePath: join(base, 'nowhere', 'job.sub') }));
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toContain(`The folder ${join(base, 'nowhere')} does not exist`);
    expect((await readdir(base)).includes('nowhere')).toBe(false);

    const relative = await apiErrorOf(host.call('export.htcondor', { ...request, savePath: 'job.sub' }));
    expect(relative.kind).toBe('invalid-request');
    expect(relative.message).toMatch(/absolute/);
  });

  it('refuses hostile input with the reason, writing nothing', async () => {
    const refused = await apiErrorOf(
      host.call('export.htcondor', {
        spec: { engineId: 'docker', image: { imageId: image.id, reference: image.reference }, command: ['/bin/echo', 'a\nqueue 1000'] },
        options: {},
        savePath: join(base, 'hostile.sub'),
      }),
    );
    expect(refused.kind).toBe('invalid-request');
    expect(refused.message).toMatch(/Argument 1 holds a line break/);
    expect((await readdir(base)).includes('hostile.sub')).toBe(false);

    const gone = await apiErrorOf(host.call('export.htcondor', { spec: { engineId: 'docker', image: { imageId: 'f'.repeat(64), reference: null } }, options: {} }));
    expect(gone.kind).toBe('not-found');

    const badOptions = await apiErrorOf(host.call('export.htcondor', { spec: { engineId: 'docker', image: { imageId: image.id, reference: image.reference } }, options: { cpus: 0 } }));
    expect(badOptions.kind).toBe('invalid-request');
    expect(badOptions.message).toMatch(/options\.cpus/);
  });
});
