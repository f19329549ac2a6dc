// Transfer records on disk: <data>/transfers/<id>.json, written whole and atomically, one write
// at a time per record (as comparison records are). Records that do not parse are left alone.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TransferIdSchema, TransferRecordSchema, type TransferRecord } from '../../shared/transfer';
import { WriteQueue, writeJsonAtomically } from '../storage/atomic-json';

export class TransferStore {
  readonly root: string;
  private readonly writes = new WriteQueue();

  constructor(dataDir: string, private readonly log: (message: string) => void = () => {}) {
    this.root = join(dataDir, 'transfers');
  }

  private pathOf(id: string): string {
    TransferIdSchema.parse(id);
    return join(this.root, `${id}.json`);
  }

  save(record: TransferRecord): Promise<void> {
    return this.writes.run(record.id, async () => {
      await mkdir(this.root, { recursive: true, mode: 0o700 });
      await writeJsonAtomically(this.pathOf(record.id), record);
    });
  }

  async loadAll(): Promise<TransferRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: TransferRecord[] = [];
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -5) : '';
      if (!TransferIdSchema.safeParse(id).success) continue;
      try {
        const parsed = TransferRecordSchema.safeParse(JSON.parse(await readFile(join(this.root, name), 'utf8')));
        if (parsed.success && parsed.data.id === id) records.push(parsed.data);
        else this.log(`transfer ${id}: its record does not match this version's schema; left as it is`);
      } catch (error) {
        this.log(`transfer ${id}: unreadable record (${(error as Error).message}); left as it is`);
      }
    }
    return records;
  }

  async remove(id: string): Promise<void> {
    await this.writes.settled(id);
    await rm(this.pathOf(id), { force: true });
  }

  flush(): Promise<void> {
    return this.writes.settledAll();
  }
}
