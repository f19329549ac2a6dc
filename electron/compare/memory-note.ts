// The one line a target's result says about its memory figures: how they were measured on that
// engine, or why there are none, and how many runs gave none. Every run of a target gets the same
// kind of measurement, so one line per target is enough.
import type { MemoryReading } from '../jobs/runner';

/** What one attempt's job offered: a reading, or no way to measure at all. */
export type AttemptMemory = MemoryReading | 'not-exposed';

const MAX_NOTE = 512;

export function memoryNote(engineLabel: string, attempts: readonly AttemptMemory[]): string {
  const readings = attempts.filter((attempt): attempt is MemoryReading => attempt !== 'not-exposed');
  if (attempts.length === 0) return 'not measured: no run of this target started';
  if (readings.length === 0) {
    return cut(`not exposed: ${engineLabel} runs the job where Crossdock cannot measure it (the container is outside the job's own processes, and no engine statistics are read for it)`);
  }
  const withFigure = readings.find((reading) => reading.peakBytes !== null);
  const method = (withFigure ?? readings[0]!).method;
  const without = readings.filter((reading) => reading.peakBytes === null);
  if (without.length === 0) return cut(method);
  const why = without[0]!.missing ?? 'no reading came in time';
  return cut(`${method}; no figure for ${without.length} of ${attempts.length} run(s): ${why}`);
}

function cut(note: string): string {
  return note.length <= MAX_NOTE ? note : `${note.slice(0, MAX_NOTE - 1)}…`;
}
