// A folder of JSON records, one file per record (<root>/<id>.json), for the records Crossdock keeps
// beside the jobs (comparisons, transfers). A record is written whole to a temporary file and
// renamed over the old one (atomic-json.ts), so a crash leaves the previous record and never half
// of one; saves of one record are queued so that the newest always lands last. Records that do not
// parse are reported and left alone, not deleted: a newer Crossdock's records stay readable to it.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { WriteQueue, writeJsonAtomically } from './atomic-json';

const SUFFIX = '.json';

export interface RecordFolderOptions<T extends { id: string }> {
  root: string;
  /** The id's schema keeps it one safe path segment; checked again wherever an id names a file. */
  idSchema: z.ZodType<string>;
  recordSchema: z.ZodType<T>;
  /** How the log names a record ("comparison", "transfer"). */
  noun: string;
  log: (message: string) => void;
}

export class RecordFolder<T extends { id: string }> {
  readonly root: string;
  /** One write at a time per record, the newest content last. */
  private readonly writes = new WriteQueue();

  constructor(private readonly options: RecordFolderOptions<T>) {
    this.root = options.root;
  }

  pathOf(id: string): string {
    this.options.idSchema.parse(id);
    return join(this.root, `${id}${SUFFIX}`);
  }

  save(record: T): Promise<void> {
    return this.writes.run(record.id, async () => {
      await mkdir(this.root, { recursive: true, mode: 0o700 });
      await writeJsonAtomically(this.pathOf(record.id), record);
    });
  }

  async loadAll(): Promise<T[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const { idSchema, recordSchema, noun, log } = this.options;
    const records: T[] = [];
    for (const name of names) {
      // Temporary files of a write cut short end in .tmp and are skipped with everything else.
      if (!name.endsWith(SUFFIX)) continue;
      const id = name.slice(0, -SUFFIX.length);
      if (!idSchema.safeParse(id).success) continue;
      try {
        const parsed = recordSchema.safeParse(JSON.parse(await readFile(join(this.root, name), 'utf8')));
        if (parsed.success && parsed.data.id === id) records.push(parsed.data);
        else log(`${noun} ${id}: its record does not match this version's schema; left as it is`);
      } catch (error) {
        log(`${noun} ${id}: unreadable record (${(error as Error).message}); left as it is`);
      }
    }
    return records;
  }

  async remove(id: string): Promise<void> {
    const path = this.pathOf(id);
    await this.writes.settled(id);
    await rm(path, { force: true });
  }

  /** Resolves once every queued save landed (quitting). */
  flush(): Promise<void> {
    return this.writes.settledAll();
  }
}
