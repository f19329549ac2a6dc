// User settings, kept as JSON in the XDG config folder. Every field has a default so that an
// older or hand-edited file still loads; unknown fields are dropped on the next save.
import { z } from 'zod';
import { EngineIdSchema } from './model';

/** An absolute path without NUL or newline characters (they have no place in a folder name we show or pass on). */
export const AbsolutePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\/[^\0\n\r]*$/, 'a folder is an absolute path (starting with /) on one line');

export const ThemeSchema = z.enum(['system', 'light', 'dark']);

export const ImageSortSchema = z.object({
  column: z.enum(['engine', 'repository', 'tag', 'id', 'size', 'created']).default('created'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});

export const SettingsSchema = z.object({
  theme: ThemeSchema.default('system'),
  imageSort: ImageSortSchema.default({ column: 'created', direction: 'desc' }),
  /** Engines the user hid from the image list (their panel entry stays). */
  hiddenEngines: z.array(EngineIdSchema).max(64).default([]),
  /** Folders the user added where SIF files, sandboxes and directory images are looked for. */
  imageFolders: z.array(AbsolutePathSchema).max(64).default([]),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z.strictObject({
  theme: ThemeSchema.optional(),
  imageSort: ImageSortSchema.optional(),
  hiddenEngines: z.array(EngineIdSchema).max(64).optional(),
  imageFolders: z.array(AbsolutePathSchema).max(64).optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const defaultSettings = (): Settings => SettingsSchema.parse({});
