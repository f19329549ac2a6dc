// Where ch-image keeps its images: $CH_IMAGE_STORAGE, else /var/tmp/$USER.ch; images are the
// folders under its img/.
import { join } from 'node:path';
import { charliecloudUser } from './cli';

export function storageRoot(env: NodeJS.ProcessEnv): string {
  const configured = env.CH_IMAGE_STORAGE;
  if (configured && configured.startsWith('/')) return configured;
  return join('/var/tmp', `${charliecloudUser(env)}.ch`);
}

export function storageImagesDir(env: NodeJS.ProcessEnv): string {
  return join(storageRoot(env), 'img');
}
