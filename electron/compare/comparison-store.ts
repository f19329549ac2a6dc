// Comparison records on disk, under the XDG data folder beside the jobs: comparisons/<id>.json.
// As with job records (jobs/job-store.ts), a record is written whole to a temporary file and
// renamed over the old one, so a crash leaves the previous record and never half of one; saves of
// one record are queued so that the newest always lands last. Records that do not parse are
// reported and left alone, not deleted.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ComparisonIdSchema, ComparisonRecordSchema, type ComparisonRecord } from '../../shared/compare';

const SUFFIX = '.json';

export class ComparisonStore {
  readonly root: string;
  /** One write at a time per record, the newest content last. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(dataDir: string, private readonly log: (message: string) => void = () => {}) {
    this.root = join(dataDir, 'comparisons');
  }

  pathOf(comparisonId: string): string {
    // The id's schema keeps it one safe path segment; checked again because it names a file.
    ComparisonIdSchema.parse(comparisonId);
    return join(this.root, `${comparisonId}${SUFFIX}`);
  }

  save(record: ComparisonRecord): Promise<void> {
    const previous = this.writes.get(record.id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(record));
    this.writes.set(record.id, next);
    void next
      .finally(() => {
        if (this.writes.get(record.id) === next) this.writes.delete(record.id);
      })
      .catch(() => undefined);
    return next;
  }

  private async write(record: ComparisonRecord): Promise<void> {
    const path = this.pathOf(record.id);
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, path);
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
    await this.writes.get(comparisonId)?.catch(() => undefined);
    await rm(path, { force: true });
  }

  /** Resolves once every queued save landed (quitting). */
  async flush(): Promise<void> {
    await Promise.all([...this.writes.values()].map((write) => write.catch(() => undefined)));
  }
}
