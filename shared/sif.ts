// Crossdock's cache of unpacked SIF files (engines that run folders, such as Charliecloud, run a
// SIF file from it): what it holds, and what clearing it did.
import { z } from 'zod';

export const SifCacheUsageSchema = z.object({
  /** The cache folder ($XDG_CACHE_HOME/crossdock/sif). */
  path: z.string().max(4096),
  /** Unpacked SIF files. */
  entries: z.number().int().nonnegative(),
  /** Bytes of their files. */
  bytes: z.number().nonnegative(),
});
export type SifCacheUsage = z.infer<typeof SifCacheUsageSchema>;

export const SifCacheClearedSchema = z.object({
  removed: z.number().int().nonnegative(),
  freedBytes: z.number().nonnegative(),
  /** Entries a running job still uses, left in place. */
  kept: z.number().int().nonnegative(),
});
export type SifCacheCleared = z.infer<typeof SifCacheClearedSchema>;
