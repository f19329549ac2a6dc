// A small YAML emitter for manifests: maps, sequences, strings, numbers and booleans, nothing else
// (no anchors, tags, multi-line blocks). Written here rather than taken as a dependency because a
// manifest needs only this much; kubectl reads the result like any YAML file.
//
// Strings are plain only when no YAML reader (1.1, as kubectl's go-yaml, or 1.2) could take them
// for anything else; every other string is double-quoted with JSON's escapes, which YAML's
// double-quoted style shares, plus \u escapes for what YAML 1.1 does not allow raw (DEL, C1
// controls, U+2028/U+2029 line separators, the byte-order mark).

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue | undefined };

/** Words YAML 1.1 reads as booleans or null, in any case. */
const RESERVED = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', '~']);

function isPlainSafe(text: string): boolean {
  // A letter, "_" or "/" first (never a number, an indicator or a space); then no ": ", " #" or
  // other indicator that would change how the line reads.
  return /^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(text) && !RESERVED.has(text.toLowerCase());
}

export function yamlString(text: string): string {
  if (isPlainSafe(text)) return text;
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`YAML manifest: ${value} is not a finite number`);
    return String(value);
  }
  return yamlString(value);
}

const isMap = (value: YamlValue): value is { [key: string]: YamlValue | undefined } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys with an undefined value are left out, as JSON.stringify does. */
function entries(map: { [key: string]: YamlValue | undefined }): Array<[string, YamlValue]> {
  return Object.entries(map).filter((entry): entry is [string, YamlValue] => entry[1] !== undefined);
}

function isEmptyCollection(value: YamlValue): boolean {
  return (Array.isArray(value) && value.length === 0) || (isMap(value) && entries(value).length === 0);
}

function emptyCollection(value: YamlValue): string {
  return Array.isArray(value) ? '[]' : '{}';
}

/** Lines of `value` as a block at `indent` spaces (a map or a sequence). */
function block(value: YamlValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isMap(item) && !Array.isArray(item)) return [`${pad}- ${scalar(item)}`];
      if (isEmptyCollection(item)) return [`${pad}- ${emptyCollection(item)}`];
      // The item's first line goes after "- ", the rest under it.
      const lines = block(item, indent + 2);
      return [`${pad}- ${lines[0]!.slice(indent + 2)}`, ...lines.slice(1)];
    });
  }
  if (isMap(value)) {
    return entries(value).flatMap(([key, item]) => {
      const name = yamlString(key);
      if (!isMap(item) && !Array.isArray(item)) return [`${pad}${name}: ${scalar(item)}`];
      if (isEmptyCollection(item)) return [`${pad}${name}: ${emptyCollection(item)}`];
      // Sequences under a key sit at the key's own indentation, as kubectl prints them.
      return [`${pad}${name}:`, ...block(item, Array.isArray(item) ? indent : indent + 2)];
    });
  }
  return [`${pad}${scalar(value)}`];
}

/** One YAML document for `value` (a map at the top), ending in a newline. */
export function toYaml(value: YamlValue): string {
  if (isEmptyCollection(value)) return `${emptyCollection(value)}\n`;
  return `${block(value, 0).join('\n')}\n`;
}
