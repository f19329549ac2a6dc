// A SIF image run on an engine that does not list it: SIF files are listed by the Apptainer
// adapter, and a runner that `runsSif` (Charliecloud's, from Crossdock's unpacked copy) is given
// that row with the folder the cache unpacks it to. The job manager asks here only when the
// chosen engine's own list has no such image.
import type { ImageSummary } from '../../shared/model';
import type { RunSpec } from '../../shared/run';
import type { EngineRegistry } from '../engines/registry';
import { findImage } from '../jobs/image-lookup';
import type { JobRunner, RunTarget } from '../jobs/runner';

export async function findSifSource(
  registry: EngineRegistry,
  image: RunSpec['image'],
  support: NonNullable<JobRunner['runsSif']>,
  signal: AbortSignal,
): Promise<{ image: ImageSummary; sif: NonNullable<RunTarget['sif']> } | null> {
  for (const engine of await registry.engines()) {
    const rows = await registry.use(engine.id, (found) => found.listImages(signal)).catch(() => [] as ImageSummary[]);
    const row = findImage(
      rows.filter((candidate) => candidate.format === 'sif' && candidate.location),
      image,
    );
    if (row?.location) return { image: row, sif: { path: row.location, rootfs: await support.rootfsOf(row.location) } };
  }
  return null;
}
