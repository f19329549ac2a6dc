// Runs the podman binary: an argument array (never a shell), a time limit, the caller's abort
// signal, and the host's environment. The outcome is returned, not thrown, so callers can read
// podman's exit code and stderr to decide what went wrong.
import { runCli, type CliCall as RunCall, type CliOutcome } from '../cli-runner';

export type { CliOutcome };

export interface PodmanCli {
  podmanPath: string;
  env: NodeJS.ProcessEnv;
}

export type CliCall = Omit<RunCall, 'env'>;

export function runPodman(cli: PodmanCli, args: string[], call: CliCall = {}): Promise<CliOutcome> {
  return runCli(cli.podmanPath, args, { ...call, env: cli.env });
}
