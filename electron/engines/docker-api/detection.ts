// Small builders for Detection values, so every "not ready" answer has the same shape and the
// probe field always says whether a test container was tried.
import type { ProbeResult } from '../../../shared/model';
import type { Detection } from '../engine';
import { PROBE_EXIT_CODE } from './probe-image';

/** The probe message while an engine is "checking". */
export const PROBE_PENDING = 'the test container has not finished yet';

export function probeNotAttempted(message: string | null): ProbeResult {
  return { attempted: false, ok: false, expectedExitCode: PROBE_EXIT_CODE, exitCode: null, durationMs: null, message };
}

export interface DetectionBasics {
  endpoint: string | null;
  via: string | null;
  rootless: boolean | null;
}

/** A detection that stopped before the probe: the engine is missing, refused or broken. */
export function notReady(
  state: Exclude<Detection['state'], 'ready' | 'degraded' | 'checking'>,
  message: string,
  basics: DetectionBasics,
  extra: Partial<Pick<Detection, 'version' | 'apiVersion' | 'attributes'>> = {},
): Detection {
  return {
    state,
    version: extra.version ?? null,
    apiVersion: extra.apiVersion ?? null,
    endpoint: basics.endpoint,
    via: basics.via,
    rootless: basics.rootless,
    message,
    probe: probeNotAttempted(null),
    attributes: extra.attributes ?? {},
  };
}
