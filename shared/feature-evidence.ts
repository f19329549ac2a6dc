// "Seen here": the cells of the documented matrix that detection proved on this machine. Only what
// a test container actually showed counts (an engine that ran its probe without a daemon is
// daemonless here; udocker's P1 mode ran, so syscall interception works here); everything else
// stays "documented". Engine connections map to matrix columns by their family.
import { FEATURE_ENGINE_IDS, type FeatureEngineId, type FeatureRowId, type FeatureValue } from './features';
import type { EngineStatus } from './model';

export interface SeenCell {
  column: FeatureEngineId;
  row: FeatureRowId;
  value: FeatureValue;
  /** What was seen, in one line, naming the connection that showed it. */
  why: string;
  engineId: string;
}

/** The matrix column an engine connection belongs to, or null for a family the matrix lacks. */
export function featureColumnOf(status: Pick<EngineStatus, 'family'>): FeatureEngineId | null {
  return (FEATURE_ENGINE_IDS as readonly string[]).includes(status.family) ? (status.family as FeatureEngineId) : null;
}

const list = (value: unknown): string[] => (typeof value === 'string' && value !== '' ? value.split(',') : []);

/** Every proven cell of every engine whose test container ran. */
export function seenHere(statuses: readonly EngineStatus[]): SeenCell[] {
  const cells: SeenCell[] = [];
  for (const status of statuses) {
    const column = featureColumnOf(status);
    // Only a probe that ran and kept its exit code proves anything (udocker: some mode did).
    if (column === null || !status.probe.ok) continue;
    const seen = (row: FeatureRowId, value: FeatureValue, why: string) => cells.push({ column, row, value, why: `${status.label}: ${why}`, engineId: status.id });
    const attributes = status.attributes;
    const endpoint = status.endpoint ?? 'its socket';

    if (attributes.HasDockerAPI === true && column === 'docker') {
      seen('daemonless', 'no', `the test container ran only through the daemon at ${endpoint}`);
      if (status.rootless === false) seen('privileges.root-daemon', 'yes', `the daemon at ${endpoint} runs as root`);
    }
    if (attributes.HasDockerAPI === true || attributes.HasPodmanCLI === true) seen('image.docker', 'yes', 'ran a Docker-format image');
    if (column === 'podman' && status.rootless === true) {
      seen('privileges.user-namespaces', 'yes', 'rootless: the test container ran in a user namespace');
    }
    if (attributes.Daemonless === true) seen('daemonless', 'yes', 'the test container ran with no daemon at all');
    if (attributes.UserNamespaces === true) seen('privileges.user-namespaces', 'yes', 'the test container ran in an unprivileged user namespace');
    if (list(attributes.ImageFormats).includes('directory')) seen('image.directory', 'yes', 'ran a directory image');
    // An engine that runs SIF files only through Crossdock says so (SifVia): the engine itself does not read them.
    if (attributes.HasSIF === true) seen('image.sif', 'yes', typeof attributes.SifVia === 'string' ? `ran a SIF image, ${attributes.SifVia}` : 'ran a SIF image');
    const modes = list(attributes.ExecModes);
    const syscallModes = modes.filter((mode) => /^P[12]$/.test(mode));
    if (syscallModes.length > 0) seen('isolation.syscall-interception', 'yes', `mode ${syscallModes.join(', ')} (PRoot, ptrace) ran the test container`);
    const libraryModes = modes.filter((mode) => /^F[1-4]$/.test(mode));
    if (libraryModes.length > 0) seen('isolation.library-interception', 'yes', `mode ${libraryModes.join(', ')} (fakechroot, LD_PRELOAD) ran the test container`);
  }
  return cells;
}
