// What a run on a Docker-API engine can do. Everything `docker run` offers that the run dialog
// asks for is there; only the GPU depends on the engine behind the API (see dialect.ts).
import type { RunCapabilities } from '../../../../shared/run';
import type { RunDialect } from './dialect';

const yes = { supported: true, note: null };

export function dockerApiCapabilities(dialect: RunDialect): RunCapabilities {
  return {
    tty: yes,
    // "default" is the engine's own network (a bridge where it has one).
    networks: ['default', 'none', 'host'],
    gpu: { supported: dialect.gpu.kind !== 'unsupported', note: dialect.gpu.note },
    user: yes,
    workdir: yes,
    readOnlyBinds: yes,
    // Published on the host by the engine's network layer; with no network ("none") there is none.
    ports: yes,
    exec: yes,
    // The daemon keeps the container, its log and its exit code while Crossdock is away.
    reattach: true,
    modes: [],
  };
}
