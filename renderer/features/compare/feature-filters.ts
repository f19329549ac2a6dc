// The matrix's filters: each is a question a user asks ("which engines can run this without
// root?") answered by one row of the documented matrix. Which values count is part of the label,
// so a user sees whether "partial" was let in. Pure, so the unit tests and the end-to-end test
// compute the expected columns from the same data the window shows.
import { FEATURE_MATRIX, type FeatureEngineId, type FeatureMatrix, type FeatureRowId, type FeatureValue } from '../../../shared/features';

export interface FeatureFilter {
  id: string;
  /** What the toggle says, including which values count. */
  label: string;
  row: FeatureRowId;
  accepts: readonly FeatureValue[];
}

export const FEATURE_FILTERS: readonly FeatureFilter[] = [
  // Apptainer's "partial" is about installing it; running needs no root, so partial counts here.
  { id: 'no-root', label: 'Runs without root (yes or partial)', row: 'privileges.none', accepts: ['yes', 'partial'] },
  // Docker and Podman reach a GPU only through a vendor add-on: that is what "partial" says there.
  { id: 'gpu', label: 'Can use a GPU without add-ons (yes)', row: 'gpu', accepts: ['yes'] },
  { id: 'sif', label: 'Reads SIF images (yes)', row: 'image.sif', accepts: ['yes'] },
  { id: 'daemonless', label: 'Daemonless (yes)', row: 'daemonless', accepts: ['yes'] },
  { id: 'hpc-batch', label: 'Fits HPC batch systems (yes)', row: 'hpc-batch', accepts: ['yes'] },
  { id: 'kubernetes', label: 'Works with Kubernetes (yes or partial)', row: 'kubernetes', accepts: ['yes', 'partial'] },
  { id: 'mpi', label: 'MPI across nodes (yes)', row: 'mpi', accepts: ['yes'] },
  { id: 'user-deployable', label: 'Installs without an administrator (yes)', row: 'user-deployable', accepts: ['yes'] },
];

export function featureFilter(id: string): FeatureFilter | undefined {
  return FEATURE_FILTERS.find((filter) => filter.id === id);
}

/** Whether the engine's documented cell answers the filter's question. */
export function engineMatches(filter: FeatureFilter, engineId: FeatureEngineId, matrix: FeatureMatrix = FEATURE_MATRIX): boolean {
  const row = matrix.rows.find((candidate) => candidate.id === filter.row);
  const cell = row?.cells[engineId];
  return cell !== undefined && filter.accepts.includes(cell.value);
}

/**
 * The engines that match every active filter, in column order; with no filter active, null (no
 * column is highlighted or dimmed then).
 */
export function matchingEngines(activeIds: readonly string[], matrix: FeatureMatrix = FEATURE_MATRIX): FeatureEngineId[] | null {
  const filters = activeIds.map(featureFilter).filter((filter): filter is FeatureFilter => filter !== undefined);
  if (filters.length === 0) return null;
  return matrix.engines.map((engine) => engine.id).filter((engineId) => filters.every((filter) => engineMatches(filter, engineId, matrix)));
}

/** "3 of 9 engines match: Podman, udocker, Charliecloud", or "No engine matches …". */
export function describeMatches(matching: readonly FeatureEngineId[] | null, matrix: FeatureMatrix = FEATURE_MATRIX): string {
  const total = matrix.engines.length;
  if (matching === null) return `${total} engines documented. Choose a filter to highlight the engines that fit.`;
  if (matching.length === 0) return `No engine of ${total} matches every chosen filter.`;
  const labels = matrix.engines.filter((engine) => matching.includes(engine.id)).map((engine) => engine.label);
  return `${matching.length} of ${total} engines match${matching.length === total ? '' : `: ${labels.join(', ')}`}.`;
}
