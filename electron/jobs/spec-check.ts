// What an engine cannot do of a RunSpec, in words the run dialog shows beside the field. The job
// manager refuses a run with any problem: the window is not trusted to have checked.
import type { RunCapabilities, RunSpec } from '../../shared/run';

export function specProblems(spec: RunSpec, capabilities: RunCapabilities): string[] {
  const problems: string[] = [];
  const lacks = (asked: boolean, support: { supported: boolean; note: string | null }, what: string) => {
    if (asked && !support.supported) problems.push(`${what}: ${support.note ?? 'this engine cannot do it'}`);
  };
  lacks(spec.tty, capabilities.tty, 'Interactive terminal');
  lacks(spec.gpu, capabilities.gpu, 'GPU');
  lacks(spec.user !== null, capabilities.user, 'User');
  lacks(spec.workdir !== null, capabilities.workdir, 'Working directory');
  lacks(spec.binds.some((bind) => bind.readOnly), capabilities.readOnlyBinds, 'Read-only bind');
  lacks(spec.ports.length > 0, capabilities.ports, 'Published ports');
  if (spec.ports.length > 0 && spec.network !== 'default') problems.push(`Published ports need the engine's default network, not "${spec.network}"`);
  const published = new Set<string>();
  for (const port of spec.ports) {
    const key = `${port.hostPort}/${port.protocol}`;
    if (published.has(key)) problems.push(`Ports: host port ${key} is published twice`);
    published.add(key);
  }
  if (!capabilities.networks.includes(spec.network)) {
    problems.push(`Network "${spec.network}": this engine offers ${capabilities.networks.map((mode) => `"${mode}"`).join(', ') || 'no choice'}`);
  }

  if (spec.executionMode !== null) {
    const mode = capabilities.modes.find((candidate) => candidate.id === spec.executionMode);
    if (capabilities.modes.length === 0) problems.push('Execution mode: this engine has none to choose');
    else if (!mode) problems.push(`Execution mode ${spec.executionMode}: not one of ${capabilities.modes.map((m) => m.id).join(', ')}`);
    else if (!mode.ready) problems.push(`Execution mode ${mode.id}: its test container did not run on this machine`);
  }

  const envNames = new Set<string>();
  for (const variable of spec.env) {
    if (envNames.has(variable.name)) problems.push(`Environment: ${variable.name} is set twice`);
    envNames.add(variable.name);
  }
  const targets = new Set<string>();
  for (const bind of spec.binds) {
    if (targets.has(bind.containerPath)) problems.push(`Bind: ${bind.containerPath} is a target twice`);
    targets.add(bind.containerPath);
  }
  return problems;
}
