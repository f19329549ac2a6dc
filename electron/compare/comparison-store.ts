// Comparison records on disk, under the XDG data folder beside the jobs: comparisons/<id>.json.
// As with job records (jobs/job-store.ts), a record is written whole to a temporary file and
// renamed over the old one, so a crash leaves the previous record and never half of one; saves of
// one record are queued so that the newest always lands last. Records that do not parse are
// reported and left alone, not deleted.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WriteQueue, writeJsonAtomically } from '../storage/atomic-json';
import { ComparisonIdSchema, ComparisonRecordSchema, type ComparisonRecord } from '../../shared/compare';

const SUFFIX = '.json';

export class ComparisonStore {
  readonly root: string;
  /** One write at a time per record, the newest content last. */
  private readonly writes = new WriteQueue();

  constructor(dataDir: string, private readonly log: (message: string) => void = () => {}) {
    this.root = join(dataDir, 'comparisons');
  }

  pathOf(comparisonId: string): string {
    // The id's schema keeps it one safe path segment; checked again because it names a file.
    ComparisonIdSchema.parse(comparisonId);
    return join(this.root, `${comparisonId}${SUFFIX}`);
  }

  save(record: ComparisonRecord): Promise<void> {
    return this.writes.run(record.id, async () => {
      await mkdir(this.root, { recursive: true, mode: 0o700 });
      await writeJsonAtomically(this.pathOf(record.id), record);
    });
  }

  async loadAll(): Promise<ComparisonRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: ComparisonRecord[] = [];
    for (const name of names) {
      // Temporary files of a write cut short end in .tmp and are skipped with everything else.
      if (!name.endsWith(SUFFIX)) continue;
      const id = name.slice(0, -SUFFIX.length);
      if (!ComparisonIdSchema.safeParse(id).success) continue;
      try {
        const parsed = ComparisonRecordSchema.safeParse(JSON.parse(await readFile(join(this.root, name), 'utf8')));
        if (parsed.success && parsed.data.id === id) records.push(parsed.data);
        else this.log(`comparison ${id}: its record does not match this version's schema; left as it is`);
      } catch (error) {
        this.log(`comparison ${id}: unreadable record (${(error as Error).message}); left as it is`);
      }
    }
    return records;
  }

  async remove(comparisonId: string): Promise<void> {
    const path = this.pathOf(comparisonId);
    await this.writes.settled(comparisonId);
    await rm(path, { force: true });
  }

  /** Resolves once every queued save landed (quitting). */
  async flush(): Promise<void> {
    await this.writes.settledAll();
  }
}
