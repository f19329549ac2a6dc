// Crossdock's own test image shows in the list (it is really there), marked so that nobody takes
// it for one of their own. Recognised by its label only: never by engine or name.
import { PROBE_LABEL } from '../../shared/probe';

/** Short, because it shares the repository column; the title and the detail pane say the rest. */
export const TEST_IMAGE_TAG = 'test image';

export const TEST_IMAGE_EXPLANATION =
  'Crossdock runs this image to check that the engine works (exit code 37 expected). Safe to delete; it is re-created at the next detection.';

export function isCrossdockTestImage(labels: Readonly<Record<string, string>>): boolean {
  return Object.hasOwn(labels, PROBE_LABEL);
}
