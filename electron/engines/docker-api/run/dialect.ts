// What differs between the engines that speak the Docker API when they run a job: the CLI whose
// command line a run is shown as, and how (or whether) a GPU reaches the container. The provider
// of each engine picks its dialect; nothing in the runner looks at engine ids.

export type GpuRoute =
  /** HostConfig.DeviceRequests, as `--gpus all` sends it (Docker with the NVIDIA runtime hook). */
  | { kind: 'device-requests'; note: string | null }
  /** The engine's compatible API cannot pass one: the dialog disables the GPU box with this note. */
  | { kind: 'unsupported'; note: string };

export interface RunDialect {
  /** argv[0] of the CLI equivalent: "docker", "podman". */
  cli: string;
  /** The CLI flags that ask for every GPU, shown in the command line. */
  gpuFlags: string[];
  gpu: GpuRoute;
}

export const dockerRunDialect: RunDialect = {
  cli: 'docker',
  gpuFlags: ['--gpus', 'all'],
  gpu: { kind: 'device-requests', note: 'Needs the NVIDIA Container Toolkit configured in Docker.' },
};

/**
 * Podman's CLI reaches GPUs through CDI (`--device nvidia.com/gpu=all`), but its Docker-compatible
 * API does not: Podman 4.3 accepts HostConfig.DeviceRequests and silently ignores it, and a CDI
 * name in HostConfig.Devices is taken for a device path ("stat nvidia.com/gpu=all: no such file
 * or directory"), both seen here; the same is reported upstream for 4.9 and 5.x (podman issues
 * 19338, 22645, 23560). A GPU box that silently does nothing is worse than a disabled one.
 */
export const podmanRunDialect: RunDialect = {
  cli: 'podman',
  gpuFlags: ['--device', 'nvidia.com/gpu=all'],
  gpu: {
    kind: 'unsupported',
    note: "Podman passes GPUs as CDI devices (podman run --device nvidia.com/gpu=all), which its Docker-compatible API does not honour.",
  },
};
