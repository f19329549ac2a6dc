// Apptainer or SingularityCE, whichever is on PATH (Apptainer first: it is the project's current
// name, and installs a `singularity` link to itself). With neither, one "apptainer" engine still
// appears: it reports "not-installed" and lists the SIF files and sandboxes it can read natively.
import type { Engine, EngineContext, EngineProvider } from '../engine';
import { findOnPath } from '../docker-api/path-lookup';
import { APPTAINER_FAMILY, ApptainerEngine } from './engine';

export const apptainerProvider: EngineProvider = {
  family: APPTAINER_FAMILY,
  discover: (context) => discoverApptainer(context, process.getuid?.() ?? 0),
};

export async function discoverApptainer(context: EngineContext, uid: number): Promise<Engine[]> {
  const base = {
    env: context.env,
    runtimeDir: context.runtimeDir,
    log: context.log,
    uid,
    ...(context.imageFolders ? { imageFolders: context.imageFolders } : {}),
  };
  const apptainer = await findOnPath('apptainer', context.env);
  if (apptainer) return [new ApptainerEngine({ ...base, id: 'apptainer', label: 'Apptainer', flavour: 'apptainer', binaryPath: apptainer })];
  const singularity = await findOnPath('singularity', context.env);
  if (singularity) {
    return [new ApptainerEngine({ ...base, id: 'singularity', label: 'SingularityCE', flavour: 'singularity', binaryPath: singularity })];
  }
  return [new ApptainerEngine({ ...base, id: 'apptainer', label: 'Apptainer', flavour: 'apptainer', binaryPath: null })];
}
