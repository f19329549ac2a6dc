// Formatting shared by the list and the detail pane. Pure, so the unit tests pin it down.

const numberFormat = new Intl.NumberFormat('en');

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** "1 image", "1,234 images". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Decimal units, as `docker images` and `podman images` print them (1 MB = 1,000,000 B). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** The 12 hex characters people recognise an image id by. */
export function shortImageId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
  return hex.slice(0, 12);
}

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "3 days ago", "last month"; "unknown" when the engine gave no time. */
export function formatRelativeTime(iso: string | null, now: number = Date.now()): string {
  if (iso === null) return 'unknown';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'unknown';
  let value = (then - now) / 1000;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relativeFormat.format(Math.round(value), unit);
    value /= size;
  }
  return relativeFormat.format(Math.round(value), 'year');
}

/** The full local date and time, for titles next to a relative time. */
export function formatAbsoluteTime(iso: string | null): string {
  if (iso === null) return 'Creation time unknown';
  const then = new Date(iso);
  return Number.isNaN(then.getTime()) ? iso : then.toLocaleString();
}

/** "repo:tag", or null for an image without a name. */
export function referenceOf(repository: string | null, tag: string | null): string | null {
  return repository !== null && tag !== null ? `${repository}:${tag}` : null;
}
