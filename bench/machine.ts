// What the figures were measured on, written beside them.
import { cpus, totalmem } from 'node:os';

export function describeMachine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB memory, Node ${process.version}`;
}
