// Job records and their output on disk, under the XDG data folder: jobs/<id>/job.json and
// jobs/<id>/output.log. A record is written whole to a temporary file and renamed over the old one,
// so a crash leaves the previous record, never half of one. Records that do not parse (hand-edited,
// from a newer version) are reported and left alone, not deleted.
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WriteQueue, writeJsonAtomically } from '../storage/atomic-json';
import { JobIdSchema, JobRecordSchema, type JobRecord } from '../../shared/jobs';

export class JobStore {
  readonly root: string;
  /** One write at a time per record, the newest content last: saves of one job never race. */
  private readonly writes = new WriteQueue();

  constructor(dataDir: string, private readonly log: (message: string) => void = () => {}) {
    this.root = join(dataDir, 'jobs');
  }

  folderOf(jobId: string): string {
    // The id's schema keeps it a single safe path segment; checked again because it names a folder.
    JobIdSchema.parse(jobId);
    return join(this.root, jobId);
  }

  outputPathOf(jobId: string): string {
    return join(this.folderOf(jobId), 'output.log');
  }

  async create(record: JobRecord): Promise<void> {
    await mkdir(this.folderOf(record.id), { recursive: true, mode: 0o700 });
    await this.save(record);
  }

  save(record: JobRecord): Promise<void> {
    return this.writes.run(record.id, () => writeJsonAtomically(join(this.folderOf(record.id), 'job.json'), record));
  }

  async loadAll(): Promise<JobRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: JobRecord[] = [];
    for (const name of names) {
      if (!JobIdSchema.safeParse(name).success) continue;
      try {
        const raw: unknown = JSON.parse(await readFile(join(this.root, name, 'job.json'), 'utf8'));
        const parsed = JobRecordSchema.safeParse(raw);
        if (parsed.success) records.push(parsed.data);
        else this.log(`job ${name}: its record does not match this version's schema; left as it is`);
      } catch (error) {
        this.log(`job ${name}: unreadable record (${(error as Error).message}); left as it is`);
      }
    }
    return records;
  }

  /** Bytes of output on disk (0 when there is none yet). */
  async outputSize(jobId: string): Promise<number> {
    try {
      return (await stat(this.outputPathOf(jobId))).size;
    } catch {
      return 0;
    }
  }

  async remove(jobId: string): Promise<void> {
    await this.writes.settled(jobId);
    await rm(this.folderOf(jobId), { recursive: true, force: true });
  }
}
