// A RunSpec as a Kubernetes batch/v1 Job: one container running the image by its registry name,
// with the spec's arguments, environment, binds (as hostPath volumes) and the resources asked for
// in the export dialog. Kubernetes pulls images from registries only, so a SIF file or an image
// folder is refused with what to do instead; what a Job cannot carry is said in the notes.
import type { KubernetesExportOptions } from '../../../shared/batch-export';
import type { RunSpec } from '../../../shared/run';
import { registryNote, type ContainerSource } from '../export/container-source';
import type { YamlValue } from './yaml';

export class ManifestRefusal extends Error {}

export interface JobManifestInput {
  spec: RunSpec;
  source: ContainerSource;
  options: KubernetesExportOptions;
  /** A DNS-1123 label (electron/batch/export/names.ts). */
  jobName: string;
}

export interface JobManifest {
  manifest: { [key: string]: YamlValue };
  notes: string[];
}

/**
 * Kubernetes expands "$(NAME)" in a container's command, args and env values, and reads "$$" as
 * one "$" (the API reference of Container.args). Doubling every "$" keeps a value literal.
 */
export function literalForExpansion(value: string): string {
  return value.replaceAll('$', '$$$$');
}

export function buildJobManifest({ spec, source, options, jobName }: JobManifestInput): JobManifest {
  const notes: string[] = [];
  if (source.kind !== 'registry') {
    const what = source.kind === 'sif' ? `the SIF file ${source.path}` : `the image folder ${source.path}`;
    throw new ManifestRefusal(
      `Kubernetes runs images its nodes pull from a registry; ${what} is not one. Put the image in a registry the cluster reaches as an OCI image and export from that image, or export for HTCondor, which runs SIF files and image folders.`,
    );
  }
  const registry = registryNote(source);
  if (registry) notes.push(registry);
  if (spec.executionMode) notes.push(`Execution mode ${spec.executionMode}: not carried; the node's container runtime runs the pod.`);

  const gpus = options.gpus > 0 ? { 'nvidia.com/gpu': String(options.gpus) } : {};
  // Requests equal to limits: the pod gets exactly what was asked (Guaranteed QoS), as a batch
  // scheduler's allocation would; extended resources such as GPUs must be equal anyway.
  const resources = { cpu: String(options.cpus), memory: `${options.memoryMb}Mi`, ...gpus };
  if (spec.gpu && options.gpus === 0) notes.push('The job asked for a GPU locally, but no GPU is requested here (nvidia.com/gpu).');
  if (options.gpus > 0) notes.push('GPUs are requested as nvidia.com/gpu, the NVIDIA device plugin\'s resource name; clusters with other GPUs name theirs differently.');

  const volumes = spec.binds.map((bind, index) => ({ name: `bind-${index}`, hostPath: { path: bind.hostPath } }));
  const volumeMounts = spec.binds.map((bind, index) => ({ name: `bind-${index}`, mountPath: bind.containerPath, readOnly: bind.readOnly }));
  if (spec.binds.length > 0) {
    notes.push(
      'Binds become hostPath volumes: the path on the node that runs the pod, not on this machine. Many clusters refuse hostPath (Pod Security "baseline"); use a PersistentVolumeClaim there instead.',
    );
  }

  const securityContext = securityContextOf(spec.user, notes);
  const container: { [key: string]: YamlValue | undefined } = {
    name: 'main',
    image: source.reference,
    // The spec's command replaces the image's CMD and keeps its ENTRYPOINT, as `docker run image
    // cmd...` does: in Kubernetes that is args, not command.
    args: spec.command.length > 0 ? spec.command.map(literalForExpansion) : undefined,
    workingDir: spec.workdir ?? undefined,
    env: spec.env.length > 0 ? spec.env.map(({ name, value }) => ({ name, value: literalForExpansion(value) })) : undefined,
    resources: { requests: resources, limits: resources },
    volumeMounts: volumeMounts.length > 0 ? volumeMounts : undefined,
    securityContext,
  };
  if (spec.command.length === 0) notes.push('No command: the image’s own entrypoint and command run.');

  const podSpec: { [key: string]: YamlValue | undefined } = {
    restartPolicy: 'Never',
    hostNetwork: spec.network === 'host' ? true : undefined,
    containers: [container],
    volumes: volumes.length > 0 ? volumes : undefined,
  };
  if (spec.network === 'host') notes.push('Network "host": the pod uses the node\'s network (hostNetwork), which many clusters refuse.');
  if (spec.network === 'none') notes.push('Network "none": not carried; a pod always has a network (a NetworkPolicy can cut it off).');
  if (spec.ports.length > 0) notes.push('Published ports: not carried; a Job publishes nothing (a Service would).');
  if (spec.tty) notes.push('Interactive terminal: not carried; attach with kubectl instead.');

  const manifest = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobName, labels: { 'app.kubernetes.io/name': jobName } },
    spec: {
      // N copies, all at once if the cluster has room: what "queue N" means to HTCondor.
      completions: options.count > 1 ? options.count : undefined,
      parallelism: options.count > 1 ? options.count : undefined,
      backoffLimit: options.backoffLimit,
      template: { metadata: { labels: { 'app.kubernetes.io/name': jobName } }, spec: podSpec },
    },
  };
  return { manifest: manifest as JobManifest['manifest'], notes };
}

/** "1000" or "1000:100" become runAsUser/runAsGroup; a name cannot (Kubernetes takes numbers). */
function securityContextOf(user: string | null, notes: string[]): { [key: string]: YamlValue } | undefined {
  if (user === null) return undefined;
  const numeric = /^(\d{1,10})(?::(\d{1,10}))?$/.exec(user);
  if (!numeric) {
    notes.push(`User ${user}: not carried; Kubernetes takes numeric ids only (runAsUser/runAsGroup).`);
    return undefined;
  }
  const context: { [key: string]: YamlValue } = { runAsUser: Number(numeric[1]) };
  if (numeric[2] !== undefined) context.runAsGroup = Number(numeric[2]);
  return context;
}
