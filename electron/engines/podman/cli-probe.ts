// The probe through the podman CLI: import the probe image from memory when it is missing
// (`podman import` reading the tar on stdin), then `podman run --rm` it and expect exit code 37.
import { randomUUID } from 'node:crypto';
import type { ProbeResult } from '../../../shared/model';
import { probeNotAttempted } from '../docker-api/detection';
import {
  PROBE_EXIT_CODE,
  PROBE_IMAGE_REFERENCE,
  PROBE_LABEL,
  probeArchitecture,
  probeImageTar,
} from '../docker-api/probe-image';
import { runPodman, type PodmanCli } from './cli';
import { podmanWords } from './cli-errors';

/** podman's own failures when it could not run the container at all (not the container's code). */
const PODMAN_RUN_FAILURES = new Set([125, 126, 127]);

export async function runCliProbe(cli: PodmanCli, signal: AbortSignal): Promise<ProbeResult> {
  const arch = probeArchitecture();
  if (!arch) return probeNotAttempted(`Crossdock has no probe program for this machine's architecture (${process.arch}).`);
  const started = performance.now();
  const result = (ok: boolean, exitCode: number | null, message: string | null): ProbeResult => ({
    attempted: true,
    ok,
    expectedExitCode: PROBE_EXIT_CODE,
    exitCode,
    durationMs: Math.round(performance.now() - started),
    message,
  });

  const exists = await runPodman(cli, ['image', 'exists', PROBE_IMAGE_REFERENCE], { signal, timeoutMs: 30_000 });
  if (exists.exitCode !== 0) {
    const imported = await runPodman(
      cli,
      ['import', '--change', `LABEL ${PROBE_LABEL}=1`, '-', PROBE_IMAGE_REFERENCE],
      { signal, timeoutMs: 60_000, input: probeImageTar(arch) },
    );
    if (imported.exitCode !== 0) return result(false, null, `could not create the probe image: ${podmanWords(imported)}`);
  }

  const run = await runPodman(
    cli,
    [
      'run', '--rm', '--network', 'none',
      '--name', `crossdock-probe-${randomUUID().slice(0, 12)}`,
      '--label', `${PROBE_LABEL}=1`,
      PROBE_IMAGE_REFERENCE, '/probe',
    ],
    { signal, timeoutMs: 60_000 },
  );
  if (run.exitCode === PROBE_EXIT_CODE) return result(true, run.exitCode, null);
  if (run.exitCode !== null && PODMAN_RUN_FAILURES.has(run.exitCode)) {
    return result(false, run.exitCode, `the test container did not run: ${podmanWords(run)}`);
  }
  return result(false, run.exitCode, `the test container exited with ${String(run.exitCode)}, not ${PROBE_EXIT_CODE}: the engine does not keep exit codes`);
}
