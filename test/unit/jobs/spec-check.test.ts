import { describe, expect, it } from 'vitest';
import { RunSpecSchema, type RunCapabilities } from '../../../shared/run';
import { newJobId } from '../../../electron/jobs/job-ids';
import { JobIdSchema } from '../../../shared/jobs';
import { specProblems } from '../../../electron/jobs/spec-check';
import { endNotice, finalState } from '../../../electron/jobs/job-states';

const yes = { supported: true, note: null };
const no = (note: string) => ({ supported: false, note });
const capabilities: RunCapabilities = {
  tty: yes,
  networks: ['default', 'host'],
  gpu: no('no GPU passthrough'),
  user: no('runs as you'),
  workdir: yes,
  readOnlyBinds: yes,
  ports: no('shares the host network'),
  exec: no('no daemon'),
  reattach: false,
  modes: [
    { id: 'P1', label: 'proot', ready: true },
    { id: 'R1', label: 'runc', ready: false },
  ],
};
const spec = (patch: object) => RunSpecSchema.parse({ engineId: 'udocker', image: { imageId: 'abcdef123456' }, ...patch });

describe('what an engine cannot do of a spec', () => {
  it('accepts what the engine supports', () => {
    expect(specProblems(spec({ tty: true, network: 'host', executionMode: 'P1' }), capabilities)).toEqual([]);
  });

  it('names each field the engine lacks, with the engine\'s reason', () => {
    const problems = specProblems(
      spec({ gpu: true, user: 'nobody', network: 'none', executionMode: 'R1', env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }),
      capabilities,
    );
    expect(problems).toEqual([
      'GPU: no GPU passthrough',
      'User: runs as you',
      'Network "none": this engine offers "default", "host"',
      'Execution mode R1: its test container did not run on this machine',
      'Environment: A is set twice',
    ]);
  });

  it('refuses ports an engine cannot publish, ports published twice, and ports without a network', () => {
    expect(specProblems(spec({ ports: [{ hostPort: 8080, containerPort: 80 }] }), capabilities)).toEqual(['Published ports: shares the host network']);
    const withPorts = { ...capabilities, ports: yes };
    expect(
      specProblems(spec({ network: 'host', ports: [{ hostPort: 8080, containerPort: 80 }, { hostPort: 8080, containerPort: 81 }] }), withPorts),
    ).toEqual(['Published ports need the engine\'s default network, not "host"', 'Ports: host port 8080/tcp is published twice']);
    expect(RunSpecSchema.safeParse({ engineId: 'docker', image: { imageId: 'abcdef123456' }, ports: [{ hostPort: 0, containerPort: 80 }] }).success).toBe(false);
    expect(RunSpecSchema.safeParse({ engineId: 'docker', image: { imageId: 'abcdef123456' }, ports: [{ hostPort: 70000, containerPort: 80 }] }).success).toBe(false);
    expect(RunSpecSchema.safeParse({ engineId: 'docker', image: { imageId: 'abcdef123456' }, ports: [{ hostPort: 8080, containerPort: 80, protocol: 'sctp' }] }).success).toBe(false);
  });

  it('refuses hostile or malformed fields at the schema, before any engine sees them', () => {
    const bad = [
      { env: [{ name: '1A', value: 'x' }] },
      { env: [{ name: 'A=B', value: 'x' }] },
      { binds: [{ hostPath: 'relative', containerPath: '/data' }] },
      { binds: [{ hostPath: '/a:/etc', containerPath: '/data' }] },
      { user: '--privileged' },
      { workdir: '/tmp\n/etc' },
      { command: ['echo', 'a\0b'] },
      { executionMode: '$(id)' },
      { image: { imageId: 'abcdef123456', reference: '-rf' } },
    ];
    for (const patch of bad) expect(RunSpecSchema.safeParse({ engineId: 'docker', image: { imageId: 'abcdef123456' }, ...patch }).success).toBe(false);
    // A hostile *argument* is just an argument: it goes to the engine as one argv entry.
    expect(RunSpecSchema.safeParse({ engineId: 'docker', image: { imageId: 'abcdef123456' }, command: ['sh', '-c', '$(rm -rf /); `id`'] }).success).toBe(true);
  });
});

describe('job ids and end states', () => {
  it('makes ids that pass the schema and sort by time', () => {
    const early = newJobId(1_000_000);
    const late = newJobId(2_000_000);
    expect(JobIdSchema.safeParse(early).success).toBe(true);
    expect(early < late).toBe(true);
  });

  it('tells a stopped job from one that ended by itself', () => {
    const exit = { outcome: 'exited' as const, exitCode: 137, signal: 'SIGKILL', message: null };
    expect(finalState(exit, { stopRequested: false, quitting: false })).toBe('exited');
    expect(finalState(exit, { stopRequested: true, quitting: false })).toBe('killed');
    expect(finalState(exit, { stopRequested: true, quitting: true })).toBe('interrupted');
    expect(finalState({ ...exit, outcome: 'engine-lost' }, { stopRequested: false, quitting: false })).toBe('engine-lost');
    expect(endNotice('exited', { ...exit, exitCode: 127 }, 'exec: "nosuch": executable file not found')).toContain('127 (command not found)');
    expect(endNotice('exited', { ...exit, exitCode: 0 }, null)).toBeNull();
  });
});
