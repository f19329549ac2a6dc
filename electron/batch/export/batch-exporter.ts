// "Export for HTCondor" and "Export as Kubernetes Job": finds the image row the spec names (its
// format says whether it is a registry image, a SIF file or a folder), writes the file, checks it
// with the batch system's own logic, and saves it when asked. Bad input is refused with the
// reason before anything is written.
import type {
  BatchExportResult,
  ExportCheck,
  HtcondorExportRequest,
  KubernetesExportRequest,
} from '../../../shared/batch-export';
import { ApiError } from '../../../shared/errors';
import type { ImageSummary } from '../../../shared/model';
import type { RunSpec } from '../../../shared/run';
import type { EngineRegistry } from '../../engines/registry';
import { findImage, imageLabelOf } from '../../jobs/image-lookup';
import { checkSubmitFile } from '../htcondor/bindings-check';
import { buildSubmitFile, SubmitSyntaxError } from '../htcondor/submit-file';
import { buildJobManifest, ManifestRefusal } from '../kubernetes/job-manifest';
import { checkJobManifest } from '../kubernetes/schema-check';
import { toYaml } from '../kubernetes/yaml';
import { containerSourceOf } from './container-source';
import { missingPaths } from './missing-paths';
import { dnsLabel, fileBaseName } from './names';
import { saveExport } from './save-export';

export interface BatchExporterDeps {
  registry: EngineRegistry;
  /** PATH for python3 (HTCondor's bindings) and HOME for "~/" save paths. */
  env: NodeJS.ProcessEnv;
  /** The interpreter with HTCondor's bindings; default python3 on PATH. */
  python?: string;
}

interface Made {
  text: string;
  fileName: string;
  contentType: string;
  checks: ExportCheck[];
  notes: string[];
}

export class BatchExporter {
  constructor(private readonly deps: BatchExporterDeps) {}

  async htcondor(request: HtcondorExportRequest, signal: AbortSignal): Promise<BatchExportResult> {
    const { spec, options } = request;
    const { row, engineLabel } = await this.imageOf(spec, signal);
    const imageLabel = imageLabelOf(spec, row);
    const baseName = fileBaseName(options.name ?? imageLabel);
    let file;
    try {
      file = buildSubmitFile({ spec, source: containerSourceOf(spec, row), options, baseName, origin: `${imageLabel} on ${engineLabel}` });
    } catch (error) {
      if (error instanceof SubmitSyntaxError) throw new ApiError('invalid-request', `HTCondor cannot take this job as it is: ${error.message}. Nothing was written.`);
      throw error;
    }
    const missing = await missingPaths(spec.binds.map((bind) => bind.hostPath));
    const notes = [...file.notes, ...missing.map((path) => `${path} does not exist on this machine: submitted from here, HTCondor could not send it.`)];
    const check = await checkSubmitFile(file.text, { env: this.deps.env, signal, ...(this.deps.python ? { python: this.deps.python } : {}) });
    return this.finish(request, 'htcondor', { text: file.text, fileName: `${baseName}.sub`, contentType: 'text/plain; charset=utf-8', checks: [check], notes });
  }

  async kubernetes(request: KubernetesExportRequest, signal: AbortSignal): Promise<BatchExportResult> {
    const { spec, options } = request;
    const { row } = await this.imageOf(spec, signal);
    const name = options.name ?? imageLabelOf(spec, row);
    let built;
    try {
      built = buildJobManifest({ spec, source: containerSourceOf(spec, row), options, jobName: dnsLabel(name) });
    } catch (error) {
      if (error instanceof ManifestRefusal) throw new ApiError('invalid-request', `${error.message} Nothing was written.`);
      throw error;
    }
    const check = await checkJobManifest(built.manifest);
    return this.finish(request, 'kubernetes', {
      text: toYaml(built.manifest),
      fileName: `${fileBaseName(name)}.job.yaml`,
      contentType: 'application/yaml; charset=utf-8',
      checks: [check],
      notes: built.notes,
    });
  }

  private async finish(
    request: { savePath: string | null; overwrite: boolean },
    format: BatchExportResult['format'],
    made: Made,
  ): Promise<BatchExportResult> {
    let savedTo: string | null = null;
    if (request.savePath !== null) {
      const failed = made.checks.find((check) => check.outcome === 'failed');
      if (failed) throw new ApiError('invalid-request', `Not saved: ${failed.checker} rejected the file: ${failed.message}`);
      savedTo = await saveExport({ path: request.savePath, fileName: made.fileName, text: made.text, overwrite: request.overwrite, env: this.deps.env });
    }
    return { format, ...made, savedTo };
  }

  private async imageOf(spec: RunSpec, signal: AbortSignal): Promise<{ row: ImageSummary; engineLabel: string }> {
    const badText = firstIllFormed(spec);
    if (badText !== null) throw new ApiError('invalid-request', `${badText} holds text that is not valid Unicode (a lone surrogate); it cannot be written to a file unchanged.`);
    return this.deps.registry.use(spec.engineId, async (engine) => {
      const row = findImage(await engine.listImages(signal), spec.image);
      if (!row) {
        throw new ApiError('not-found', `${engine.label} has no image ${imageLabelOf(spec, null)} any more: an export needs it to know whether it is a registry image, a SIF file or a folder.`, {
          engineId: engine.id,
        });
      }
      return { row, engineLabel: engine.label };
    });
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The part of the spec holding a lone surrogate (UTF-8 cannot carry one), or null. */
function firstIllFormed(spec: RunSpec): string | null {
  const index = spec.command.findIndex((word) => LONE_SURROGATE.test(word));
  if (index >= 0) return index === 0 ? 'The program' : `Argument ${index}`;
  const variable = spec.env.find((entry) => LONE_SURROGATE.test(entry.value));
  return variable ? `The variable ${variable.name}` : null;
}
