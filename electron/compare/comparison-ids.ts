// Comparison ids, like job ids: a base-36 timestamp first (they sort by creation time) and a random
// tail (no collision within one host). They name files, so the alphabet is [a-z0-9].
import { randomBytes } from 'node:crypto';

export function newComparisonId(now = Date.now()): string {
  const random = [...randomBytes(6)].map((byte) => (byte % 36).toString(36)).join('');
  return `c-${now.toString(36).padStart(9, '0')}${random}`;
}
