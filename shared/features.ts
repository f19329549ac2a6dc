// The documented engine feature matrix: what each container engine offers, row by row, as data.
// The comparison view renders it; nothing here is proven on this machine (detection says what is
// "seen here"). Every cell carries a one-line why and its source: a seed document in
// ../shared/seeds (preferred, and then the why reflects that seed's claim) or the engine's own
// documentation where the seeds are silent.
import { z } from 'zod';

/** The engines the matrix documents, installed here or not, in column order. */
export const FEATURE_ENGINE_IDS = [
  'docker',
  'podman',
  'apptainer',
  'singularitypro',
  'udocker',
  'charliecloud',
  'shifter',
  'sarus',
  'kubernetes',
] as const;
export const FeatureEngineIdSchema = z.enum(FEATURE_ENGINE_IDS);
export type FeatureEngineId = z.infer<typeof FeatureEngineIdSchema>;

/** Row groups, in display order, as issue 5 lists them. */
export const FEATURE_GROUP_IDS = [
  'privileges',
  'daemonless',
  'image-formats',
  'isolation',
  'gpu',
  'mpi',
  'cgroups',
  'network-isolation',
  'kubernetes',
  'python-sdk',
  'container-in-container',
  'signed-images',
  'hpc-batch',
  'user-deployable',
] as const;
export const FeatureGroupIdSchema = z.enum(FEATURE_GROUP_IDS);
export type FeatureGroupId = z.infer<typeof FeatureGroupIdSchema>;

export const FEATURE_ROW_IDS = [
  'privileges.root-daemon',
  'privileges.setuid',
  'privileges.user-namespaces',
  'privileges.none',
  'daemonless',
  'image.oci',
  'image.docker',
  'image.sif',
  'image.directory',
  'isolation.namespaces',
  'isolation.syscall-interception',
  'isolation.library-interception',
  'gpu',
  'mpi',
  'cgroups',
  'network-isolation',
  'kubernetes',
  'python-sdk',
  'container-in-container',
  'signed-images',
  'hpc-batch',
  'user-deployable',
] as const;
export const FeatureRowIdSchema = z.enum(FEATURE_ROW_IDS);
export type FeatureRowId = z.infer<typeof FeatureRowIdSchema>;

export const FeatureValueSchema = z.enum(['yes', 'no', 'partial']);
export type FeatureValue = z.infer<typeof FeatureValueSchema>;

/** A seed document is named by its file name in ../shared/seeds, nothing more (no paths). */
const SeedFileNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$/, 'a seed file name, e.g. 000_x.txt');

export const FeatureSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('seed'), file: SeedFileNameSchema }),
  z.strictObject({ kind: z.literal('docs'), url: z.url({ protocol: /^https$/ }) }),
]);
export type FeatureSource = z.infer<typeof FeatureSourceSchema>;

export const FeatureCellSchema = z.strictObject({
  value: FeatureValueSchema,
  /** One line: why this value, in the source's terms. */
  why: z
    .string()
    .trim()
    .min(1)
    .max(240)
    .regex(/^[^\r\n]*$/, 'the why is one line'),
  source: FeatureSourceSchema,
});
export type FeatureCell = z.infer<typeof FeatureCellSchema>;

export const FeatureRowSchema = z.strictObject({
  id: FeatureRowIdSchema,
  group: FeatureGroupIdSchema,
  label: z.string().min(1).max(120),
  /** A record keyed by an enum is exhaustive in zod 4: every engine must have its cell. */
  cells: z.record(FeatureEngineIdSchema, FeatureCellSchema),
});
export type FeatureRow = z.infer<typeof FeatureRowSchema>;

export const FeatureMatrixSchema = z
  .strictObject({
    engines: z.array(z.strictObject({ id: FeatureEngineIdSchema, label: z.string().min(1).max(64) })),
    groups: z.array(z.strictObject({ id: FeatureGroupIdSchema, label: z.string().min(1).max(120) })),
    rows: z.array(FeatureRowSchema),
  })
  .superRefine((matrix, ctx) => {
    const unique = (ids: string[], what: string) => {
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `${what} ${id} appears twice` });
        seen.add(id);
      }
    };
    unique(matrix.engines.map((e) => e.id), 'engine');
    unique(matrix.groups.map((g) => g.id), 'group');
    unique(matrix.rows.map((r) => r.id), 'row');
    const groups = new Set(matrix.groups.map((g) => g.id));
    for (const row of matrix.rows) {
      if (!groups.has(row.group)) ctx.addIssue({ code: 'custom', message: `row ${row.id} names unknown group ${row.group}` });
    }
  });
export type FeatureMatrix = z.infer<typeof FeatureMatrixSchema>;

// ---- sources ----

/** The seed documents cited below (see ../shared/seeds/README.md). */
export const SEED_FILES = {
  /** HySDS: Docker, Podman and Singularity compared (daemon, Kubernetes, Python SDK, nesting). */
  hysds: '000_5fc3d94be7245acf.txt',
  /** HTCondor's container universe talk: Docker universe vs Singularity support. */
  htcondor: '001_1c4b95054065086b.txt',
  /** Comparing containers for cloud, HPC and IoT; Singularity, Shifter, Charliecloud, Sarus. */
  hpcCompare: '002_4a43fe48e8133b82.txt',
  /** DT-GEO containerisation: engine comparison table, udocker execution modes. */
  dtgeo: '003_fa82f1796a3385c2.txt',
  /** udocker on HPC and grid systems. */
  udockerHpc: '004_8921280db7a9e44a.txt',
} as const;

/** Each engine's main documentation page, cited where the seeds are silent. */
export const ENGINE_DOCS = {
  docker: 'https://docs.docker.com/',
  podman: 'https://docs.podman.io/',
  apptainer: 'https://apptainer.org/docs/user/latest/',
  singularitypro: 'https://docs.sylabs.io/',
  udocker: 'https://indigo-dc.github.io/udocker/',
  charliecloud: 'https://hpc.github.io/charliecloud/',
  shifter: 'https://docs.nersc.gov/development/shifter/',
  sarus: 'https://sarus.readthedocs.io/',
  kubernetes: 'https://kubernetes.io/docs/',
} as const satisfies Record<FeatureEngineId, string>;

type SeedKey = keyof typeof SEED_FILES;
type Cells = Record<FeatureEngineId, FeatureCell>;

const seed = (value: FeatureValue, file: SeedKey, why: string): FeatureCell => ({
  value,
  why,
  source: { kind: 'seed', file: SEED_FILES[file] },
});
const docs = (value: FeatureValue, engine: FeatureEngineId, why: string): FeatureCell => ({
  value,
  why,
  source: { kind: 'docs', url: ENGINE_DOCS[engine] },
});

// ---- the matrix ----

const rows: { id: FeatureRowId; group: FeatureGroupId; label: string; cells: Cells }[] = [
  // privileges
  {
    id: 'privileges.root-daemon',
    group: 'privileges',
    label: 'Runs through a root daemon',
    cells: {
      docker: seed('yes', 'hysds', "Runs as a 'root-level daemon': Docker needs a daemon on every host, run as root by default"),
      podman: seed('no', 'hysds', "'A daemonless container engine': runs as user space and daemonless"),
      apptainer: seed('no', 'htcondor', "Singularity 'needs setuid, but not daemon'"),
      singularitypro: docs('no', 'singularitypro', 'Like SingularityCE, runs containers from a command-line program with no daemon'),
      udocker: seed('no', 'udockerHpc', 'Processes run without privileges under the regular user id, in the same process tree; no daemon'),
      charliecloud: seed('no', 'hpcCompare', 'Uses Linux user namespaces to run containers with no privileged operations or daemons'),
      shifter: seed('no', 'hpcCompare', "The 'shifter' runtime is setuid-root; the image gateway uses only user-space tools and need not run as root"),
      sarus: seed('no', 'hpcCompare', 'Installed as a root-owned SUID program, not a daemon'),
      kubernetes: docs('yes', 'kubernetes', 'Each node runs the kubelet and a container runtime as privileged system daemons'),
    },
  },
  {
    id: 'privileges.setuid',
    group: 'privileges',
    label: 'Uses a setuid-root program',
    cells: {
      docker: docs('no', 'docker', 'Privileged work is done by the dockerd daemon, not by a setuid program'),
      podman: docs('no', 'podman', 'podman itself is not setuid; rootless mode relies on user namespaces'),
      apptainer: seed('yes', 'htcondor', "Singularity 'needs setuid, but not daemon (changes happening now...)'"),
      singularitypro: docs('yes', 'singularitypro', 'Installed setuid-root by default, as SingularityCE is; a non-setuid user-namespace mode exists'),
      udocker: seed('no', 'udockerHpc', 'Pulls, extracts and executes Docker containers without requiring privileges'),
      charliecloud: seed('no', 'hpcCompare', 'Nothing in the Charliecloud workflow requires privileged or trusted processes on center resources'),
      shifter: seed('yes', 'hpcCompare', "The 'shifter' executable is setuid-root"),
      sarus: seed('yes', 'hpcCompare', 'Sarus must run as a root-owned SUID executable to perform mounts and create namespaces'),
      kubernetes: docs('no', 'kubernetes', 'Runs containers through node daemons (kubelet and a CRI runtime), not a setuid program'),
    },
  },
  {
    id: 'privileges.user-namespaces',
    group: 'privileges',
    label: 'Runs in unprivileged user namespaces',
    cells: {
      docker: docs('partial', 'docker', 'Opt-in: rootless mode runs the daemon and containers inside a user namespace'),
      podman: seed('yes', 'hysds', "Containers 'can either be run as root or in rootless mode' (rootless Podman uses user namespaces)"),
      apptainer: seed('yes', 'hpcCompare', 'Unprivileged user namespaces are required to run containers without root or setuid privilege'),
      singularitypro: docs('yes', 'singularitypro', 'Can run unprivileged in user namespaces instead of setuid, as SingularityCE can'),
      udocker: seed('partial', 'dtgeo', 'Only the R1-R3 modes (runC/crun) are rootless using user namespaces; the default P1 mode uses PRoot'),
      charliecloud: seed('yes', 'hpcCompare', 'Uses Linux user namespaces to run containers with no privileged operations'),
      shifter: seed('no', 'hpcCompare', 'Uses root privilege (setuid-root) to set up the container environment, not user namespaces'),
      sarus: seed('no', 'hpcCompare', 'Achieves full root privileges through its SUID executable to create namespaces'),
      kubernetes: docs('partial', 'kubernetes', 'Pods can opt into user namespaces (hostUsers: false) on supporting nodes; not the default'),
    },
  },
  {
    id: 'privileges.none',
    group: 'privileges',
    label: 'Runs with no privilege at all',
    cells: {
      docker: seed('no', 'hpcCompare', 'Docker uses a root-owned daemon that users control through a writable socket'),
      podman: seed('yes', 'hysds', "Runs as 'user-space and daemonless' in rootless mode"),
      apptainer: seed('partial', 'hpcCompare', 'No admin/sudo needed to run containers, but admin/root is needed to install it and for some builds'),
      singularitypro: docs('partial', 'singularitypro', 'Running needs no root, but an administrator installs it (setuid by default)'),
      udocker: seed('yes', 'udockerHpc', 'Executes Docker containers without requiring privileges or system administrators'),
      charliecloud: seed('yes', 'hpcCompare', 'No privileged or trusted processes or daemons on center-managed resources'),
      shifter: seed('no', 'hpcCompare', 'Uses a great deal of root privilege to set up the container environment'),
      sarus: seed('no', 'hpcCompare', 'Must be able to achieve full root privileges to perform mounts and create namespaces'),
      kubernetes: docs('no', 'kubernetes', 'Nodes run privileged kubelet and container-runtime daemons'),
    },
  },
  // daemonless
  {
    id: 'daemonless',
    group: 'daemonless',
    label: 'Daemonless',
    cells: {
      docker: seed('no', 'hysds', 'Docker requires a daemon to be run on every host'),
      podman: seed('yes', 'hysds', 'Podman is a daemonless container engine'),
      apptainer: seed('yes', 'htcondor', "Singularity 'needs setuid, but not daemon'"),
      singularitypro: docs('yes', 'singularitypro', 'Runs containers from a command-line program with no daemon, as SingularityCE does'),
      udocker: seed('yes', 'udockerHpc', 'Containers run under the regular user id in the same process tree as the caller'),
      charliecloud: seed('yes', 'hpcCompare', 'Runs containers with no privileged operations or daemons'),
      shifter: seed('partial', 'hpcCompare', 'The runtime is a setuid utility, but images come through an image gateway service'),
      sarus: docs('yes', 'sarus', 'A SUID command-line tool that spawns containers through an OCI runtime; no daemon'),
      kubernetes: docs('no', 'kubernetes', 'A control plane and a kubelet daemon on every node'),
    },
  },
  // image formats
  {
    id: 'image.oci',
    group: 'image-formats',
    label: 'OCI images',
    cells: {
      docker: seed('yes', 'dtgeo', 'DT-GEO table: runs OCI images'),
      podman: seed('yes', 'hysds', "For 'developing, managing, and running OCI Containers'"),
      apptainer: seed('yes', 'hpcCompare', 'Singularity is OCI compliant from 3.1.0'),
      singularitypro: seed('yes', 'dtgeo', 'DT-GEO table: runs OCI images'),
      udocker: seed('yes', 'dtgeo', 'DT-GEO table: runs OCI images'),
      charliecloud: seed('partial', 'hpcCompare', 'OCI compliance is in beta with ch-run-oci'),
      shifter: seed('partial', 'hpcCompare', "A 'Docker-compatible container platform'; the seed names Docker images, not OCI"),
      sarus: seed('yes', 'hpcCompare', 'Can import and convert images adopting the OCI Image Format'),
      kubernetes: seed('yes', 'hysds', 'Kubernetes will always support the OCI and Docker image formats'),
    },
  },
  {
    id: 'image.docker',
    group: 'image-formats',
    label: 'Docker images',
    cells: {
      docker: seed('yes', 'dtgeo', 'DT-GEO table: runs docker images'),
      podman: seed('yes', 'dtgeo', 'DT-GEO table: runs docker images'),
      apptainer: seed('yes', 'dtgeo', 'DT-GEO table: runs docker images'),
      singularitypro: seed('yes', 'dtgeo', 'DT-GEO table: runs docker images'),
      udocker: seed('yes', 'dtgeo', 'Docker images can be executed with docker or udocker'),
      charliecloud: seed('yes', 'hpcCompare', 'Images can be built using Docker or anything producing a standard Linux filesystem tree'),
      shifter: seed('yes', 'hpcCompare', 'Converts Docker images to a common format distributed to HPC nodes'),
      sarus: seed('yes', 'hpcCompare', 'Pulls Docker images (Docker Registry HTTP API V2)'),
      kubernetes: seed('yes', 'hysds', 'Kubernetes will always support the OCI and Docker image formats'),
    },
  },
  {
    id: 'image.sif',
    group: 'image-formats',
    label: 'SIF (Singularity Image Format)',
    cells: {
      docker: seed('no', 'dtgeo', 'DT-GEO table: does not run Singularity images'),
      podman: seed('no', 'dtgeo', 'DT-GEO table: does not run Singularity images'),
      apptainer: seed('yes', 'dtgeo', 'DT-GEO table: runs Singularity images'),
      singularitypro: seed('yes', 'dtgeo', 'DT-GEO table: runs Singularity images'),
      udocker: seed('no', 'dtgeo', 'DT-GEO table: does not run Singularity images'),
      charliecloud: docs('no', 'charliecloud', 'Works with image directories, tarballs, SquashFS and builder storage; not SIF'),
      shifter: seed('no', 'hpcCompare', 'Takes Docker images and converts them to its own squashfs format'),
      sarus: seed('no', 'hpcCompare', 'Takes Docker/OCI images and stores them as squashfs'),
      kubernetes: seed('no', 'dtgeo', 'DT-GEO table: does not run Singularity images'),
    },
  },
  {
    id: 'image.directory',
    group: 'image-formats',
    label: 'Directory (unpacked root filesystem)',
    cells: {
      docker: docs('no', 'docker', 'Runs containers from images in its own store, not from an unpacked directory'),
      podman: docs('yes', 'podman', 'podman run --rootfs runs a container from an unpacked root filesystem directory'),
      apptainer: seed('yes', 'udockerHpc', 'Supports a sandbox format, the container deployed inside a standard Unix directory'),
      singularitypro: docs('yes', 'singularitypro', 'Builds and runs sandbox directories as SingularityCE does'),
      udocker: seed('yes', 'udockerHpc', 'The image is extracted to a user-space filesystem area and run chroot-like from there'),
      charliecloud: seed('yes', 'hpcCompare', 'Runs anything that can generate a standard Linux filesystem tree'),
      shifter: seed('no', 'hpcCompare', 'Images are flattened to a format mounted directly on the compute nodes'),
      sarus: seed('no', 'hpcCompare', 'Images are converted and stored as squashfs'),
      kubernetes: docs('no', 'kubernetes', 'Pods run images pulled by the container runtime, not directories'),
    },
  },
  // isolation method
  {
    id: 'isolation.namespaces',
    group: 'isolation',
    label: 'Isolation by kernel namespaces',
    cells: {
      docker: seed('yes', 'dtgeo', 'DT-GEO: isolates using kernel functionalities (namespaces, chroot/pivot_root)'),
      podman: seed('yes', 'dtgeo', 'DT-GEO: isolates using kernel functionalities (namespaces, chroot/pivot_root)'),
      apptainer: seed('yes', 'dtgeo', 'DT-GEO: isolates using kernel functionalities (namespaces, chroot/pivot_root)'),
      singularitypro: docs('yes', 'singularitypro', 'Isolates with kernel namespaces (mount, PID and others), as SingularityCE does'),
      udocker: seed('partial', 'dtgeo', 'Only udocker modes Rn and Sn use kernel namespaces; Pn and Fn modes intercept calls'),
      charliecloud: seed('yes', 'hpcCompare', 'Uses Linux user namespaces to run containers'),
      shifter: seed('partial', 'hpcCompare', 'Privileged mounts and a rewritten user space (chroot-like), not a full namespace set'),
      sarus: seed('yes', 'hpcCompare', 'Achieves root privileges to perform mounts and create namespaces'),
      kubernetes: seed('yes', 'dtgeo', 'DT-GEO: isolates using kernel functionalities (namespaces, chroot/pivot_root)'),
    },
  },
  {
    id: 'isolation.syscall-interception',
    group: 'isolation',
    label: 'Isolation by system-call interception',
    cells: {
      docker: seed('no', 'dtgeo', 'DT-GEO table: no system call interception'),
      podman: seed('no', 'dtgeo', 'DT-GEO table: no system call interception'),
      apptainer: seed('no', 'dtgeo', 'DT-GEO table: no system call interception'),
      singularitypro: seed('no', 'dtgeo', 'DT-GEO table: no system call interception'),
      udocker: seed('yes', 'dtgeo', 'Pn modes (the default P1) intercept system calls using ptrace+seccomp (PRoot)'),
      charliecloud: seed('no', 'hpcCompare', 'Relies on user namespaces and the kernel for isolation'),
      shifter: docs('no', 'shifter', 'Sets up the container with privileged mounts and chroot; no call interception'),
      sarus: seed('no', 'hpcCompare', 'Uses an OCI-compliant runtime to spawn the container process'),
      kubernetes: seed('no', 'dtgeo', 'DT-GEO table: no system call interception'),
    },
  },
  {
    id: 'isolation.library-interception',
    group: 'isolation',
    label: 'Isolation by library-call interception',
    cells: {
      docker: seed('no', 'dtgeo', 'DT-GEO table: no shared library call interception'),
      podman: seed('no', 'dtgeo', 'DT-GEO table: no shared library call interception'),
      apptainer: seed('no', 'dtgeo', 'DT-GEO figure: apptainer isolates with kernel functionalities; only udocker Fn intercepts libraries'),
      singularitypro: docs('no', 'singularitypro', 'Isolates with kernel namespaces; no LD_PRELOAD library interception'),
      udocker: seed('yes', 'dtgeo', 'Fn modes intercept shared library calls using the loader (LD_PRELOAD, Fakechroot)'),
      charliecloud: seed('no', 'hpcCompare', 'Relies on user namespaces and the kernel for isolation'),
      shifter: docs('no', 'shifter', 'Sets up the container with privileged mounts and chroot; no call interception'),
      sarus: seed('no', 'hpcCompare', 'Uses an OCI-compliant runtime to spawn the container process'),
      kubernetes: seed('no', 'dtgeo', 'DT-GEO table: no shared library call interception'),
    },
  },
  // GPU
  {
    id: 'gpu',
    group: 'gpu',
    label: 'GPU access',
    cells: {
      docker: seed('partial', 'hpcCompare', "'No native support for GPU'; GPUs need an add-on runtime such as NVIDIA's toolkit"),
      podman: docs('partial', 'podman', 'GPUs through CDI device specifications from the vendor toolkit (--device nvidia.com/gpu=all)'),
      apptainer: seed('yes', 'hpcCompare', 'Singularity lists GPU support among its available tools'),
      singularitypro: docs('yes', 'singularitypro', 'NVIDIA and AMD GPUs through --nv and --rocm, as SingularityCE'),
      udocker: seed('yes', 'udockerHpc', 'Can access specialized hardware like GPGPUs'),
      charliecloud: seed('yes', 'hpcCompare', 'Injects GPU libraries into a container with ch-fromhost'),
      shifter: seed('yes', 'hpcCompare', "Native GPU support: automatic import of host's CUDA driver and devices"),
      sarus: seed('yes', 'hpcCompare', 'NVIDIA GPU support through an OCI hook'),
      kubernetes: docs('yes', 'kubernetes', 'Schedules GPUs through vendor device plugins'),
    },
  },
  // MPI
  {
    id: 'mpi',
    group: 'mpi',
    label: 'MPI across nodes',
    cells: {
      docker: seed('no', 'hpcCompare', 'No native support for MPI'),
      podman: docs('partial', 'podman', 'No built-in MPI integration; host-launched ranks can run containers with host networking'),
      apptainer: seed('yes', 'hpcCompare', 'Singularity lists MPI among its available tools'),
      singularitypro: docs('yes', 'singularitypro', 'Runs MPI applications with host MPI (hybrid or bind model), as SingularityCE'),
      udocker: seed('yes', 'udockerHpc', 'Can access specialized hardware like Infiniband for MPI jobs'),
      charliecloud: seed('yes', 'hpcCompare', 'Native MPI support'),
      shifter: seed('yes', 'hpcCompare', "Native MPI support: swaps the container's MPI libraries for the host's (MPICH ABI)"),
      sarus: seed('yes', 'hpcCompare', 'Native MPICH-based MPI support through an OCI hook'),
      kubernetes: docs('partial', 'kubernetes', 'No built-in MPI; MPI jobs need an add-on operator'),
    },
  },
  // cgroups
  {
    id: 'cgroups',
    group: 'cgroups',
    label: 'Resource limits with cgroups',
    cells: {
      docker: seed('yes', 'htcondor', 'Docker runs processes in cgroups that protect memory and CPU usage'),
      podman: docs('yes', 'podman', 'CPU and memory limits (--cpus, --memory) through cgroups; rootless needs cgroup v2 delegation'),
      apptainer: docs('partial', 'apptainer', 'Optional --cpus/--memory limits via cgroups; unprivileged use needs cgroup v2 and systemd'),
      singularitypro: docs('partial', 'singularitypro', 'Optional cgroup limits (--apply-cgroups, --cpus, --memory); unprivileged needs cgroup v2'),
      udocker: seed('no', 'udockerHpc', 'Sets no limits itself: processes stay in the user process tree so site limits apply'),
      charliecloud: seed('no', 'hpcCompare', 'Minimal isolation yields direct access to all resources'),
      shifter: seed('no', 'hpcCompare', 'Sets no limits itself; integrates with the workload manager (SLURM SPANK plugin)'),
      sarus: seed('no', 'hpcCompare', 'Sets no limits itself; relies on the workload manager (Slurm synchronization hook)'),
      kubernetes: docs('yes', 'kubernetes', 'Container resource requests and limits, enforced with cgroups'),
    },
  },
  // network isolation
  {
    id: 'network-isolation',
    group: 'network-isolation',
    label: 'Network isolation',
    cells: {
      docker: docs('yes', 'docker', 'Each container gets its own network namespace on a bridge network by default'),
      podman: docs('yes', 'podman', 'Each container gets its own network namespace (bridge or rootless user-mode networking)'),
      apptainer: docs('partial', 'apptainer', 'Shares the host network by default; --net adds a network namespace (most types need root)'),
      singularitypro: docs('partial', 'singularitypro', 'Shares the host network by default; --net adds a network namespace (most types need root)'),
      udocker: docs('no', 'udocker', 'Containers share the host network'),
      charliecloud: seed('no', 'hpcCompare', 'Minimal isolation yields direct access to all resources'),
      shifter: seed('no', 'hpcCompare', 'Design goal: shared resource availability (file systems and network interfaces)'),
      sarus: docs('no', 'sarus', 'Containers use the host network, for native HPC interconnect performance'),
      kubernetes: docs('yes', 'kubernetes', 'Each pod has its own network namespace; NetworkPolicy can restrict traffic'),
    },
  },
  // Kubernetes
  {
    id: 'kubernetes',
    group: 'kubernetes',
    label: 'Kubernetes',
    cells: {
      docker: seed('partial', 'hysds', 'K8s support Yes, but Kubernetes 1.20 deprecated Docker as an engine; its images still run'),
      podman: seed('yes', 'hysds', 'HySDS table: K8s support Yes'),
      apptainer: seed('partial', 'hpcCompare', 'Singularity CRI implements the K8s RuntimeService and ImageService (HySDS lists N/A)'),
      singularitypro: seed('partial', 'hpcCompare', 'Singularity CRI implements the K8s RuntimeService and ImageService'),
      udocker: docs('no', 'udocker', 'A user-level command-line tool with no Kubernetes integration'),
      charliecloud: docs('no', 'charliecloud', 'An HPC user-level runtime with no Kubernetes integration'),
      shifter: docs('no', 'shifter', 'Integrates with HPC batch schedulers, not Kubernetes'),
      sarus: docs('no', 'sarus', 'Integrates with HPC workload managers, not Kubernetes'),
      kubernetes: docs('yes', 'kubernetes', 'Kubernetes itself: orchestrates containers through a CRI runtime'),
    },
  },
  // Python SDK
  {
    id: 'python-sdk',
    group: 'python-sdk',
    label: 'Python SDK',
    cells: {
      docker: seed('yes', 'hysds', 'Python SDK support: Yes - docker-py'),
      podman: seed('yes', 'hysds', 'Python SDK support: podman-py, over the REST API'),
      apptainer: seed('partial', 'hysds', "HySDS table lists a 'Python API' for Singularity, not an SDK from the project"),
      singularitypro: docs('partial', 'singularitypro', 'No official Python SDK; third-party Python clients drive the command line'),
      udocker: seed('partial', 'dtgeo', 'udocker is itself Python (pip install udocker) but is driven as a command-line tool'),
      charliecloud: docs('no', 'charliecloud', 'Command-line tools (ch-image, ch-run); no Python SDK'),
      shifter: docs('no', 'shifter', 'Command-line tools (shifter, shifterimg); no Python SDK'),
      sarus: docs('no', 'sarus', 'A command-line tool; no Python SDK'),
      kubernetes: docs('yes', 'kubernetes', 'An officially supported Python client library'),
    },
  },
  // container-in-container
  {
    id: 'container-in-container',
    group: 'container-in-container',
    label: 'Container in container',
    cells: {
      docker: seed('yes', 'hysds', 'Yes - mount the docker.sock file into the container'),
      podman: seed('yes', 'hysds', 'Yes - with --privileged (as root, siblings); rootless nesting works but not as siblings'),
      apptainer: seed('partial', 'hysds', "HySDS table: 'N/A - (Not sure if possible)'"),
      singularitypro: docs('partial', 'singularitypro', 'Can run nested only where the outer container allows setuid or user namespaces'),
      udocker: docs('partial', 'udocker', 'Needs no daemon or privileges, so it can run inside containers that allow its execution mode'),
      charliecloud: docs('partial', 'charliecloud', 'Works nested only where the outer container permits unprivileged user namespaces'),
      shifter: docs('no', 'shifter', 'The setuid runtime is meant for compute nodes, not for use inside containers'),
      sarus: docs('no', 'sarus', 'The SUID runtime is installed by administrators on HPC nodes, not inside containers'),
      kubernetes: docs('partial', 'kubernetes', 'Pods can nest containers only with privileged pods or a runtime that allows it'),
    },
  },
  // signed images
  {
    id: 'signed-images',
    group: 'signed-images',
    label: 'Signed images',
    cells: {
      docker: docs('partial', 'docker', 'Opt-in signature verification with Docker Content Trust'),
      podman: docs('yes', 'podman', 'Signs images (podman image sign, sigstore) and enforces signature policies on pull'),
      apptainer: seed('yes', 'hpcCompare', 'SIF supports cryptographic signing and verification (OpenPGP)'),
      singularitypro: docs('yes', 'singularitypro', 'Signs and verifies SIF images, as SingularityCE'),
      udocker: docs('no', 'udocker', 'Pulls and runs images without signature verification'),
      charliecloud: docs('no', 'charliecloud', 'No image signature verification'),
      shifter: docs('no', 'shifter', 'No image signature verification'),
      sarus: docs('no', 'sarus', 'No image signature verification'),
      kubernetes: docs('partial', 'kubernetes', 'Verifying image signatures needs an admission controller; not built in'),
    },
  },
  // HPC batch fit
  {
    id: 'hpc-batch',
    group: 'hpc-batch',
    label: 'Fits HPC batch systems',
    cells: {
      docker: seed('no', 'dtgeo', 'DT-GEO table: not for HPC and batch'),
      podman: seed('partial', 'dtgeo', 'DT-GEO table: HPC and batch marked neither yes nor no'),
      apptainer: seed('yes', 'dtgeo', 'DT-GEO table: HPC and batch'),
      singularitypro: seed('yes', 'dtgeo', 'DT-GEO table: HPC and batch'),
      udocker: seed('yes', 'dtgeo', 'DT-GEO table: HPC and batch; 42 components plan udocker in batch systems'),
      charliecloud: seed('yes', 'hpcCompare', 'User-defined software stacks for HPC centers'),
      shifter: seed('yes', 'hpcCompare', 'Integrates with batch workload managers (SPANK plugin for SLURM)'),
      sarus: seed('yes', 'hpcCompare', 'Compatibility with the presence of a workload manager'),
      kubernetes: seed('no', 'dtgeo', 'DT-GEO table: not for HPC and batch'),
    },
  },
  // user-deployable
  {
    id: 'user-deployable',
    group: 'user-deployable',
    label: 'User-deployable without an administrator',
    cells: {
      docker: seed('no', 'dtgeo', 'DT-GEO table: not user deploy and execute'),
      podman: seed('no', 'dtgeo', 'DT-GEO table: not user deploy and execute'),
      apptainer: seed('no', 'dtgeo', 'DT-GEO table: not user deploy and execute'),
      singularitypro: seed('no', 'dtgeo', 'DT-GEO table: not user deploy and execute'),
      udocker: seed('yes', 'dtgeo', 'DT-GEO table: user deploy and execute'),
      charliecloud: seed('yes', 'hpcCompare', 'Nothing requires privileged or trusted processes or daemons on center-managed resources'),
      shifter: seed('no', 'hpcCompare', 'Requires installing the image manager and the setuid-root Shifter runtime'),
      sarus: seed('no', 'hpcCompare', 'Installation needs root to set Sarus as a root-owned SUID program'),
      kubernetes: seed('no', 'dtgeo', 'DT-GEO table: not user deploy and execute'),
    },
  },
];

export const FEATURE_MATRIX: FeatureMatrix = {
  engines: [
    { id: 'docker', label: 'Docker' },
    { id: 'podman', label: 'Podman' },
    { id: 'apptainer', label: 'Apptainer/Singularity' },
    { id: 'singularitypro', label: 'SingularityPRO' },
    { id: 'udocker', label: 'udocker' },
    { id: 'charliecloud', label: 'Charliecloud' },
    { id: 'shifter', label: 'Shifter' },
    { id: 'sarus', label: 'Sarus' },
    { id: 'kubernetes', label: 'Kubernetes' },
  ],
  groups: [
    { id: 'privileges', label: 'Privileges' },
    { id: 'daemonless', label: 'Daemonless' },
    { id: 'image-formats', label: 'Image formats' },
    { id: 'isolation', label: 'Isolation method' },
    { id: 'gpu', label: 'GPU' },
    { id: 'mpi', label: 'MPI' },
    { id: 'cgroups', label: 'cgroups resource limits' },
    { id: 'network-isolation', label: 'Network isolation' },
    { id: 'kubernetes', label: 'Kubernetes' },
    { id: 'python-sdk', label: 'Python SDK' },
    { id: 'container-in-container', label: 'Container in container' },
    { id: 'signed-images', label: 'Signed images' },
    { id: 'hpc-batch', label: 'HPC batch fit' },
    { id: 'user-deployable', label: 'User-deployable without an administrator' },
  ],
  rows,
};

/** The row with this id, or undefined. */
export function featureRow(rowId: FeatureRowId, matrix: FeatureMatrix = FEATURE_MATRIX): FeatureRow | undefined {
  return matrix.rows.find((row) => row.id === rowId);
}

/** The documented cell for one engine in one row, or undefined when the row or engine is unknown. */
export function featureCell(
  rowId: string,
  engineId: string,
  matrix: FeatureMatrix = FEATURE_MATRIX,
): FeatureCell | undefined {
  const row = FeatureRowIdSchema.safeParse(rowId);
  const engine = FeatureEngineIdSchema.safeParse(engineId);
  if (!row.success || !engine.success) return undefined;
  return featureRow(row.data, matrix)?.cells[engine.data];
}
