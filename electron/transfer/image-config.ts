// What an image is besides its files, in the one shape every transfer route carries between its
// ends: a Docker/OCI config's runtime fields, a SIF's labels and environment, a Charliecloud
// image's metadata. Written once here so the SIF writer and reader (electron/sif/) and the
// transfer routes (electron/transfer/) agree on it.

export interface ImageConfig {
  /** GOARCH spelling, as Docker and SIF both use it: "amd64", "arm64", "ppc64le", ... */
  architecture: string;
  os: string;
  /** "NAME=value" entries, in order. */
  env: string[];
  entrypoint: string[] | null;
  cmd: string[] | null;
  workingDir: string | null;
  user: string | null;
  labels: Record<string, string>;
}

export const EMPTY_IMAGE_CONFIG: ImageConfig = {
  architecture: 'amd64',
  os: 'linux',
  env: [],
  entrypoint: null,
  cmd: null,
  workingDir: null,
  user: null,
  labels: {},
};
