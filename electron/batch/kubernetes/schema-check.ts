// Checks a Job manifest against the Kubernetes API's own OpenAPI schemas, as packaged by
// kubernetes-models (batch/v1 Job and everything under it: types, required fields, enums such as
// restartPolicy). The schemas say nothing of name formats, which the API server checks: the
// DNS-1123 rule for the Job's name is checked here beside them. A cluster may still refuse a
// valid manifest for its own policies (Pod Security, quotas): that needs a cluster.
//
// kubernetes-models and its validator (ajv with every schema) take longer to load than the rest
// of the host together, so they load on the first check, not at start-up.
import type { ExportCheck } from '../../../shared/batch-export';

type JobClass = typeof import('kubernetes-models/batch/v1').Job;
let jobClass: Promise<JobClass> | null = null;
const loadJobClass = (): Promise<JobClass> => (jobClass ??= import('kubernetes-models/batch/v1').then((module) => module.Job));

const CHECKER = 'Kubernetes API schemas (kubernetes-models, batch/v1 Job)';
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Names of the schema problems, or [] when the manifest passes. */
export async function schemaProblems(manifest: unknown): Promise<string[]> {
  const Job = await loadJobClass();
  const problems: string[] = [];
  try {
    // The constructor copies the object's fields; validate() runs the schema over them.
    new Job(manifest as ConstructorParameters<JobClass>[0]).validate();
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const name = (manifest as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  if (typeof name === 'string' && (name.length > 63 || !DNS_1123_LABEL.test(name))) {
    problems.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 label (lower-case letters, digits and "-", at most 63)`);
  }
  return problems;
}

export async function checkJobManifest(manifest: unknown): Promise<ExportCheck> {
  const problems = await schemaProblems(manifest);
  if (problems.length > 0) return { checker: CHECKER, outcome: 'failed', message: problems.join('; '), details: [] };
  return {
    checker: CHECKER,
    outcome: 'passed',
    message: 'The manifest matches the batch/v1 Job schema. Cluster policies (Pod Security, quotas, hostPath rules) are checked only by a cluster.',
    details: [],
  };
}
