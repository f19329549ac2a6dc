// Crossdock's side of the transfer figures: one copy through a `crossdock serve` on the bench's
// private stores (served-host.ts starts it), transfers.start then transfers.get polled until the
// target settles, timed from the request to the target's state done, with the host's peak RSS and
// the time spent in each phase the transfer reported (where the time goes).
import { rssOf, type ServedHost } from './served-host';

export interface ImageRef {
  engineId: string;
  imageId: string;
  reference: string | null;
}

export interface Copied {
  ms: number;
  peakRss: number;
  location: string | null;
  /** Milliseconds per phase, as transfers.get named them while polled ("udocker load": 4100). */
  phases: Map<string, number>;
}

const POLL_MS = 50;
const RSS_EVERY_MS = 100;

interface TransferView {
  state: string;
  targets: Array<{ state: string; message: string | null; progress: { phase: string }; result: { location: string | null } | null }>;
}

/** One copy of `source` into `engineId` under `name` (SIF files into `folder`). */
export async function copyThroughCrossdock(host: ServedHost, source: ImageRef, engineId: string, name: string, folder: string | null): Promise<Copied> {
  let peakRss = await rssOf(host.pid);
  const sampler = setInterval(() => {
    void rssOf(host.pid).then((rss) => (peakRss = Math.max(peakRss, rss)));
  }, RSS_EVERY_MS);
  const phases = new Map<string, number>();
  const started = performance.now();
  let phase = 'starting';
  let phaseSince = started;
  try {
    const record = (await host.call('transfers.start', { source, targets: [{ engineId, name, replace: false, folder }] })) as { id: string };
    for (;;) {
      const current = (await host.call('transfers.get', { transferId: record.id })) as TransferView;
      const target = current.targets[0]!;
      const now = performance.now();
      if (target.progress.phase !== phase) {
        phases.set(phase, (phases.get(phase) ?? 0) + now - phaseSince);
        phase = target.progress.phase;
        phaseSince = now;
      }
      if (current.state !== 'running') {
        phases.set(phase, (phases.get(phase) ?? 0) + now - phaseSince);
        if (target.state !== 'done') throw new Error(`Crossdock's transfer ${target.state}: ${target.message ?? ''}`);
        return { ms: now - started, peakRss, location: target.result?.location ?? null, phases };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    clearInterval(sampler);
  }
}
