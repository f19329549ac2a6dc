// The engine pairs the transfer figures measure (every pair CI copies between), in the order they
// run: no pair's target holds the image it receives, because the sources of Podman, udocker,
// Charliecloud and SIF are made only after the pairs copying into those engines from Docker (see
// transfer-sources.ts). BENCH_TRANSFER_PAIRS (`docker>podman,sif>udocker`) picks some of them.
import { execa } from 'execa';
import { rmSync } from 'node:fs';
import { ROOT_FLAG, type Endpoint } from './transfer-sources';

export const PAIR_KEYS = [
  'docker>podman',
  'docker>udocker',
  'docker>charliecloud',
  'docker>sif',
  'podman>docker',
  'podman>udocker',
  'podman>charliecloud',
  'sif>docker',
  'sif>charliecloud',
  'sif>udocker',
  'charliecloud>docker',
  'udocker>docker',
] as const;
export type PairKey = (typeof PAIR_KEYS)[number];

const LABEL: Record<Endpoint, string> = { docker: 'Docker', podman: 'Podman', udocker: 'udocker', charliecloud: 'Charliecloud', sif: 'SIF' };

export function endsOf(pair: PairKey): { from: Endpoint; to: Endpoint } {
  const [from, to] = pair.split('>') as [Endpoint, Endpoint];
  return { from, to };
}

export function labelOf(pair: PairKey): string {
  const { from, to } = endsOf(pair);
  return `${LABEL[from]} → ${LABEL[to]}`;
}

/** The pairs BENCH_TRANSFER_PAIRS names (all when unset), in PAIR_KEYS' order; refuses a name it does not know. */
export function chosenPairs(raw = process.env.BENCH_TRANSFER_PAIRS): PairKey[] {
  if (raw === undefined || raw.trim() === '') return [...PAIR_KEYS];
  const asked = raw.split(',').map((word) => word.trim().toLowerCase()).filter((word) => word !== '');
  const unknown = asked.filter((word) => !(PAIR_KEYS as readonly string[]).includes(word));
  if (unknown.length > 0) throw new Error(`BENCH_TRANSFER_PAIRS: no pair ${unknown.map((word) => `"${word}"`).join(', ')}; the pairs are ${PAIR_KEYS.join(',')}`);
  return PAIR_KEYS.filter((key) => asked.includes(key));
}

/** Removes Crossdock's copy `name` from `to` (files and folders by the location the transfer answered). */
export async function removeCopy(to: Endpoint, name: string, location: string | null, udockerEnv: NodeJS.ProcessEnv): Promise<void> {
  if (to === 'docker' || to === 'podman') await execa(to, ['rmi', '--force', name], { reject: false });
  else if (to === 'udocker') await execa('udocker', [...ROOT_FLAG, 'rmi', name], { env: udockerEnv, extendEnv: false, reject: false });
  else if (location) rmSync(location, { recursive: true, force: true });
}
