// The command-line builders and exit classifiers of the process runners (Charliecloud, Apptainer,
// the podman CLI): pure functions, checked here without any engine.
import { describe, expect, it } from 'vitest';
import { RunSpecSchema, type RunSpecInput } from '../../../shared/run';
import { chRunArgs, chRunProblems, classifyChRunExit, setEnvValue } from '../../../electron/engines/charliecloud/run/command';
import { apptainerArgv, apptainerRunProblems, classifyApptainerExit, plainEnvValue } from '../../../electron/engines/apptainer/run/command';
import { classifyPodmanExit, podmanExecArgs, podmanRunArgs } from '../../../electron/engines/podman/run/command';

const spec = (input: Omit<RunSpecInput, 'engineId' | 'image'>, imageId = 'sha256:' + 'a'.repeat(64)) =>
  RunSpecSchema.parse({ engineId: 'e', image: { imageId }, ...input });
const exit = (exitCode: number | null, stderrTail: string, signal: string | null = null) => ({ exitCode, signal, stderrTail });

describe('ch-run command lines', () => {
  it('puts options before the image and the command after --', () => {
    expect(
      chRunArgs(spec({ command: ['-x', 'y'], binds: [{ hostPath: '/h', containerPath: '/c' }], workdir: '/w', user: '5', env: [{ name: 'A', value: '$B' }] }), '/img'),
    ).toEqual(['-b', '/h:/c', '-c', '/w', '-u', '5', '--env-no-expand', '--set-env=A=$B', '/img', '--', '-x', 'y']);
    expect(chRunArgs(spec({ command: ['true'], user: '5:6' }), '/img')).toEqual(['-u', '5', '-g', '6', '/img', '--', 'true']);
  });

  it('protects a value that ch-run would strip of its single quotes', () => {
    expect(setEnvValue("'x'")).toBe("''x''");
    expect(setEnvValue("'")).toBe("'");
    expect(setEnvValue("a'b'")).toBe("a'b'");
    expect(setEnvValue('"x"')).toBe('"x"');
  });

  it('names what ch-run cannot do', () => {
    expect(chRunProblems(spec({ command: ['true'] }), '/img')).toEqual([]);
    expect(chRunProblems(spec({ command: [] }), '/img').join()).toMatch(/no default command/);
    expect(chRunProblems(spec({ command: ['true'], user: 'alice' }), '/img').join()).toMatch(/numeric/);
    expect(chRunProblems(spec({ command: ['true'], network: 'none', gpu: true }), undefined)).toHaveLength(3);
  });

  it('tells ch-run\'s refusals from the program\'s exit', () => {
    expect(classifyChRunExit(exit(1, "ch-run[12]: error: can't execve(2): nosuch: No such file or directory (ch_core.c:410 2)\n"))).toMatchObject({ outcome: 'exited', exitCode: 127 });
    expect(classifyChRunExit(exit(1, "ch-run[12]: error: can't execve(2): /x: Permission denied (ch_core.c:410 13)\n"))).toMatchObject({ outcome: 'exited', exitCode: 126 });
    expect(classifyChRunExit(exit(1, "ch-run[12]: error: can't stat: /img: No such file or directory (ch_core.c:255 2)\r\n"))).toEqual({
      outcome: 'failed', exitCode: 1, signal: null, message: "ch-run: can't stat: /img: No such file or directory",
    });
    expect(classifyChRunExit(exit(1, 'the program failed\n'))).toBeNull();
    expect(classifyChRunExit(exit(127, 'sh: nosuch: not found\n'))).toBeNull();
    expect(classifyChRunExit(exit(1, "ch-run[12]: error: x (a.c:1 2)\nlater program output\n"))).toBeNull();
  });
});

describe('apptainer command lines', () => {
  it('uses exec with a command, run without, --containall always', () => {
    expect(apptainerArgv('/bin/apptainer', spec({ command: ['ls', '-l'] }), '/i.sif')).toEqual(['/bin/apptainer', 'exec', '--containall', '/i.sif', 'ls', '-l']);
    expect(apptainerArgv('/bin/apptainer', spec({ command: [] }), '/i.sif')).toEqual(['/bin/apptainer', 'run', '--containall', '/i.sif']);
  });

  it('passes binds, working directory, GPU, network and plain variables as options, others as APPTAINERENV_', () => {
    const argv = apptainerArgv(
      'apptainer',
      spec({
        command: ['x'],
        binds: [{ hostPath: '/h', containerPath: '/c', readOnly: true }, { hostPath: '/h2', containerPath: '/c2' }],
        workdir: '/w',
        gpu: true,
        network: 'none',
        env: [{ name: 'A', value: 'plain value' }, { name: 'B', value: 'k=v' }, { name: 'C', value: 'a,b' }],
      }),
      '/i.sif',
    );
    expect(argv).toEqual([
      'env', 'APPTAINERENV_B=k=v', 'APPTAINERENV_C=a,b', 'apptainer', 'exec', '--containall', '--bind', '/h:/c:ro', '--bind', '/h2:/c2', '--pwd', '/w',
      '--env', 'A=plain value', '--nv', '--net', '--network', 'none', '/i.sif', 'x',
    ]);
    expect([plainEnvValue(''), plainEnvValue('"q"'), plainEnvValue('a\nb')]).toEqual([true, false, false]);
  });

  it('refuses a user, and --network none for an ordinary user', () => {
    expect(apptainerRunProblems(spec({ command: ['x'], user: '1' }), '/i', true).join()).toMatch(/as you/);
    expect(apptainerRunProblems(spec({ command: ['x'], network: 'none' }), '/i', false).join()).toMatch(/needs root/);
    expect(apptainerRunProblems(spec({ command: ['x'], network: 'none' }), '/i', true)).toEqual([]);
  });

  it('tells Apptainer\'s FATAL errors from the program\'s exit', () => {
    expect(classifyApptainerExit(exit(255, 'FATAL:   "nosuch": executable file not found in $PATH\n'))).toMatchObject({ outcome: 'exited', exitCode: 127 });
    expect(classifyApptainerExit(exit(255, 'FATAL:   could not open image /x.sif: no such file\n'))).toEqual({
      outcome: 'failed', exitCode: 255, signal: null, message: 'apptainer: could not open image /x.sif: no such file',
    });
    expect(classifyApptainerExit(exit(255, 'program said bye\n'))).toBeNull();
    expect(classifyApptainerExit(exit(1, 'FATAL: not ours\n'))).toBeNull();
  });
});

describe('podman run command lines', () => {
  it('maps every option as the Docker CLI does, the image by tag or id', () => {
    const full = spec({
      command: ['sh'],
      env: [{ name: 'A', value: 'x=y' }],
      binds: [{ hostPath: '/h', containerPath: '/c', readOnly: true }],
      workdir: '/w',
      user: 'u:g',
      network: 'host',
      gpu: true,
      tty: true,
      remove: false,
    });
    expect(podmanRunArgs(full, 'crossdock-1')).toEqual([
      'run', '--name', 'crossdock-1', '--pull', 'never', '-i', '-t', '--network', 'host', '-e', 'A=x=y', '-v', '/h:/c:ro', '-w', '/w', '-u', 'u:g',
      '--device', 'nvidia.com/gpu=all', 'a'.repeat(64), 'sh',
    ]);
    const tagged = RunSpecSchema.parse({ engineId: 'e', image: { imageId: 'sha256:' + 'b'.repeat(64), reference: 'localhost/x:1' }, command: [] });
    expect(podmanRunArgs(tagged, 'n')).toEqual(['run', '--name', 'n', '--pull', 'never', '--rm', 'localhost/x:1']);
    expect(podmanExecArgs('n', ['sh'])).toEqual(['exec', '-i', '-t', 'n', 'sh']);
    expect(() => podmanExecArgs('-n', ['sh'])).toThrow();
  });

  it('reads exit 125 with podman\'s Error line as a refusal, and leaves 126, 127 and the rest alone', () => {
    expect(classifyPodmanExit(exit(125, 'Error: localhost/x:1: image not known\n'))).toEqual({ outcome: 'failed', exitCode: 125, signal: null, message: 'podman: localhost/x:1: image not known' });
    expect(classifyPodmanExit(exit(125, 'the program exited 125 by itself\n'))).toBeNull();
    expect(classifyPodmanExit(exit(127, 'Error: executable file `x` not found\n'))).toBeNull();
    expect(classifyPodmanExit(exit(126, ''))).toBeNull();
  });
});
