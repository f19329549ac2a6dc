// Images, Jobs or Compare: a tab list with roving focus (Left/Right/Home/End move and select).
import { useRef, type KeyboardEvent } from 'react';

export type View = 'images' | 'jobs' | 'compare';

const views: Array<{ view: View; label: string; panel: string }> = [
  { view: 'images', label: 'Images', panel: 'images-view' },
  { view: 'jobs', label: 'Jobs', panel: 'jobs-view' },
  { view: 'compare', label: 'Compare', panel: 'compare-view' },
];

interface ViewTabsProps {
  view: View;
  onChange(view: View): void;
  /** Shown on the Jobs tab: how many jobs run now. */
  activeJobs: number;
}

export function ViewTabs({ view, onChange, activeJobs }: ViewTabsProps) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = views.findIndex((entry) => entry.view === view);
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (index + 1) % views.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + views.length) % views.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = views.length - 1;
    if (next === null) return;
    event.preventDefault();
    onChange(views[next]!.view);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="View" className="view-tabs" onKeyDown={onKeyDown}>
      {views.map((entry, index) => {
        const selected = entry.view === view;
        return (
          <button
            key={entry.view}
            ref={(element) => {
              refs.current[index] = element;
            }}
            type="button"
            role="tab"
            className="view-tab"
            aria-selected={selected}
            aria-controls={selected ? entry.panel : undefined}
            tabIndex={selected ? 0 : -1}
            data-testid={`view-${entry.view}`}
            onClick={() => onChange(entry.view)}
          >
            {entry.label}
            {entry.view === 'jobs' && activeJobs > 0 ? (
              <span className="view-tab__count">
                {' '}
                ({activeJobs}
                <span className="visually-hidden"> running</span>)
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}
