// Podman's runner follows its route: the Docker-compatible API's runner when the service answers,
// the podman CLI's otherwise. The route is chosen by detection (the job manager runs nothing on an
// engine it has not reached), so the synchronous calls find it settled.
import { ApiError } from '../../../shared/errors';
import type { JobRunner } from '../../jobs/runner';

export function routeRunner(current: () => JobRunner | null, unavailable: () => ApiError): JobRunner {
  const settled = (): JobRunner => {
    const runner = current();
    if (!runner) throw unavailable();
    return runner;
  };
  return {
    capabilities: () => settled().capabilities(),
    commandLine: (target) => settled().commandLine(target),
    start: (target, signal) => settled().start(target, signal),
    reattach: async (handle, spec, signal) => {
      const runner = settled();
      return runner.reattach ? runner.reattach(handle, spec, signal) : null;
    },
    exec: async (handle, command, size, signal) => {
      const runner = settled();
      if (!runner.exec) throw new ApiError('conflict', 'Podman through its command line cannot open a shell in a running job here.');
      return runner.exec(handle, command, size, signal);
    },
  };
}
