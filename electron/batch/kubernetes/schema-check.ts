// Checks a Job manifest against the Kubernetes API's own OpenAPI schemas, as packaged by
// kubernetes-models (batch/v1 Job and everything under it: types, required fields, enums such as
// restartPolicy). The schemas say nothing of name formats, which the API server checks: the
// DNS-1123 rule for the Job's name is checked here beside them. A cluster may still refuse a
// valid manifest for its own policies (Pod Security, quotas): that needs a cluster.
import { Job } from 'kubernetes-models/batch/v1';
import type { ExportCheck } from '../../../shared/batch-export';

const CHECKER = 'Kubernetes API schemas (kubernetes-models, batch/v1 Job)';
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Names of the schema problems, or [] when the manifest passes. */
export function schemaProblems(manifest: unknown): string[] {
  const problems: string[] = [];
  try {
    // The constructor copies the object's fields; validate() runs the schema over them.
    new Job(manifest as ConstructorParameters<typeof Job>[0]).validate();
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const name = (manifest as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  if (typeof name === 'string' && (name.length > 63 || !DNS_1123_LABEL.test(name))) {
    problems.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 label (lower-case letters, digits and "-", at most 63)`);
  }
  return problems;
}

export function checkJobManifest(manifest: unknown): ExportCheck {
  const problems = schemaProblems(manifest);
  if (problems.length > 0) return { checker: CHECKER, outcome: 'failed', message: problems.join('; '), details: [] };
  return {
    checker: CHECKER,
    outcome: 'passed',
    message: 'The manifest matches the batch/v1 Job schema. Cluster policies (Pod Security, quotas, hostPath rules) are checked only by a cluster.',
    details: [],
  };
}
