// Charliecloud's storage keeps each image in a folder named after its reference, with "/" written
// as "%" and ":" as "+" (ch-image's Reference.for_path). These turn folder names back into
// references and references into a repository and a tag.

/** "crossdock-test%busybox+1" → "crossdock-test/busybox:1"; "localhost+5000%x+y" → "localhost:5000/x:y". */
export function decodeStorageName(name: string): string {
  return name.replaceAll('%', '/').replaceAll('+', ':');
}

/** The folder name ch-image gives a reference. */
export function encodeStorageName(reference: string): string {
  return reference.replaceAll('/', '%').replaceAll(':', '+');
}

/**
 * Repository and tag of a reference: the tag follows the last ":" that comes after the last "/"
 * (a registry's port is not a tag); a digest ("@sha256:...") stays with the repository and gives
 * no tag. A reference without a tag has none (ch-image itself names such an image "latest" only
 * when it pulls one).
 */
export function splitReference(reference: string): { repository: string; tag: string | null } {
  const at = reference.indexOf('@');
  if (at >= 0) return { repository: reference.slice(0, at), tag: null };
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon > slash) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) || null };
  return { repository: reference, tag: null };
}
