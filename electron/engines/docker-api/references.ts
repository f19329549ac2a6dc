// Image names as engines write them, and the checks every id or reference passes before it is
// handed to an engine (as a URL path segment or as a command-line argument).
import { ApiError } from '../../../shared/errors';
import { ImageIdSchema, ImageReferenceSchema } from '../../../shared/model';

/** Docker writes "<none>:<none>" / "<none>@<none>" for an image without names. */
export function isNoneName(name: string): boolean {
  return name.startsWith('<none>');
}

/**
 * "registry:5000/team/tool:1.2" -> repository "registry:5000/team/tool", tag "1.2". The tag is
 * after the last ":" that follows the last "/", so a registry port is never read as a tag.
 */
export function splitReference(reference: string): { repository: string; tag: string | null } {
  const withoutDigest = reference.split('@')[0] ?? reference;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    return { repository: withoutDigest.slice(0, lastColon), tag: withoutDigest.slice(lastColon + 1) };
  }
  return { repository: withoutDigest, tag: null };
}

/** Re-checks an image id at the adapter's edge: the handlers validate too, this guards every other caller. */
export function checkedImageId(imageId: string, engineId: string): string {
  if (!ImageIdSchema.safeParse(imageId).success || imageId.startsWith('-')) {
    throw new ApiError('invalid-request', `"${imageId}" is not an image id.`, { engineId });
  }
  return imageId;
}

export function checkedReference(reference: string, engineId: string): string {
  if (!ImageReferenceSchema.safeParse(reference).success || reference.startsWith('-')) {
    throw new ApiError('invalid-request', `"${reference}" is not an image reference.`, { engineId });
  }
  return reference;
}
