// The `docker run` (or `podman run`) that does what the runner's API calls do, for the dialog to
// show and copy. It mirrors create-options.ts flag by flag.
import type { RunSpec } from '../../../../shared/run';
import type { CommandLine } from '../../../jobs/runner';
import { bindOf, imageOf, JOB_LABEL, publishOf } from './create-options';
import type { RunDialect } from './dialect';

export function dockerApiCommandLine(spec: RunSpec, dialect: RunDialect): CommandLine {
  const argv = [dialect.cli, 'run'];
  if (spec.remove) argv.push('--rm');
  // -i -t together: the API run attaches stdin only for a terminal.
  if (spec.tty) argv.push('-i', '-t');
  argv.push('--label', `${JOB_LABEL}=1`);
  if (spec.network !== 'default') argv.push('--network', spec.network);
  for (const variable of spec.env) argv.push('-e', `${variable.name}=${variable.value}`);
  for (const bind of spec.binds) argv.push('-v', bindOf(bind));
  for (const port of spec.ports) argv.push('-p', publishOf(port));
  if (spec.workdir !== null) argv.push('-w', spec.workdir);
  if (spec.user !== null) argv.push('-u', spec.user);
  if (spec.gpu) argv.push(...dialect.gpuFlags);
  argv.push(imageOf(spec), ...spec.command);
  return { argv, isEquivalent: true };
}
