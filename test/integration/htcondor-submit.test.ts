// Submit files for each kind of container_image, read by HTCondor's own submit logic (the htcondor
// 23.x Python bindings make the job ClassAds condor_submit would make; no pool needed): the
// expected attributes, hostile arguments and environment values coming back exactly, and broken
// files rejected with HTCondor's words, also by the run-time check the export answer carries.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HtcondorExportOptionsSchema } from '../../shared/batch-export';
import { RunSpecSchema, type RunSpecInput } from '../../shared/run';
import type { ContainerSource } from '../../electron/batch/export/container-source';
import { checkSubmitFile } from '../../electron/batch/htcondor/bindings-check';
import { buildSubmitFile } from '../../electron/batch/htcondor/submit-file';
import { SubmitSyntaxError } from '../../electron/batch/htcondor/submit-syntax';
import { environmentOf, firstJobAd, requireHtcondorBindings, splitV2Raw, submitToBindings } from '../helpers/htcondor-submit';

const bindings = await requireHtcondorBindings();

const spec = (input: Partial<RunSpecInput> = {}) => RunSpecSchema.parse({ engineId: 'docker', image: { imageId: 'a'.repeat(64), reference: 'busybox:1.36' }, ...input });
const REGISTRY: ContainerSource = { kind: 'registry', reference: 'busybox:1.36', fromRegistry: true };
const submitFile = (input: Partial<RunSpecInput> = {}, source: ContainerSource = REGISTRY, options: Record<string, unknown> = {}) =>
  buildSubmitFile({ spec: spec(input), source, options: HtcondorExportOptionsSchema.parse(options), baseName: 'job', origin: 'busybox:1.36 on Docker' }).text;

/** Arguments and values that break naive quoting, every one of which must come back as it went. */
const HOSTILE = [
  'plain',
  'two words',
  '',
  ' ',
  "it's",
  "''",
  'say "hi"',
  '""',
  `mixed 'single' and "double"`,
  '$(HOME)',
  '$(Cluster).$(Process)',
  '$ENV(PATH)',
  '$RANDOM_INTEGER(1,9)',
  '$HOME',
  '$',
  'a$$b',
  '$x(',
  'back\\slash\\',
  '\\',
  'tab\there',
  '#not a comment',
  'queue 100',
  'a = b',
  '; rm -rf / &&',
  '`id`',
  'ünïcødé ✓ 🐳',
  '-n',
  '--help',
];

describe.skipIf(bindings.skip)(`HTCondor's submit logic (htcondor ${bindings.version ?? 'missing'})`, () => {
  it('reads a docker:// image job as a container universe job with every requested attribute', async () => {
    const text = submitFile(
      {
        command: ['/bin/sh', '-c', 'echo hi > out.txt'],
        env: [{ name: 'A', value: '1' }, { name: 'B', value: 'x y' }],
        binds: [{ hostPath: '/data/in', containerPath: '/in', readOnly: true }, { hostPath: '/data/ref.fa', containerPath: '/ref.fa', readOnly: true }],
      },
      REGISTRY,
      { cpus: 4, memoryMb: 2048, gpus: 1, count: 1 },
    );
    const ad = await firstJobAd(text);
    // condor_submit turns "universe = container" into the vanilla universe (5) wanting a container.
    expect(ad.JobUniverse).toBe(5);
    expect(ad.WantContainer).toBe(true);
    expect(ad.ContainerImage).toBe('docker://busybox:1.36');
    expect(ad.ContainerImageSource).toBe('docker');
    expect(ad.WantDockerImage).toBe(true);
    expect(ad.Cmd).toBe('/bin/sh');
    expect(ad.TransferExecutable).toBe(false);
    expect(splitV2Raw(String(ad.Arguments))).toEqual(['-c', 'echo hi > out.txt']);
    expect(environmentOf(String(ad.Environment))).toEqual({ A: '1', B: 'x y' });
    expect(ad.TransferInput).toBe('/data/in,/data/ref.fa');
    expect(ad.ShouldTransferFiles).toBe('YES');
    expect(ad.RequestCpus).toBe(4);
    expect(ad.RequestMemory).toBe(2048);
    expect(ad.RequestGPUs).toBe(1);
    expect(String(ad.Requirements)).toContain('TARGET.HasDockerURL');
    expect(ad.Out).toBe('job.1.0.out');
    expect(ad.Err).toBe('job.1.0.err');
    expect(String(ad.UserLog)).toMatch(/\/job\.1\.log$/);
  });

  it('reads a SIF file image, sent with the job', async () => {
    const ad = await firstJobAd(submitFile({ command: ['/bin/true'] }, { kind: 'sif', path: '/images/busybox.sif' }));
    expect(ad.WantContainer).toBe(true);
    expect(ad.ContainerImage).toBe('busybox.sif');
    expect(String(ad.TransferInput).split(',')).toContain('/images/busybox.sif');
    expect(String(ad.Requirements)).toContain('TARGET.HasSIF');
  });

  it('reads an image folder as a sandbox image, sent with the job', async () => {
    // A trailing "/" would send the folder's contents only: the folder itself is what the bind showed.
    const ad = await firstJobAd(submitFile({ command: ['/bin/true'], binds: [{ hostPath: '/data/in/', containerPath: '/in', readOnly: false }] }, { kind: 'folder', path: '/images/busybox-sandbox' }));
    expect(ad.ContainerImage).toBe('busybox-sandbox');
    expect(String(ad.TransferInput).split(',')).toEqual(['/data/in', '/images/busybox-sandbox']);
    expect(String(ad.Requirements)).toContain('TARGET.HasSandboxImage');
  });

  it('leaves the executable out when the spec runs the image\'s own command', async () => {
    const text = submitFile();
    expect(text).not.toMatch(/^executable/m);
    const ad = await firstJobAd(text);
    expect(ad.Cmd).toBe('');
    expect(ad.WantContainer).toBe(true);
  });

  it('queues as many jobs as asked, and no GPU unless asked', async () => {
    const outcome = await submitToBindings(submitFile({ command: ['/bin/true'] }, REGISTRY, { count: 3 }));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.ads.map((ad) => ad.ProcId)).toEqual([0, 1, 2]);
    expect(outcome.ads[0]!.RequestGPUs).toBeUndefined();
    expect(outcome.ads[0]!.RequestCpus).toBe(1);
    expect(outcome.ads[0]!.RequestMemory).toBe(1024);
  });

  it('gives every hostile argument back exactly, one by one and all together', async () => {
    for (const word of HOSTILE) {
      const ad = await firstJobAd(submitFile({ command: ['/bin/echo', word, 'end'] }));
      expect(splitV2Raw(String(ad.Arguments)), JSON.stringify(word)).toEqual([word, 'end']);
    }
    const ad = await firstJobAd(submitFile({ command: ['/bin/echo', ...HOSTILE] }));
    expect(splitV2Raw(String(ad.Arguments))).toEqual(HOSTILE);
  });

  it('gives every hostile environment value back exactly', async () => {
    const env = HOSTILE.map((value, index) => ({ name: `V${index}`, value }));
    const ad = await firstJobAd(submitFile({ command: ['/bin/env'], env }));
    expect(environmentOf(String(ad.Environment))).toEqual(Object.fromEntries(env.map(({ name, value }) => [name, value])));
  });

  it('keeps a hostile program path as it is', async () => {
    for (const program of ['/opt/$(X)/run', '/opt/my#prog', "/opt/it's", '/opt/q"q', '/opt/a$$b']) {
      const ad = await firstJobAd(submitFile({ command: [program] }));
      expect(ad.Cmd, program).toBe(program);
    }
  });

  it('refuses, before HTCondor sees it, what a submit file cannot carry', () => {
    const refused: Array<Partial<RunSpecInput>> = [
      { command: ['/bin/echo', 'two\nlines'] },
      { command: ['/bin/echo', 'cr\r'] },
      { command: ['/bin/echo', '$$(Memory)'] },
      { command: ['/bin/echo', '$$([TARGET.Memory])'] },
      { command: ['/bin/echo\nqueue 1000'] },
      { command: ['/bin/x\\'] },
      { command: [' /bin/x'] },
      { command: ['/bin/echo', 'bell\u0007'] },
      { command: ['/bin/echo', '$(DOLLAR)'] },
      { command: ['/bin/echo', '$(dollar)'] },
      { env: [{ name: 'A', value: 'x\nqueue' }] },
      { binds: [{ hostPath: '/data/with space', containerPath: '/in', readOnly: true }] },
      { binds: [{ hostPath: '/', containerPath: '/host', readOnly: true }] },
    ];
    for (const input of refused) expect(() => submitFile(input), JSON.stringify(input)).toThrow(SubmitSyntaxError);
  });

  it('sees HTCondor reject broken files with its own message', async () => {
    const good = submitFile({ command: ['/bin/true'] });
    const cases: Array<[string, RegExp]> = [
      [good.replace(/^universe(\s*)= container$/m, 'universe$1= containr'), /I don't know about the 'containr' universe/],
      [good.replace(/^container_image.*\n/m, ''), /container jobs require a container_image/],
      [good.replace(/^queue 1$/m, 'arguments = "unbalanced\nqueue 1'), /double-quote/i],
    ];
    for (const [text, message] of cases) {
      const outcome = await submitToBindings(text);
      expect(outcome.ok, text).toBe(false);
      if (!outcome.ok) expect(outcome.error).toMatch(message);
      // The run-time check in the export answer says the same.
      const check = await checkSubmitFile(text, { env: process.env });
      expect(check.outcome).toBe('failed');
      expect(check.message).toMatch(message);
    }
  });

  it('reports the run-time check as passed with the job ad\'s attributes', async () => {
    const check = await checkSubmitFile(submitFile({ command: ['/bin/echo', 'hi'] }, REGISTRY, { count: 2 }), { env: process.env });
    expect(check.outcome).toBe('passed');
    expect(check.checker).toMatch(/htcondor Python bindings, 23\./);
    expect(check.message).toMatch(/would queue 2 jobs/);
    expect(check.details).toContainEqual({ key: 'ContainerImage', value: 'docker://busybox:1.36' });
    expect(check.details).toContainEqual({ key: 'JobUniverse', value: '5' });

    // Thousands of jobs: the first 1,000 are made and checked, and the answer says so.
    const many = await checkSubmitFile(submitFile({ command: ['/bin/true'] }, REGISTRY, { count: 1500 }), { env: process.env });
    expect(many.outcome).toBe('passed');
    expect(many.message).toMatch(/the first 1000 of the jobs/);
  });
});

describe('the run-time check without HTCondor\'s bindings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crossdock-htcondor-missing-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('says python3 is missing', async () => {
    const check = await checkSubmitFile('queue\n', { env: process.env, python: join(dir, 'no-python3') });
    expect(check.outcome).toBe('unavailable');
    expect(check.message).toMatch(/could not be started \(ENOENT\)/);
    expect(check.message).toMatch(/pip install "htcondor<24"/);
  });

  it('says the module is missing (python3 without its site-packages)', async () => {
    const python = join(dir, 'python3-bare');
    await writeFile(python, '#!/bin/sh\nexec python3 -S "$@"\n');
    await chmod(python, 0o755);
    const check = await checkSubmitFile('queue\n', { env: process.env, python });
    expect(check.outcome).toBe('unavailable');
    expect(check.message).toMatch(/import htcondor failed/);
  });
});
