// What a comparison request must be beyond its schema, and the spec each target runs. The schema
// (shared/compare.ts) has already checked shapes and sizes at the router; these are the rules
// that span fields.
import { ApiError } from '../../shared/errors';
import type { CompareTarget } from '../../shared/compare';
import type { RunSpec } from '../../shared/run';

export interface CompareRequest {
  spec: RunSpec;
  targets: CompareTarget[];
  repeat: number;
}

/** Throws ApiError('invalid-request') for a request no comparison can run. */
export function checkRequest(request: CompareRequest): void {
  const problems: string[] = [];
  // Nobody types into N jobs one after another, and a terminal changes what the engines print.
  if (request.spec.tty) problems.push('spec.tty: a comparison runs without a terminal; turn the interactive terminal off');
  const seen = new Map<string, number>();
  request.targets.forEach((target, index) => {
    const key = targetKey(target);
    const first = seen.get(key);
    if (first !== undefined) problems.push(`targets.${index}: the same engine, mode and image as target ${first}`);
    else seen.set(key, index);
  });
  if (problems.length > 0) throw new ApiError('invalid-request', `This comparison cannot run: ${problems.join('; ')}.`, { issues: problems });
}

/** Two targets are the same when they would run the same job: engine, mode and image. */
export function targetKey(target: CompareTarget): string {
  const image = target.image.imageId.replace(/^sha256:/, '');
  return JSON.stringify([target.engineId, target.executionMode, image, target.image.reference]);
}

/** The dialog's spec on one target: its engine, image and mode; everything else as asked. */
export function targetSpec(spec: RunSpec, target: CompareTarget): RunSpec {
  return { ...spec, engineId: target.engineId, image: { ...target.image }, executionMode: target.executionMode };
}
