// One badge per engine holding an image, in the list and in the detail pane. A badge carries the
// engine's name as text (never colour alone), so light, dark and screen readers all read it.
import { Fragment } from 'react';
interface EngineBadgesProps {
  engines: ReadonlyArray<{ id: string; label: string }>;
}

export function EngineBadges({ engines }: EngineBadgesProps) {
  if (engines.length === 1) {
    const [engine] = engines;
    return (
      <span className="engine-badge" data-testid="engine-badge" data-engine-id={engine!.id}>
        {engine!.label}
      </span>
    );
  }
  const names = engines.map((engine) => engine.label).join(', ');
  return (
    <span className="engine-badges" title={`Held by ${names}`}>
      {engines.map((engine, index) => (
        <Fragment key={engine.id}>
          <span className="engine-badge" data-testid="engine-badge" data-engine-id={engine.id}>
            {engine.label}
          </span>
          {/* Read as a list, not as one run-together word. */}
          {index < engines.length - 1 ? <span className="visually-hidden">, </span> : null}
        </Fragment>
      ))}
    </span>
  );
}
