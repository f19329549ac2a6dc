// The virtualised job list (role=grid), built like the image list: focus stays on the grid, the
// selected row is its aria-activedescendant, only the rows in view exist in the DOM.
// Up/Down/Home/End/PageUp/PageDown select; Delete asks to delete the selected job.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useId, useMemo, useRef, type KeyboardEvent, type Ref } from 'react';
import { isActiveJobState, type JobRecord } from '../../../shared/jobs';
import { navigate } from '../../lib/list-navigation';
import { jobColumns, JOB_ROW_HEIGHT } from './columns';
import { JobListRow } from './JobListRow';
import { useNow } from './use-now';

interface JobListProps {
  ref?: Ref<HTMLDivElement>;
  jobs: JobRecord[];
  selectedId: string | null;
  onSelect(job: JobRecord): void;
  onDelete(job: JobRecord): void;
  placeholder: string;
}

export function JobList({ ref, jobs, selectedId, onSelect, onDelete, placeholder }: JobListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const idPrefix = useId();
  const virtualizer = useVirtualizer({
    count: jobs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => JOB_ROW_HEIGHT,
    getItemKey: (index) => jobs[index]?.id ?? index,
    overscan: 12,
  });
  const selectedIndex = useMemo(() => (selectedId === null ? -1 : jobs.findIndex((job) => job.id === selectedId)), [jobs, selectedId]);
  const anyActive = useMemo(() => jobs.some((job) => isActiveJobState(job.state)), [jobs]);
  const now = useNow(anyActive);
  const rowDomId = (index: number) => `${idPrefix}-job-${index}`;

  const activate = useCallback(
    (index: number) => {
      const job = jobs[index];
      if (job) onSelect(job);
    },
    [jobs, onSelect],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const selected = selectedIndex >= 0 ? jobs[selectedIndex] : undefined;
    if (event.key === 'Delete' && selected) {
      event.preventDefault();
      onDelete(selected);
      return;
    }
    const pageSize = Math.floor((scrollRef.current?.clientHeight ?? JOB_ROW_HEIGHT * 10) / JOB_ROW_HEIGHT) - 1;
    const next = navigate(event.key, selectedIndex >= 0 ? selectedIndex : null, jobs.length, pageSize);
    if (next === null) return;
    event.preventDefault();
    const job = jobs[next];
    if (!job) return;
    onSelect(job);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <div
      ref={ref}
      role="grid"
      aria-label="Jobs"
      aria-rowcount={jobs.length + 1}
      aria-colcount={jobColumns.length}
      aria-activedescendant={selectedIndex >= 0 ? rowDomId(selectedIndex) : undefined}
      tabIndex={0}
      className="image-grid job-grid"
      data-testid="job-list"
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="image-grid__head">
        <div role="row" aria-rowindex={1} className="image-grid__row job-grid__row">
          {jobColumns.map((label) => (
            <div key={label} role="columnheader" className={`image-grid__cell job-grid__heading${label === 'Duration' ? ' image-grid__cell--numeric' : ''}`}>
              {label}
            </div>
          ))}
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="image-grid__body">
        {jobs.length === 0 ? (
          <div className="image-grid__placeholder">{placeholder}</div>
        ) : (
          <div className="image-grid__sizer" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const job = jobs[item.index];
              if (!job) return null;
              return (
                <JobListRow
                  key={job.id}
                  job={job}
                  index={item.index}
                  domId={rowDomId(item.index)}
                  selected={item.index === selectedIndex}
                  now={now}
                  onActivate={activate}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
