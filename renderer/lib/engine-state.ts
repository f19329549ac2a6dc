// How an engine's state and probe read to a person. Every state has an icon and a word as well as
// a colour, so nothing depends on telling colours apart.
import type { EngineState, EngineStatus, ProbeResult } from '../../shared/model';

export interface StatePresentation {
  text: string;
  icon: string;
  /** A CSS modifier, mapped to a colour in styles.css. */
  tone: 'good' | 'warn' | 'bad' | 'off';
}

export const statePresentation: Record<EngineState, StatePresentation> = {
  ready: { text: 'Ready', icon: '✓', tone: 'good' },
  checking: { text: 'Checking…', icon: '…', tone: 'warn' },
  degraded: { text: 'Degraded', icon: '!', tone: 'warn' },
  'not-installed': { text: 'Not installed', icon: '○', tone: 'off' },
  unreachable: { text: 'Unreachable', icon: '✕', tone: 'bad' },
  'permission-denied': { text: 'Permission denied', icon: '⊘', tone: 'bad' },
  error: { text: 'Error', icon: '✕', tone: 'bad' },
};

/**
 * Engines whose images are listed: those that answer, even if their test container misbehaved or
 * has not finished yet (the list must not wait for test containers).
 */
export function isListable(engine: EngineStatus): boolean {
  return engine.state === 'ready' || engine.state === 'degraded' || engine.state === 'checking';
}

/** "test container exited 37 in 180 ms", or why it did not run. */
export function describeProbe(probe: ProbeResult): string {
  if (!probe.attempted) {
    return `test container not run${probe.message ? `: ${probe.message}` : ' (engine not reachable)'}`;
  }
  const took = probe.durationMs !== null ? ` in ${Math.round(probe.durationMs)} ms` : '';
  if (probe.ok) return `test container exited ${probe.exitCode ?? probe.expectedExitCode}${took}`;
  const exit = probe.exitCode === null ? 'did not exit' : `exited ${probe.exitCode}`;
  const why = probe.message ? `: ${probe.message}` : '';
  return `test container ${exit}${took}, expected ${probe.expectedExitCode}${why}`;
}

/** Replaces one engine's entry (or adds a new one) in a cached engine list. */
export function withEngineStatus(engines: readonly EngineStatus[] | undefined, status: EngineStatus): EngineStatus[] | undefined {
  // Before the first engines.list has answered, a status event must not stand in for the whole
  // list: a one-engine list would look settled and hide the engines still being detected.
  if (!engines) return undefined;
  const index = engines.findIndex((engine) => engine.id === status.id);
  if (index < 0) return [...engines, status];
  return engines.map((engine, i) => (i === index ? status : engine));
}

/**
 * The attributes a scheduler would advertise for an engine (HTCondor's HasDocker, HasSIF, ...), as
 * short lines: a true flag by its name, a value as "Name: value"; false flags are left out, since
 * only what the probe proved is advertised.
 */
export function describeAttributes(attributes: EngineStatus['attributes']): string[] {
  return Object.entries(attributes)
    .filter(([, value]) => value !== false)
    .map(([name, value]) => (value === true ? name : `${name}: ${String(value)}`))
    .sort((a, b) => a.localeCompare(b));
}
