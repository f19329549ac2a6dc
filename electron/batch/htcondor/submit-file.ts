// A RunSpec as an HTCondor submit description in the container universe: the execute machine
// picks its runtime (Docker, Podman, Apptainer/Singularity) for the image, as HTCondor's manual
// describes ("Container Universe Jobs"). What the spec asks that HTCondor has no command for is
// said in the notes rather than dropped silently.
import { basename } from 'node:path';
import type { HtcondorExportOptions } from '../../../shared/batch-export';
import type { RunSpec } from '../../../shared/run';
import { registryNote, type ContainerSource } from '../export/container-source';
import { argumentsValue, environmentValue, fileListPath, rawValue, SubmitSyntaxError } from './submit-syntax';

export interface SubmitFileInput {
  spec: RunSpec;
  source: ContainerSource;
  options: HtcondorExportOptions;
  /** A file-safe base name ([A-Za-z0-9._-]) for output, error and log. */
  baseName: string;
  /** For the header comment: "busybox:1.36 on Docker". */
  origin: string;
}

export interface SubmitFile {
  text: string;
  notes: string[];
}

/** Builds the submit file; throws SubmitSyntaxError naming the first part that cannot be written. */
export function buildSubmitFile({ spec, source, options, baseName, origin }: SubmitFileInput): SubmitFile {
  const notes: string[] = [];
  const lines: Array<[string, string]> = [];
  const add = (command: string, value: string) => lines.push([command, value]);

  add('universe', 'container');
  add('container_image', containerImageValue(source, notes));

  const [program, ...args] = spec.command;
  if (program === undefined) {
    notes.push('No command: HTCondor runs the image’s own entrypoint or runscript (executable may be left out for container images).');
  } else {
    add('executable', rawValue(program, 'The program'));
    // The program is inside the image, not a file on the submit machine to send along.
    add('transfer_executable', 'false');
    if (!program.startsWith('/')) {
      notes.push(`The program ${JSON.stringify(program)} is not an absolute path: give its full path inside the image (for example /bin/${program}) if the execute machine's runtime does not search PATH for it.`);
    }
    if (args.length > 0) add('arguments', argumentsValue(args));
  }
  if (spec.env.length > 0) add('environment', environmentValue(spec.env));

  add('should_transfer_files', 'YES');
  add('when_to_transfer_output', 'ON_EXIT');
  const inputs = spec.binds.map((bind, index) => fileListPath(transferredPath(bind.hostPath, index), `Bind ${index + 1}'s host path`));
  if (inputs.length > 0) {
    add('transfer_input_files', inputs.join(', '));
    for (const bind of spec.binds) {
      notes.push(
        `Bind ${bind.hostPath} → ${bind.containerPath}: HTCondor has no bind mounts for jobs; the path is sent with the job (transfer_input_files) into its scratch folder as ${JSON.stringify(basename(bind.hostPath))}, where the job finds it relative to its working folder, not at ${bind.containerPath}.${bind.readOnly ? '' : ' Changes the job makes there are not sent back; list results in transfer_output_files.'}`,
      );
    }
    const names = spec.binds.map((bind) => basename(bind.hostPath));
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);
    if (repeated.length > 0) notes.push(`Several binds have the same last name (${[...new Set(repeated)].join(', ')}): in the scratch folder one would replace the other.`);
  }

  add('request_cpus', String(options.cpus));
  add('request_memory', `${options.memoryMb}MB`);
  if (options.gpus > 0) add('request_gpus', String(options.gpus));
  if (spec.gpu && options.gpus === 0) notes.push('The job asked for a GPU locally, but no GPU is requested here (request_gpus).');

  add('output', `${baseName}.$(Cluster).$(Process).out`);
  add('error', `${baseName}.$(Cluster).$(Process).err`);
  add('log', `${baseName}.$(Cluster).log`);

  notes.push(...uncarried(spec));

  const width = Math.max(...lines.map(([command]) => command.length));
  const text = [
    `# HTCondor submit description written by Crossdock from ${safeComment(origin)}.`,
    '# Container universe: the execute machine picks the container runtime for container_image.',
    ...lines.map(([command, value]) => `${command.padEnd(width)} = ${value}`),
    `queue ${options.count}`,
    '',
  ].join('\n');
  return { text, notes };
}

function containerImageValue(source: ContainerSource, notes: string[]): string {
  switch (source.kind) {
    case 'registry': {
      const note = registryNote(source);
      if (note) notes.push(note);
      return rawValue(`docker://${source.reference}`, 'The image name');
    }
    case 'sif':
      notes.push(`The SIF file ${source.path} is sent with the job (add should_transfer_container = no where it is on a file system the execute machines share).`);
      return fileListPath(source.path, 'The SIF file');
    case 'folder':
      notes.push(`The image folder ${source.path} goes as a sandbox image: it is sent with the job and needs an execute machine with Apptainer/Singularity (HasSandboxImage).`);
      return fileListPath(source.path, 'The image folder');
  }
}

/**
 * A bind's host path as a transfer input. HTCondor sends a folder named with a trailing "/" as its
 * contents only; without it, as the folder itself, which is what a bind mount shows the job.
 */
function transferredPath(hostPath: string, index: number): string {
  const path = hostPath.replace(/\/+$/, '');
  if (path === '') throw new SubmitSyntaxError(`Bind ${index + 1} shares the whole file system ("/"), which cannot be sent with a job`);
  return path;
}

/** The parts of the spec a submit file does not carry, each with what happens instead. */
function uncarried(spec: RunSpec): string[] {
  const notes: string[] = [];
  if (spec.workdir) notes.push(`Working directory ${spec.workdir}: not carried; HTCondor starts the job in its scratch folder.`);
  if (spec.user) notes.push(`User ${spec.user}: not carried; the job runs as the user the execute machine maps you to.`);
  if (spec.network !== 'default') notes.push(`Network "${spec.network}": not carried; the execute machine's configuration decides.`);
  if (spec.ports.length > 0) notes.push('Published ports: not carried (HTCondor jobs do not publish ports on the execute machine).');
  if (spec.tty) notes.push('Interactive terminal: not carried; a batch job has none (condor_submit -interactive gives a shell instead).');
  if (spec.executionMode) notes.push(`Execution mode ${spec.executionMode}: not carried; the execute machine picks its runtime.`);
  return notes;
}

/** The origin goes into a comment: one line, no trailing "\" (which would continue the comment). */
function safeComment(text: string): string {
  return text.replace(/[\0-\x1f\x7f]/g, ' ').replace(/\\+$/, '');
}

export { SubmitSyntaxError };
