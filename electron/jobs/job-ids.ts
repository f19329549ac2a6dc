// Job ids sort by creation time (a base-36 timestamp first) and never collide within one host
// (a random tail). They name folders, so the alphabet is [a-z0-9].
import { randomBytes } from 'node:crypto';

export function newJobId(now = Date.now()): string {
  const random = [...randomBytes(6)].map((byte) => (byte % 36).toString(36)).join('');
  return `j-${now.toString(36).padStart(9, '0')}${random}`;
}
