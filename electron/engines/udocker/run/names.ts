// The name of a job's container. udocker needs one before the run (the container is created by
// name, then run by name), and the job's command line, which the dialog and the record show before
// start(), must carry the same name that start() then creates. The runner's interface gives the two
// calls only the spec in common, so the name drawn for a spec's command line is kept for that spec
// object and taken (once) by its start; a start without a command line, or a second start of the
// same spec, draws a fresh one.
import { randomBytes } from 'node:crypto';
import type { RunSpec } from '../../../../shared/run';

/** udocker names may not hold "/", ".", " ", "[" or "]"; this prefix tells Crossdock's own apart. */
export const JOB_CONTAINER_PREFIX = 'crossdock-job-';

export function newContainerName(): string {
  return `${JOB_CONTAINER_PREFIX}${randomBytes(5).toString('hex')}`;
}

export class ContainerNames {
  private readonly drawn = new WeakMap<RunSpec, string>();

  /** The name this spec's run will use (the same one on every call until start takes it). */
  forCommandLine(spec: RunSpec): string {
    let name = this.drawn.get(spec);
    if (!name) {
      name = newContainerName();
      this.drawn.set(spec, name);
    }
    return name;
  }

  /** The name for start(): the one shown for this spec, or a fresh one. Never handed out twice. */
  take(spec: RunSpec): string {
    const name = this.drawn.get(spec) ?? newContainerName();
    this.drawn.delete(spec);
    return name;
  }
}
