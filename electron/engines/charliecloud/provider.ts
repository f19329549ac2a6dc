// Charliecloud is one engine per machine: ch-run on PATH (or not), ch-image's storage, and the
// directory images in the folders the user added.
import type { EngineProvider } from '../engine';
import { CHARLIECLOUD_FAMILY, CharliecloudEngine } from './engine';

export const charliecloudProvider: EngineProvider = {
  family: CHARLIECLOUD_FAMILY,
  async discover(context) {
    return [new CharliecloudEngine(context)];
  },
};
