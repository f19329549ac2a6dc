// Which copies Crossdock made hold which content: target engine + image id → the source's content
// digest, so that the image list can show a copy in udocker, Charliecloud or a SIF file on the same
// row as its source. An entry is written only after the copy was checked against the source (same
// file tree, or the same layer digests), never on trust. One small JSON file, written atomically.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WriteQueue, writeJsonAtomically } from '../storage/atomic-json';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export class ContentIndex {
  private readonly path: string;
  private entries: Map<string, string> | null = null;
  private readonly writes = new WriteQueue();

  constructor(private readonly dataDir: string) {
    this.path = join(dataDir, 'transfers', 'content-index.json');
  }

  private key(engineId: string, imageId: string): string {
    return `${engineId} ${imageId.replace(/^sha256:/, '')}`;
  }

  private async load(): Promise<Map<string, string>> {
    if (this.entries) return this.entries;
    const entries = new Map<string, string>();
    try {
      const raw = JSON.parse(await readFile(this.path, 'utf8')) as { entries?: Record<string, unknown> };
      for (const [key, value] of Object.entries(raw.entries ?? {})) if (typeof value === 'string' && DIGEST.test(value)) entries.set(key, value);
    } catch {
      // None yet, or unreadable: no matches rather than a failed list.
    }
    this.entries = entries;
    return entries;
  }

  async lookup(engineId: string, imageId: string): Promise<string | null> {
    return (await this.load()).get(this.key(engineId, imageId)) ?? null;
  }

  async record(engineId: string, imageId: string, digest: string): Promise<void> {
    if (!DIGEST.test(digest)) return;
    const entries = await this.load();
    entries.set(this.key(engineId, imageId), digest);
    await this.writes.run('index', async () => {
      await mkdir(join(this.dataDir, 'transfers'), { recursive: true, mode: 0o700 });
      await writeJsonAtomically(this.path, { entries: Object.fromEntries(entries) });
    });
  }

  /** Rows of a listing with their recorded digest filled in (rows that carry one keep it). */
  async stamp<T extends { engineId: string; id: string; contentDigest?: string }>(rows: T[]): Promise<T[]> {
    const entries = await this.load();
    if (entries.size === 0) return rows;
    return rows.map((row) => {
      if (row.contentDigest) return row;
      const digest = entries.get(this.key(row.engineId, row.id));
      return digest ? { ...row, contentDigest: digest } : row;
    });
  }
}
