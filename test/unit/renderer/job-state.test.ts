import { describe, expect, it } from 'vitest';
import { describeJobState, exitCodeMeaning, formatDuration, jobDurationMs, newerJob, withJob, withoutJob } from '../../../renderer/lib/job-state';
import { jobRecord } from './fixtures';

describe('describeJobState', () => {
  it('names the state, and for an exit its code and what the usual codes mean', () => {
    expect(describeJobState(jobRecord({ state: 'running' })).text).toBe('Running');
    expect(describeJobState(jobRecord({ state: 'exited', exitCode: 0 }))).toMatchObject({ text: 'Exited 0', tone: 'good' });
    expect(describeJobState(jobRecord({ state: 'exited', exitCode: 1 }))).toMatchObject({ text: 'Exited 1', tone: 'bad' });
    expect(describeJobState(jobRecord({ state: 'exited', exitCode: 127 })).text).toBe('Exited 127 (command not found)');
    expect(describeJobState(jobRecord({ state: 'exited', exitCode: 126 })).text).toBe('Exited 126 (cannot execute)');
    expect(describeJobState(jobRecord({ state: 'exited', exitCode: 137 })).text).toBe('Exited 137 (SIGKILL)');
    expect(describeJobState(jobRecord({ state: 'exited', exitCode: 143 })).text).toBe('Exited 143 (SIGTERM)');
    expect(describeJobState(jobRecord({ state: 'killed', signal: 'SIGKILL' })).text).toBe('Killed (SIGKILL)');
    expect(describeJobState(jobRecord({ state: 'engine-lost' })).text).toBe('Engine lost');
    expect(describeJobState(jobRecord({ state: 'interrupted' })).text).toBe('Interrupted');
    expect(describeJobState(jobRecord({ state: 'failed' })).tone).toBe('bad');
  });

  it('reads other signals from 128 + n', () => {
    expect(exitCodeMeaning(130)).toBe('signal 2');
    expect(exitCodeMeaning(2)).toBeNull();
  });
});

describe('durations', () => {
  it('formats short and long durations', () => {
    expect(formatDuration(400)).toBe('0.4 s');
    expect(formatDuration(12_300)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(7_260_000)).toBe('2 h 01 min');
  });

  it('runs live while the job is active and stops at its end', () => {
    const now = Date.parse('2026-11-23T10:00:31.000Z');
    expect(jobDurationMs(jobRecord({ state: 'running' }), now)).toBe(30_000);
    expect(jobDurationMs(jobRecord({ state: 'exited', endedAt: '2026-11-23T10:00:03.000Z' }), now)).toBe(2000);
    expect(jobDurationMs(jobRecord({ state: 'starting', startedAt: null }), now)).toBeNull();
  });
});

describe('withJob and withoutJob', () => {
  it('replaces a record in place and inserts a new one newest first', () => {
    const old = jobRecord({ createdAt: '2026-11-23T09:00:00.000Z' });
    const mid = jobRecord({ createdAt: '2026-11-23T10:00:00.000Z' });
    const list = [mid, old];
    const ended = { ...old, state: 'exited' as const, exitCode: 0 };
    expect(withJob(list, ended)?.map((job) => job.state)).toEqual(['running', 'exited']);
    const newest = jobRecord({ createdAt: '2026-11-23T11:00:00.000Z' });
    expect(withJob(list, newest)?.map((job) => job.id)).toEqual([newest.id, mid.id, old.id]);
    const between = jobRecord({ createdAt: '2026-11-23T09:30:00.000Z' });
    expect(withJob(list, between)?.map((job) => job.id)).toEqual([mid.id, between.id, old.id]);
    expect(withJob(undefined, newest)).toBeUndefined();
  });

  it('never lets an older answer put an earlier state back', () => {
    const running = jobRecord({ state: 'running' });
    const killed = { ...running, state: 'killed' as const, signal: 'SIGKILL' };
    const list = [killed];
    // The kill's answer ("running") arrives after the change event ("killed").
    expect(withJob(list, running)).toBe(list);
    expect(newerJob(killed, running)).toBe(killed);
    expect(newerJob(running, { ...running, state: 'stopping' }).state).toBe('stopping');
    expect(newerJob(undefined, running)).toBe(running);
  });

  it('removes a record, and keeps the list as it is when the record is not there', () => {
    const a = jobRecord();
    const b = jobRecord();
    const list = [a, b];
    expect(withoutJob(list, a.id)).toEqual([b]);
    expect(withoutJob(list, 'j-nothere0')).toBe(list);
    expect(withoutJob(undefined, a.id)).toBeUndefined();
  });
});
