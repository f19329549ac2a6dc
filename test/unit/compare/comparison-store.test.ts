// Comparison records on disk: written whole (a crash leaves the previous record, never half of
// one), saved in order, read back after a restart, and a comparison that was running when its
// Crossdock stopped is found interrupted, with what it had not finished cancelled and saying why.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ComparisonRecordSchema, type ComparisonRecord } from '../../../shared/compare';
import { RunSpecSchema } from '../../../shared/run';
import type { ChangeEvent } from '../../../shared/changes';
import { ComparisonManager } from '../../../electron/compare/comparison-manager';
import { ComparisonStore } from '../../../electron/compare/comparison-store';
import { newRecord, withAttempt } from '../../../electron/compare/record-edits';
import type { EngineRegistry } from '../../../electron/engines/registry';
import { ChangeFeed } from '../../../electron/host/change-feed';
import type { JobManager } from '../../../electron/jobs/job-manager';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function dataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'crossdock-compare-store-'));
  folders.push(folder);
  return folder;
}

const spec = RunSpecSchema.parse({ engineId: 'docker', image: { imageId: 'abcdef123456', reference: 'busybox:1' }, command: ['echo', 'hi'] });
const targets = [
  { engineId: 'docker', executionMode: null, image: { imageId: 'abcdef123456', reference: 'busybox:1' } },
  { engineId: 'udocker', executionMode: 'P1', image: { imageId: 'fedcba654321', reference: 'busybox:1' } },
];

function running(id = 'c-00000000aaaa'): ComparisonRecord {
  const record = newRecord(id, { spec, targets, repeat: 2 }, [
    { label: 'Docker', imageLabel: 'busybox:1' },
    { label: 'udocker P1', imageLabel: 'busybox:1' },
  ]);
  // Round 0 of Docker finished, round 0 of udocker was running, the rest pending.
  const done = withAttempt(record, 0, 0, { state: 'done', jobId: 'j-00000000aaaa', exitCode: 0, wallMs: 120, firstOutputMs: 80 });
  return withAttempt(done, 1, 0, { state: 'running', jobId: 'j-00000000bbbb' });
}

/** A manager whose only work here is loading: it never reaches the jobs or the engines. */
function managerOn(store: ComparisonStore, events: ChangeEvent[] = []): ComparisonManager {
  const feed = new ChangeFeed();
  const abort = new AbortController();
  void (async () => {
    for await (const event of feed.watch(abort.signal)) events.push(event);
  })();
  return new ComparisonManager({ store, feed, jobs: {} as JobManager, registry: {} as EngineRegistry, log: () => undefined });
}

describe('comparison store', () => {
  it('keeps records as <data>/comparisons/<id>.json and reads them back', async () => {
    const dir = dataDir();
    const store = new ComparisonStore(dir);
    const record = running();
    await store.save(record);
    expect(readdirSync(join(dir, 'comparisons'))).toEqual([`${record.id}.json`]);
    expect(ComparisonRecordSchema.parse(JSON.parse(readFileSync(join(dir, 'comparisons', `${record.id}.json`), 'utf8')))).toEqual(record);
    expect(await new ComparisonStore(dir).loadAll()).toEqual([record]);
  });

  it('writes whole records in the order they were saved, leaving no temporary file', async () => {
    const dir = dataDir();
    const store = new ComparisonStore(dir);
    const base = running();
    // Fired without waiting, as the runner does: the newest must land last.
    const saves = Array.from({ length: 30 }, (_, index) => store.save({ ...base, results: base.results.map((result) => ({ ...result, memoryNote: `note ${index}` })) }));
    await Promise.all(saves);
    const [loaded] = await store.loadAll();
    expect(loaded?.results[0]?.memoryNote).toBe('note 29');
    expect(readdirSync(join(dir, 'comparisons'))).toEqual([`${base.id}.json`]);
  });

  it('leaves the previous record when a write was cut short, and skips what does not parse', async () => {
    const dir = dataDir();
    const logs: string[] = [];
    const store = new ComparisonStore(dir, (line) => logs.push(line));
    const record = running();
    await store.save(record);
    const folder = join(dir, 'comparisons');
    // A Crossdock killed in the middle of a write leaves its temporary file, half written.
    writeFileSync(join(folder, `${record.id}.json.4242.tmp`), '{"id": "c-00000000aaaa", "spec": {');
    // A record someone edited by hand.
    writeFileSync(join(folder, 'c-00000000bbbb.json'), '{ not json');
    writeFileSync(join(folder, 'c-00000000cccc.json'), JSON.stringify({ id: 'c-00000000cccc', state: 'sideways' }));
    expect(await store.loadAll()).toEqual([record]);
    expect(logs.join('\n')).toMatch(/c-00000000bbbb: unreadable record/);
    expect(logs.join('\n')).toMatch(/c-00000000cccc: its record does not match/);
    // Left alone, not deleted.
    expect(readdirSync(folder)).toContain('c-00000000bbbb.json');
  });

  it('refuses an id that is not one (it names a file)', () => {
    const store = new ComparisonStore(dataDir());
    expect(() => store.pathOf('../../etc/passwd')).toThrow();
    expect(() => store.pathOf('c-abc')).toThrow();
  });

  it('deletes a record', async () => {
    const dir = dataDir();
    const store = new ComparisonStore(dir);
    const record = running();
    await store.save(record);
    await store.remove(record.id);
    expect(await store.loadAll()).toEqual([]);
  });
});

describe('a comparison found running at start-up', () => {
  it('becomes interrupted: what ran or waited is cancelled and says Crossdock stopped, what finished stays', async () => {
    const dir = dataDir();
    await new ComparisonStore(dir).save(running());
    const manager = managerOn(new ComparisonStore(dir));
    const [found] = await manager.list();
    expect(found).toMatchObject({ state: 'interrupted', endedAt: expect.any(String) });
    const [docker, udocker] = found!.results;
    expect(docker!.attempts[0]).toMatchObject({ state: 'done', exitCode: 0, wallMs: 120 });
    expect(docker!.attempts[1]).toMatchObject({ state: 'cancelled', message: expect.stringMatching(/Crossdock stopped/) });
    // The job it was running stays named: it is in the job list.
    expect(udocker!.attempts[0]).toMatchObject({ state: 'cancelled', jobId: 'j-00000000bbbb', message: expect.stringMatching(/Crossdock stopped/) });
    expect(udocker!.attempts[1]).toMatchObject({ state: 'cancelled', message: expect.stringMatching(/Crossdock stopped/) });
    // On disk too: the next start finds it interrupted, not running again.
    const [again] = await new ComparisonStore(dir).loadAll();
    expect(again).toEqual(found);
  });

  it('leaves finished comparisons as they were', async () => {
    const dir = dataDir();
    const finished: ComparisonRecord = { ...running('c-00000000dddd'), state: 'cancelled', endedAt: '2026-11-23T10:00:00.000Z' };
    await new ComparisonStore(dir).save(finished);
    expect(await managerOn(new ComparisonStore(dir)).get(finished.id)).toEqual(finished);
  });
});
