// The names an export gives its files and its Kubernetes Job, from the name the user typed or the
// image's: safe in a file name, a submit file's output paths and a DNS-1123 label.

const FALLBACK = 'crossdock-job';

/** [A-Za-z0-9._-], at most 80 characters, never empty, never starting with "." or "-". */
export function fileBaseName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 80)
    .replace(/[.-]+$/, '');
  return safe === '' ? FALLBACK : safe;
}

/**
 * A DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or
 * digit, at most 63 characters): what a Job's name must be, since Kubernetes copies it into the
 * "job-name" label of its pods.
 */
export function dnsLabel(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label === '' ? FALLBACK : label;
}
