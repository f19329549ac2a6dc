// Which endpoint an engine is, for either end of a transfer.
import { ApiError } from '../../../shared/errors';
import type { Engine } from '../../engines/engine';
import { charliecloudSource, charliecloudTarget, isCharliecloud } from './charliecloud';
import { dockerodeOf, dockerSource, dockerTarget, isDockerApiEngine } from './docker-api';
import type { Source, Target, TransferContext } from './endpoint';
import { isSifEngine, sifSource, sifTarget } from './sif';
import { isUdocker, udockerSource, udockerTarget } from './udocker';

export async function resolveSource(engine: Engine, context: TransferContext, imageId: string, reference: string | null, signal: AbortSignal): Promise<Source> {
  if (isDockerApiEngine(engine)) return dockerSource(engine, await dockerodeOf(engine, context), imageId, reference);
  if (isUdocker(engine)) return udockerSource(engine, context, imageId, reference);
  if (isCharliecloud(engine)) return charliecloudSource(engine, imageId, signal);
  if (isSifEngine(engine)) return sifSource(engine, imageId, signal);
  throw new ApiError('invalid-request', `Crossdock cannot copy images out of ${engine.label}.`, { engineId: engine.id });
}

export async function resolveTarget(engine: Engine, context: TransferContext, folder: string | null): Promise<Target> {
  if (isDockerApiEngine(engine)) return dockerTarget(engine, await dockerodeOf(engine, context));
  if (isUdocker(engine)) return udockerTarget(engine, context);
  if (isCharliecloud(engine)) return charliecloudTarget(engine, context);
  if (isSifEngine(engine)) return sifTarget(engine, context, folder);
  throw new ApiError('invalid-request', `Crossdock cannot copy images into ${engine.label}.`, { engineId: engine.id });
}
