// The filter checkboxes above the matrix and the sentence saying how many engines match (read out
// politely as it changes, since the highlighted columns may be out of sight).
import { FEATURE_FILTERS } from './feature-filters';

interface FeatureFiltersProps {
  active: readonly string[];
  onChange(active: string[]): void;
  summary: string;
  summaryId: string;
}

export function FeatureFilters({ active, onChange, summary, summaryId }: FeatureFiltersProps) {
  const toggle = (id: string, on: boolean) => {
    // Kept in the filters' own order, whatever order they were ticked in.
    const next = new Set(active);
    if (on) next.add(id);
    else next.delete(id);
    onChange(FEATURE_FILTERS.filter((filter) => next.has(filter.id)).map((filter) => filter.id));
  };
  return (
    <fieldset className="feature-filters">
      <legend>Which engines… (every ticked filter must hold)</legend>
      <div className="feature-filters__list">
        {FEATURE_FILTERS.map((filter) => (
          <label key={filter.id} className="checkbox feature-filters__item">
            <input
              type="checkbox"
              checked={active.includes(filter.id)}
              data-testid={`feature-filter-${filter.id}`}
              onChange={(event) => toggle(filter.id, event.target.checked)}
            />
            {filter.label}
          </label>
        ))}
        <button type="button" className="button--small" disabled={active.length === 0} onClick={() => onChange([])}>
          Clear filters
        </button>
      </div>
      <p id={summaryId} className="feature-filters__summary" role="status" aria-live="polite" data-testid="feature-match-count">
        {summary}
      </p>
    </fieldset>
  );
}
