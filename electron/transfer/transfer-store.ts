// Transfer records on disk: <data>/transfers/<id>.json, kept the way every record folder is
// (storage/record-folder.ts: atomic, queued, unreadable records left alone).
import { join } from 'node:path';
import { TransferIdSchema, TransferRecordSchema, type TransferRecord } from '../../shared/transfer';
import { RecordFolder } from '../storage/record-folder';

export class TransferStore extends RecordFolder<TransferRecord> {
  constructor(dataDir: string, log: (message: string) => void = () => {}) {
    super({ root: join(dataDir, 'transfers'), idSchema: TransferIdSchema, recordSchema: TransferRecordSchema, noun: 'transfer', log });
  }
}
