// udocker's job command lines, refusals, exit classification and capabilities, without udocker.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../shared/errors';
import { RunCapabilitiesSchema, RunSpecSchema, type RunSpecInput } from '../../../../shared/run';
import type { ModeResult } from '../../../../electron/engines/udocker/modes';
import { createArgs, removeArgs, runArgs, setupModeArgs, setupNvidiaArgs, withRootFlag } from '../../../../electron/engines/udocker/run/argv';
import { executionModes, udockerCapabilities } from '../../../../electron/engines/udocker/run/capabilities';
import { chooseMode, needsTerminal } from '../../../../electron/engines/udocker/run/exec-mode';
import { classifyUdockerExit } from '../../../../electron/engines/udocker/run/exit';
import { ContainerNames, JOB_CONTAINER_PREFIX } from '../../../../electron/engines/udocker/run/names';
import { refusal } from '../../../../electron/engines/udocker/run/refusals';
import { UdockerRunner } from '../../../../electron/engines/udocker/run/runner';

const spec = (fields: Partial<RunSpecInput> = {}) =>
  RunSpecSchema.parse({ engineId: 'udocker', image: { imageId: 'sha256:' + 'a'.repeat(64), reference: 'busybox:1' }, ...fields });

const result = (mode: ModeResult['mode'], status: ModeResult['status']): ModeResult => ({ mode, status, exitCode: null, reportedExitCode: null, detail: '' });

describe('udocker run argv', () => {
  it('is `run --pull=never [options] --nobanner NAME command...` with every option in one word', () => {
    const args = runArgs(
      spec({
        command: ['/bin/sh', '-c', 'echo "$A"'],
        env: [{ name: 'A', value: 'x y=z' }, { name: 'EMPTY', value: '' }],
        binds: [{ hostPath: '/data/in', containerPath: '/in' }],
        workdir: '/in',
        user: '1000:1000',
      }),
      'crossdock-job-0123456789',
    );
    expect(args).toEqual([
      'run',
      '--pull=never',
      '--workdir=/in',
      '--user=1000:1000',
      '--volume=/data/in:/in',
      '--env=A=x y=z',
      '--env=EMPTY=',
      '--nobanner',
      'crossdock-job-0123456789',
      '/bin/sh',
      '-c',
      'echo "$A"',
    ]);
  });

  it('puts --nobanner right before the name, so a value ending in "=" never swallows the name', () => {
    const args = runArgs(spec({ env: [{ name: 'EMPTY', value: '' }], command: ['/bin/echo', '--env=X=1'] }), 'c');
    const name = args.indexOf('c');
    expect(args[name - 1]).toBe('--nobanner');
    expect(args.slice(name + 1)).toEqual(['/bin/echo', '--env=X=1']);
  });

  it('leaves the command out for the image\'s own, and adds nothing for network, tty or GPU', () => {
    expect(runArgs(spec({ network: 'host', tty: true, gpu: true }), 'c')).toEqual(['run', '--pull=never', '--nobanner', 'c']);
  });

  it('writes the steps before the run, and --allow-root first for root', () => {
    expect(createArgs('n', 'busybox:1')).toEqual(['create', '--name=n', 'busybox:1']);
    expect(setupModeArgs('n', 'F3')).toEqual(['setup', '--execmode=F3', 'n']);
    expect(setupNvidiaArgs('n')).toEqual(['setup', '--nvidia', 'n']);
    expect(removeArgs('n')).toEqual(['rm', '-f', 'n']);
    expect(withRootFlag(true, ['run', 'n'])).toEqual(['--allow-root', 'run', 'n']);
    expect(withRootFlag(false, ['run', 'n'])).toEqual(['run', 'n']);
  });
});

describe('udocker job container names', () => {
  it('gives a spec\'s start the name its command line showed, once', () => {
    const names = new ContainerNames();
    const shown = spec();
    const name = names.forCommandLine(shown);
    expect(name).toMatch(new RegExp(`^${JOB_CONTAINER_PREFIX}[0-9a-f]{10}$`));
    expect(names.forCommandLine(shown)).toBe(name);
    expect(names.take(shown)).toBe(name);
    expect(names.take(shown)).not.toBe(name);
    expect(names.take(spec())).not.toBe(name);
  });

  it('shows the same argv in commandLine as start runs', () => {
    const runner = new UdockerRunner({ engineId: 'udocker', binaryPath: '/usr/bin/udocker', asRoot: true, cli: async () => null, modes: () => null, log: () => undefined });
    const shown = spec({ command: ['id'] });
    const line = runner.commandLine({ spec: shown, image: {} as never });
    expect(line.isEquivalent).toBe(false);
    expect(line.argv.slice(0, 5)).toEqual(['/usr/bin/udocker', '--allow-root', 'run', '--pull=never', '--nobanner']);
    expect(line.argv.at(-1)).toBe('id');
    expect(runner.commandLine({ spec: shown, image: {} as never })).toEqual(line);
  });
});

describe('udocker refusals', () => {
  it('refuses what udocker would do differently than asked', () => {
    expect(refusal(spec())).toBeNull();
    expect(refusal(spec({ network: 'none' }))).toMatch(/network/);
    expect(refusal(spec({ binds: [{ hostPath: '/a', containerPath: '/b', readOnly: true }] }))).toMatch(/read-only/);
    expect(refusal(spec({ command: ['/bin/echo', ''] }))).toMatch(/empty arguments/);
    expect(refusal(spec({ env: [{ name: 'A', value: ' padded ' }] }))).toMatch(/A's value/);
    expect(refusal(spec({ env: [{ name: 'A', value: '' }] }))).toBeNull();
    expect(refusal(spec({ workdir: '/work ' }))).toMatch(/whitespace/);
    expect(refusal(spec({ binds: [{ hostPath: '/a', containerPath: '/' }] }))).toMatch(/root folder/);
  });

  it('throws invalid-request from start without calling udocker', async () => {
    let asked = false;
    const runner = new UdockerRunner({
      engineId: 'udocker',
      binaryPath: '/usr/bin/udocker',
      asRoot: false,
      cli: async () => {
        asked = true;
        return null;
      },
      modes: () => null,
      log: () => undefined,
    });
    const error = await runner.start({ spec: spec({ network: 'none' }), image: {} as never, size: { cols: 80, rows: 24 } }, new AbortController().signal).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('invalid-request');
    expect(asked).toBe(false);
  });
});

describe('udocker execution mode of a run', () => {
  it('takes the spec\'s mode, else P1 when it worked, else the first mode that did', () => {
    expect(chooseMode('R1', null, 'udocker')).toBe('R1');
    expect(chooseMode(null, null, 'udocker')).toBe('P1');
    expect(chooseMode(null, [result('P1', 'works'), result('P2', 'works')], 'udocker')).toBe('P1');
    expect(chooseMode(null, [result('P1', 'fails'), result('F3', 'works')], 'udocker')).toBe('F3');
    expect(() => chooseMode('X9', null, 'udocker')).toThrow(/no execution mode X9/);
  });

  it('runs the runc modes in a terminal, the others as asked', () => {
    expect(['R1', 'R2', 'R3'].every((mode) => needsTerminal(mode as 'R1'))).toBe(true);
    expect(['P1', 'P2', 'F1', 'F4', 'S1'].some((mode) => needsTerminal(mode as 'P1'))).toBe(false);
  });
});

describe('udocker run exit', () => {
  const facts = (exitCode: number | null, stderrTail = '', signal: string | null = null) => ({ exitCode, signal, stderrTail });

  it('leaves the container\'s own codes alone', () => {
    expect(classifyUdockerExit(facts(0))).toBeNull();
    expect(classifyUdockerExit(facts(1, 'some program said no\n'))).toBeNull();
    expect(classifyUdockerExit(facts(127, '/bin/sh: nonexistent: not found\n'))).toBeNull();
    expect(classifyUdockerExit(facts(143, '', 'SIGTERM'))).toBeNull();
  });

  it('reports udocker\'s "command not found" refusal as exit 127', () => {
    const exit = classifyUdockerExit(facts(2, "Error: command not found or has no execute bit set:  ['/nonexistent']\n"));
    expect(exit).toEqual({ outcome: 'exited', exitCode: 127, signal: null, message: "Error: command not found or has no execute bit set: ['/nonexistent']" });
  });

  it('reports udocker\'s own errors as failed, in its words, also from a terminal stream', () => {
    expect(classifyUdockerExit(facts(2, 'Error: invalid host volume path: /nonexistent\n'))).toEqual({
      outcome: 'failed',
      exitCode: 2,
      signal: null,
      message: 'udocker: Error: invalid host volume path: /nonexistent',
    });
    expect(classifyUdockerExit(facts(2, 'Error: invalid working directory:  /nope\r\n'))?.outcome).toBe('failed');
    expect(classifyUdockerExit(facts(1, 'Info: Host architecture might not be supported\nError: proot executable not found\n'))?.message).toBe('udocker: Error: proot executable not found');
    // A program's own "Error:" line is the program's.
    expect(classifyUdockerExit(facts(1, 'Error: the input file is empty\n'))).toBeNull();
  });

  it('reads proot\'s "terminated with signal" and runc\'s Popen repr', () => {
    expect(classifyUdockerExit(facts(255, 'proot info: pid 6741: terminated with signal 9\n'))).toEqual({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL', message: null });
    expect(classifyUdockerExit(facts(255, 'proot info: pid 1: terminated with signal 9\nthen more\n'))).toBeNull();
    expect(classifyUdockerExit(facts(1, "out\n<Popen: returncode: 3 args: ['/usr/sbin/runc', '--root', '/tmp/x...>\n"))).toMatchObject({ outcome: 'exited', exitCode: 3 });
    expect(classifyUdockerExit(facts(1, "<Popen: returncode: -15 args: ['/usr/sbin/runc'...>"))).toMatchObject({ exitCode: 143, signal: 'SIGTERM' });
  });
});

describe('udocker run capabilities', () => {
  it('lists every mode, ready where its test container ran (runc\'s under a terminal)', () => {
    const modes = executionModes([result('P1', 'works'), result('R1', 'exit-code-lost'), result('F1', 'fails'), result('S1', 'not-available')]);
    expect(modes.map((mode) => mode.id)).toEqual(['P1', 'P2', 'R1', 'R2', 'R3', 'F1', 'F2', 'F3', 'F4', 'S1']);
    expect(modes.filter((mode) => mode.ready).map((mode) => mode.id)).toEqual(['P1', 'R1']);
    expect(modes.find((mode) => mode.id === 'R1')?.label).toMatch(/terminal/);
    expect(executionModes(null).some((mode) => mode.ready)).toBe(false);
  });

  it('says what udocker lacks', () => {
    const capabilities = RunCapabilitiesSchema.parse(udockerCapabilities(null));
    expect(capabilities.networks).toEqual(['default', 'host']);
    expect(capabilities.readOnlyBinds.supported).toBe(false);
    expect(capabilities.exec.supported).toBe(false);
    expect(capabilities.reattach).toBe(false);
    expect(capabilities.gpu).toMatchObject({ supported: true, note: expect.stringMatching(/not verifiable/) });
    expect(capabilities.tty.supported).toBe(true);
  });
});
