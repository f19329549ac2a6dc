// What udocker cannot do as asked, refused before anything is created rather than run in a way the
// user did not ask for. The job manager refuses by the capabilities already; these are checked
// again (a runner does not trust its caller) plus what udocker's option parser would silently change.
import type { RunSpec } from '../../../../shared/run';

/** Why udocker cannot run this spec as asked, or null. */
export function refusal(spec: RunSpec): string | null {
  if (spec.network === 'none') return 'udocker cannot isolate the network: its containers always use the host\'s network.';
  const readOnly = spec.binds.find((bind) => bind.readOnly);
  if (readOnly) return `udocker cannot bind ${readOnly.hostPath} read-only: its --volume has no read-only option.`;
  // udocker's parser drops empty words: `sh -c 'echo "$1"' x ""` would run without its last argument.
  if (spec.command.some((word) => word === '')) return 'udocker drops empty arguments from a command line; the command has one.';
  // udocker strips whitespace from each option's value (`--env=NAME=VALUE` and the paths).
  const stripped = (text: string): boolean => text !== text.trim();
  const variable = spec.env.find((entry) => stripped(entry.value));
  if (variable) return `udocker strips leading and trailing whitespace from environment values; ${variable.name}'s value has some.`;
  const paths = [spec.workdir, ...spec.binds.flatMap((bind) => [bind.hostPath, bind.containerPath])].filter((path): path is string => path !== null);
  const path = paths.find(stripped);
  if (path !== undefined) return `udocker strips whitespace at the ends of paths; "${path}" has some.`;
  // udocker refuses "/" as a bind's target (it would hide the container's own root).
  const root = spec.binds.find((bind) => bind.containerPath.replace(/\/+$/, '') === '');
  if (root) return `udocker cannot bind ${root.hostPath} onto the container's root folder /.`;
  return null;
}
