// Comparison records on disk, under the XDG data folder beside the jobs: comparisons/<id>.json,
// kept the way every record folder is (storage/record-folder.ts: atomic, queued, unreadable
// records left alone).
import { join } from 'node:path';
import { ComparisonIdSchema, ComparisonRecordSchema, type ComparisonRecord } from '../../shared/compare';
import { RecordFolder } from '../storage/record-folder';

export class ComparisonStore extends RecordFolder<ComparisonRecord> {
  constructor(dataDir: string, log: (message: string) => void = () => {}) {
    super({ root: join(dataDir, 'comparisons'), idSchema: ComparisonIdSchema, recordSchema: ComparisonRecordSchema, noun: 'comparison', log });
  }
}
