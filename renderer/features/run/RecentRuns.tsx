// The latest distinct runs of this image (jobs.recent); choosing one refills the form.
import type { RunSpec } from '../../../shared/run';
import { quoteCommandLine } from '../../lib/shell-words';

interface RecentRunsProps {
  specs: RunSpec[];
  onUse(spec: RunSpec): void;
}

export function RecentRuns({ specs, onUse }: RecentRunsProps) {
  if (specs.length === 0) return null;
  return (
    <section className="recent-runs" aria-labelledby="recent-runs-heading">
      <h3 id="recent-runs-heading">Recent runs of this image</h3>
      <ul data-testid="run-recent">
        {specs.map((spec, index) => (
          <li key={index}>
            <button type="button" className="recent-runs__item" onClick={() => onUse(spec)}>
              <span className="mono">{spec.command.length > 0 ? quoteCommandLine(spec.command) : '(the image\'s own command)'}</span>
              <span className="muted">{describeExtras(spec)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function describeExtras(spec: RunSpec): string {
  const parts: string[] = [];
  if (spec.env.length > 0) parts.push(`${spec.env.length} env`);
  if (spec.binds.length > 0) parts.push(`${spec.binds.length} bind${spec.binds.length === 1 ? '' : 's'}`);
  if (spec.ports.length > 0) parts.push(`${spec.ports.length} port${spec.ports.length === 1 ? '' : 's'}`);
  if (spec.tty) parts.push('TTY');
  if (spec.gpu) parts.push('GPU');
  if (spec.network !== 'default') parts.push(`network ${spec.network}`);
  if (spec.executionMode) parts.push(`mode ${spec.executionMode}`);
  return parts.join(' · ');
}
