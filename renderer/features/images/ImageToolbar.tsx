// The filter box and one toggle chip per listed engine (hidden engines are kept in settings).
import type { EngineStatus } from '../../../shared/model';

interface ImageToolbarProps {
  filter: string;
  onFilterChange(filter: string): void;
  engines: EngineStatus[];
  hiddenEngines: ReadonlySet<string>;
  onToggleEngine(engineId: string): void;
}

export function ImageToolbar({ filter, onFilterChange, engines, hiddenEngines, onToggleEngine }: ImageToolbarProps) {
  return (
    <div className="image-toolbar">
      <input
        type="search"
        className="image-toolbar__filter"
        aria-label="Filter images by repository, tag, id or engine"
        placeholder="Filter images"
        data-testid="image-filter"
        value={filter}
        onChange={(event) => onFilterChange(event.target.value)}
      />
      <div role="group" aria-label="Show images of engine" className="image-toolbar__chips">
        {engines.map((engine) => {
          const shown = !hiddenEngines.has(engine.id);
          return (
            <button
              key={engine.id}
              type="button"
              className="chip"
              aria-pressed={shown}
              data-testid={`engine-filter-${engine.id}`}
              onClick={() => onToggleEngine(engine.id)}
            >
              <span aria-hidden="true">{shown ? '✓ ' : ''}</span>
              {engine.label}
            </button>
          );
        })}
      </div>
    </div>
  );
}
