// Server-to-window notifications of the watch stream. Each is idempotent ("engine X's status is
// now S", "job J is now R"), so the host's per-window queue keeps only the newest per key.
import { z } from 'zod';
import { ComparisonIdSchema, ComparisonRecordSchema } from './compare';
import { JobIdSchema, JobRecordSchema } from './jobs';
import { TransferIdSchema, TransferRecordSchema } from './transfer';
import { EngineIdSchema, EngineStatusSchema } from './model';

export const ChangeEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('engine-status'), status: EngineStatusSchema }),
  z.object({ type: z.literal('images-changed'), engineId: EngineIdSchema }),
  z.object({ type: z.literal('job'), job: JobRecordSchema }),
  z.object({ type: z.literal('job-removed'), jobId: JobIdSchema }),
  z.object({ type: z.literal('comparison'), comparison: ComparisonRecordSchema }),
  z.object({ type: z.literal('comparison-removed'), comparisonId: ComparisonIdSchema }),
  z.object({ type: z.literal('transfer'), transfer: TransferRecordSchema }),
  z.object({ type: z.literal('transfer-removed'), transferId: TransferIdSchema }),
]);
export type ChangeEvent = z.infer<typeof ChangeEventSchema>;

/** The queue key: a newer event of the same key replaces an unsent older one. */
export function changeKey(event: ChangeEvent): string {
  switch (event.type) {
    case 'engine-status':
      return `status:${event.status.id}`;
    case 'images-changed':
      return `images:${event.engineId}`;
    case 'job':
    case 'job-removed':
      return `job:${event.type === 'job' ? event.job.id : event.jobId}`;
    case 'comparison':
    case 'comparison-removed':
      return `comparison:${event.type === 'comparison' ? event.comparison.id : event.comparisonId}`;
    case 'transfer':
    case 'transfer-removed':
      return `transfer:${event.type === 'transfer' ? event.transfer.id : event.transferId}`;
  }
}
