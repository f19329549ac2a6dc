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

describe('published port rows', () => {
  it('become the spec\'s ports as numbers, protocol kept', () => {
    const result = specFromForm(
      form({
        ports: [
          { hostPort: '8080', containerPort: '80', protocol: 'tcp' },
          { hostPort: ' 5353 ', containerPort: '53', protocol: 'udp' },
        ],
      }),
    );
    expect(result.errors).toEqual({});
    expect(result.spec?.ports).toEqual([
      { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostPort: 5353, containerPort: 53, protocol: 'udp' },
    ]);
  });

  it('ignore a row with neither port typed, whatever its protocol', () => {
    const result = specFromForm(form({ ports: [{ hostPort: '', containerPort: '', protocol: 'udp' }] }));
    expect(result.errors).toEqual({});
    expect(result.spec?.ports).toEqual([]);
  });

  it('ask for both ports once either is filled', () => {
    const result = specFromForm(
      form({
        ports: [
          { hostPort: '8080', containerPort: '', protocol: 'tcp' },
          { hostPort: '', containerPort: '443', protocol: 'tcp' },
        ],
      }),
    );
    expect(result.spec).toBeNull();
    expect(result.errors).toEqual({
      'ports.0.containerPort': 'a published port needs the container port too',
      'ports.1.hostPort': 'a published port needs the host port too',
    });
  });

  it('refuse anything but a whole number from 1 to 65535, beside the field, counting rows as shown', () => {
    const result = specFromForm(
      form({
        ports: [
          { hostPort: '', containerPort: '', protocol: 'tcp' },
          { hostPort: '0', containerPort: '65536', protocol: 'tcp' },
          { hostPort: '80.5', containerPort: 'http', protocol: 'udp' },
          { hostPort: '-1', containerPort: '1e3', protocol: 'tcp' },
          { hostPort: '1', containerPort: '65535', protocol: 'tcp' },
        ],
      }),
    );
    expect(result.spec).toBeNull();
    expect(Object.keys(result.errors).sort()).toEqual(
      ['ports.1.hostPort', 'ports.1.containerPort', 'ports.2.hostPort', 'ports.2.containerPort', 'ports.3.hostPort', 'ports.3.containerPort'].sort(),
    );
    for (const message of Object.values(result.errors)) expect(message).toBe('a port is a whole number from 1 to 65535');
  });

  it('come back from a spec as text and turn into the same spec again', () => {
    const { spec } = jobRecord({});
    const ports = [
      { hostPort: 8080, containerPort: 80, protocol: 'tcp' as const },
      { hostPort: 9000, containerPort: 9000, protocol: 'udp' as const },
    ];
    const filled = formFromSpec({ ...spec, ports });
    expect(filled.ports).toEqual([
      { hostPort: '8080', containerPort: '80', protocol: 'tcp' },
      { hostPort: '9000', containerPort: '9000', protocol: 'udp' },
    ]);
    expect(specFromForm(filled).spec?.ports).toEqual(ports);
  });

  it('start empty', () => {
    expect(emptyForm().ports).toEqual([]);
  });
});

describe('fieldErrorsOfIssues', () => {
  it('maps the host\'s port issues onto the rows the form shows (empty rows counted)', () => {
    const current = form({
      ports: [
        { hostPort: '', containerPort: '', protocol: 'tcp' },
        { hostPort: '8080', containerPort: '80', protocol: 'tcp' },
        { hostPort: '8443', containerPort: '443', protocol: 'udp' },
      ],
    });
    expect(
      fieldErrorsOfIssues(['spec.ports.0.hostPort: port 8080 is taken', 'spec.ports.1.protocol: not offered', 'spec.ports.1: duplicate'], current),
    ).toEqual({
      'ports.1.hostPort': 'port 8080 is taken',
      'ports.2.protocol': 'not offered',
      'ports.2.hostPort': 'duplicate',
    });
  });

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
