// The settings file. Writes go to a temporary file first and are renamed into place, so a crash
// mid-write leaves the previous settings, never half a file. A file that does not parse is kept
// aside (settings.json.broken-<time>) and the defaults are used, with a line in the log.
import { readFile, rename } from 'node:fs/promises';
import { writeJsonAtomically } from './atomic-json';
import { join } from 'node:path';
import { defaultSettings, SettingsSchema, type Settings, type SettingsPatch } from '../../shared/settings';

export class SettingsStore {
  private readonly file: string;
  private current: Settings | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(configDir: string, private readonly log: (message: string) => void = () => {}) {
    this.file = join(configDir, 'settings.json');
  }

  async get(): Promise<Settings> {
    if (this.current) return this.current;
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch {
      this.current = defaultSettings();
      return this.current;
    }
    try {
      const parsed = SettingsSchema.safeParse(JSON.parse(raw));
      if (parsed.success) {
        this.current = parsed.data;
        return this.current;
      }
    } catch {
      // falls through to keeping the broken file aside
    }
    const aside = `${this.file}.broken-${Date.now()}`;
    this.log(`settings file did not parse; kept it as ${aside} and used the defaults`);
    await rename(this.file, aside).catch(() => undefined);
    this.current = defaultSettings();
    return this.current;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    // The whole read-modify-write goes through one queue: two quick updates must apply (and land
    // on disk) in the order they were asked, even while the first read of the file is under way.
    const applied = this.writing.catch(() => undefined).then(async () => {
      const next = SettingsSchema.parse({ ...(await this.get()), ...withoutUndefined(patch) });
      this.current = next;
      await writeJsonAtomically(this.file, next);
      return next;
    });
    this.writing = applied.then(() => undefined);
    return applied;
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
