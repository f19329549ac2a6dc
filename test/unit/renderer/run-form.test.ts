import { describe, expect, it } from 'vitest';
import { toRows } from '../../../renderer/lib/image-rows';
import { emptyForm, engineChoices, fieldErrorsOfIssues, formFromSpec, specFromForm, type RunForm } from '../../../renderer/lib/run-form';
import { engineStatus, imageSummary, jobRecord } from './fixtures';

const imageId = `sha256:${'b'.repeat(64)}`;
const form = (overrides: Partial<RunForm> = {}): RunForm => ({
  ...emptyForm('alpha', { imageId, reference: 'busybox:latest' }),
  ...overrides,
});

describe('specFromForm', () => {
  it('builds the spec the contract expects, argv split like a shell', () => {
    const result = specFromForm(
      form({
        commandText: `sh -c 'echo hi; sleep 1'`,
        env: [{ name: 'GREETING', value: 'hello world' }],
        binds: [{ hostPath: '/tmp/in', containerPath: '/in', readOnly: true }],
        workdir: ' /in ',
        user: '1000:1000',
        tty: true,
      }),
    );
    expect(result.errors).toEqual({});
    expect(result.argv).toEqual(['sh', '-c', 'echo hi; sleep 1']);
    expect(result.spec).toMatchObject({
      engineId: 'alpha',
      image: { imageId, reference: 'busybox:latest' },
      command: ['sh', '-c', 'echo hi; sleep 1'],
      env: [{ name: 'GREETING', value: 'hello world' }],
      binds: [{ hostPath: '/tmp/in', containerPath: '/in', readOnly: true }],
      workdir: '/in',
      user: '1000:1000',
      network: 'default',
      tty: true,
      remove: true,
      executionMode: null,
    });
  });

  it('ties every problem to its field, counting rows as the form shows them', () => {
    const result = specFromForm(
      form({
        commandText: `echo 'open`,
        env: [
          { name: '', value: '' },
          { name: '1BAD', value: 'x' },
          { name: '', value: 'orphan' },
        ],
        binds: [{ hostPath: 'relative', containerPath: '/in', readOnly: false }, { hostPath: '/a', containerPath: '', readOnly: false }],
        user: 'no spaces allowed',
      }),
    );
    expect(result.spec).toBeNull();
    expect(Object.keys(result.errors).sort()).toEqual(
      ['binds.0.hostPath', 'binds.1.containerPath', 'command', 'env.1.name', 'env.2.name', 'user'].sort(),
    );
    expect(result.errors['env.1.name']).toContain('does not start with a digit');
    expect(result.errors['binds.0.hostPath']).toContain('absolute');
  });

  it('asks for an engine and an image', () => {
    expect(Object.keys(specFromForm(emptyForm()).errors).sort()).toEqual(['engine', 'image']);
  });

  it('ignores rows left entirely empty', () => {
    const result = specFromForm(form({ env: [{ name: '', value: '' }], binds: [{ hostPath: '', containerPath: '', readOnly: true }] }));
    expect(result.spec?.env).toEqual([]);
    expect(result.spec?.binds).toEqual([]);
  });

  it('fills the form back from a spec (re-run with edits) without changing it', () => {
    const { spec } = jobRecord({});
    const filled = formFromSpec({ ...spec, command: ['sh', '-c', 'echo "$A" done'], env: [{ name: 'A', value: '1' }] });
    expect(filled.commandText).toBe(`sh -c 'echo "$A" done'`);
    expect(specFromForm(filled).spec?.command).toEqual(['sh', '-c', 'echo "$A" done']);
  });
});

describe('fieldErrorsOfIssues', () => {
  it('maps the host\'s "path: message" issues onto the form\'s fields', () => {
    const current = form({ env: [{ name: '', value: '' }, { name: 'X', value: '1' }] });
    expect(
      fieldErrorsOfIssues(
        ['spec.env.0.name: bad name', 'spec.workdir: must be absolute', 'spec.image.reference: bad', 'spec.command.3: too long', 'something odd'],
        current,
      ),
    ).toEqual({
      'env.1.name': 'bad name',
      workdir: 'must be absolute',
      image: 'bad',
      command: 'too long',
      form: 'something odd',
    });
  });
});

describe('engineChoices', () => {
  const engines = [
    engineStatus({ id: 'alpha', label: 'Alpha' }),
    engineStatus({ id: 'beta', label: 'Beta' }),
    engineStatus({ id: 'gamma', label: 'Gamma', state: 'unreachable', message: 'daemon not running' }),
    engineStatus({ id: 'delta', label: 'Delta' }),
  ];
  const runnable = new Set(['alpha', 'beta', 'gamma']);
  const alphaImage = imageSummary({ engineId: 'alpha', repository: 'busybox', tag: '1.36' });
  const betaImage = imageSummary({ engineId: 'beta', repository: 'localhost/busybox', tag: '1.36' });
  const rows = [...toRows('alpha', 'Alpha', [alphaImage]), ...toRows('beta', 'Beta', [betaImage, imageSummary({ engineId: 'beta', repository: 'other', tag: 'x' })])];

  it('offers ready engines that hold the image (by name or id), each with its own image id', () => {
    const choices = engineChoices(engines, runnable, rows, { imageId: alphaImage.id, reference: 'busybox:1.36' });
    expect(choices.map((choice) => [choice.engineId, choice.disabledReason])).toEqual([
      ['alpha', null],
      ['beta', null],
      ['gamma', 'not ready: daemon not running'],
    ]);
    expect(choices[1]?.image).toEqual({ imageId: betaImage.id, reference: 'localhost/busybox:1.36' });
  });

  it('says which engines do not hold the image', () => {
    const choices = engineChoices(engines, runnable, rows.filter((row) => row.engineId === 'alpha'), { imageId: alphaImage.id, reference: 'busybox:1.36' });
    expect(choices.find((choice) => choice.engineId === 'beta')?.disabledReason).toBe('does not hold this image');
  });

  it('with no image chosen, offers every ready engine that runs jobs', () => {
    expect(engineChoices(engines, runnable, rows, null).map((choice) => choice.disabledReason === null)).toEqual([true, true, false]);
  });
});
