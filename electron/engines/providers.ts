// The adapters Crossdock ships. The registry detects which of them work on this machine; this
// list is the one place that names them all.
import { apptainerProvider } from './apptainer/provider';
import { charliecloudProvider } from './charliecloud/provider';
import type { EngineProvider } from './engine';
import { dockerProvider } from './docker/provider';
import { podmanProvider } from './podman/provider';
import { udockerProvider } from './udocker/provider';

export function defaultProviders(): EngineProvider[] {
  return [dockerProvider, podmanProvider, apptainerProvider, charliecloudProvider, udockerProvider];
}
