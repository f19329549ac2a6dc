// udocker's text answers, recorded from the real udocker 1.3.17 on this machine
// (test/fixtures/recorded/udocker-*), and what Crossdock reads from them.
import { describe, expect, it } from 'vitest';
import type { CliOutcome } from '../../../../electron/engines/udocker/cli';
import { udockerWords } from '../../../../electron/engines/udocker/cli';
import {
  classifyRun,
  classifySetup,
  modeAttributes,
  parseExecMode,
  parsePopenReturnCode,
  summarizeModes,
  type ModeResult,
} from '../../../../electron/engines/udocker/modes';
import { parseUdockerVersion } from '../../../../electron/engines/udocker/version';
import { recordedText } from '../recorded';

const outcome = (fields: Partial<CliOutcome>): CliOutcome => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  spawnError: null,
  timedOut: false,
  cancelled: false,
  ...fields,
});

describe('udocker version', () => {
  it('reads the version and the tools release, with and without a tarball URL', () => {
    expect(parseUdockerVersion(recordedText('udocker-version.txt'))).toEqual({ version: '1.3.17', tarballRelease: '1.2.11' });
    expect(parseUdockerVersion(recordedText('udocker-version-offline.txt'))).toEqual({ version: '1.3.17', tarballRelease: '1.2.11' });
  });

  it('refuses garbage and other programs', () => {
    expect(parseUdockerVersion('')).toBeNull();
    expect(parseUdockerVersion('\u0000\u0001 garbage ::: version')).toBeNull();
    expect(parseUdockerVersion('Python 3.11.9')).toBeNull();
    expect(parseUdockerVersion('version: $(rm -rf /)')).toBeNull();
    expect(parseUdockerVersion(recordedText('udocker-images.txt'))).toBeNull();
  });
});

describe('execution modes', () => {
  it('reads the mode back from `udocker setup NAME`', () => {
    expect(parseExecMode(recordedText('udocker-setup-show-F1.txt'))).toBe('F1');
    expect(parseExecMode('execmode: Z9\n')).toBeNull();
    expect(parseExecMode('garbage')).toBeNull();
  });

  it('a switch that udocker refused (the container stayed in its mode) fails with udocker\'s words', () => {
    const result = classifySetup(
      'F2',
      outcome({ exitCode: 1, stderr: recordedText('udocker-setup-F2-failed.stderr.txt') }),
      outcome({ stdout: recordedText('udocker-setup-show-after-F2.txt') }),
    );
    expect(result).toMatchObject({ mode: 'F2', status: 'fails' });
    expect(result!.detail).toBe('setup --execmode=F2 failed: Error: container setup failed; the container stayed in F1');
  });

  it('a switch that exits 0 but reads back another mode still fails', () => {
    const result = classifySetup('R1', outcome({ exitCode: 0 }), outcome({ stdout: 'execmode: P1\nnvidiamode: False' }));
    expect(result?.detail).toMatch(/stayed in P1/);
    expect(classifySetup('R1', outcome({}), outcome({ stdout: 'execmode: R1\nnvidiamode: False' }))).toBeNull();
  });

  it('P1 keeps the exit code: works', () => {
    const result = classifyRun('P1', outcome({ exitCode: 37, stdout: recordedText('udocker-run-P1-banner.stdout.txt') }), 20_000);
    expect(result).toMatchObject({ status: 'works', exitCode: 37, detail: '' });
  });

  it('R1 without a terminal: exit 1, the real 37 in a Python repr: exit code lost', () => {
    const stderr = recordedText('udocker-run-R1.stderr.txt');
    expect(parsePopenReturnCode(stderr)).toBe(37);
    const result = classifyRun('R1', outcome({ exitCode: 1, stdout: recordedText('udocker-run-R1.stdout.txt'), stderr }), 20_000);
    expect(result).toMatchObject({ status: 'exit-code-lost', exitCode: 1, reportedExitCode: 37 });
    expect(result.detail).toMatch(/Python repr/);
  });

  it('R2 here: runc cannot find proot inside the container: fails with those words', () => {
    const result = classifyRun(
      'R2',
      outcome({ exitCode: 1, stdout: recordedText('udocker-run-R2.stdout.txt'), stderr: recordedText('udocker-run-R2.stderr.txt') }),
      20_000,
    );
    expect(result).toMatchObject({ status: 'fails', reportedExitCode: 1 });
    expect(result.detail).toBe('exit 1 instead of 37: exec /.udocker/bin/proot: no such file or directory');
  });

  it('a hang and an unstartable udocker fail with the reason', () => {
    expect(classifyRun('P2', outcome({ exitCode: null, timedOut: true }), 20_000).detail).toBe('no answer within 20 s');
    expect(classifyRun('P2', outcome({ exitCode: null, spawnError: 'ENOENT' }), 20_000).detail).toMatch(/ENOENT/);
    expect(classifyRun('P2', outcome({ exitCode: 0, stdout: '\u0000garbage' }), 20_000)).toMatchObject({ status: 'fails' });
  });

  it('udocker\'s words leave out its install help and banner', () => {
    expect(udockerWords(outcome({ stderr: recordedText('udocker-setup-no-tools.stderr.txt') }))).toBe(
      'Error: installation of udockertools failed; Error: container setup failed',
    );
    expect(udockerWords(outcome({ stderr: recordedText('udocker-inspect-missing.stderr.txt') }))).toBe('Error: image not found nope');
    expect(udockerWords(outcome({}))).toBe('no output');
  });

  it('advertises only the modes that ran, in one line', () => {
    const results: ModeResult[] = [
      { mode: 'P1', status: 'works', exitCode: 37, reportedExitCode: 37, detail: '' },
      { mode: 'P2', status: 'works', exitCode: 37, reportedExitCode: 37, detail: '' },
      { mode: 'R1', status: 'exit-code-lost', exitCode: 1, reportedExitCode: 37, detail: 'x' },
      { mode: 'F2', status: 'fails', exitCode: null, reportedExitCode: null, detail: 'y' },
      { mode: 'S1', status: 'not-available', exitCode: null, reportedExitCode: null, detail: 'z' },
    ];
    expect(modeAttributes(results)).toMatchObject({
      ExecModes: 'P1,P2',
      ExecModesExitCodeLost: 'R1',
      ExecModesFailed: 'F2',
      ExecModesNotAvailable: 'S1',
      DefaultExecMode: 'P1',
      Daemonless: true,
      HasOCI: true,
      ImageFormats: 'docker,oci',
    });
    expect(modeAttributes(results.slice(2)).DefaultExecMode).toBeUndefined();
    const line = summarizeModes(results);
    expect(line).not.toMatch(/\n/);
    expect(line).toBe('P1 ok (37); P2 ok (37); R1 exit code lost (x); F2 fails: y; S1 not available: z');
  });
});
