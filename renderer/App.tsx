// The window: header (view tabs, New run), engines on the left; in the Images view the one image
// list in the middle and details on the right, in the Jobs view the jobs and the selected job's
// terminal, in the Compare view comparisons and the feature matrix. The run dialog opens over any.
import { useCallback, useMemo, useState } from 'react';
import type { ComparisonRecord } from '../shared/compare';
import { isActiveJobState, type JobRecord } from '../shared/jobs';
import type { EngineStatus } from '../shared/model';
import type { RunSpec } from '../shared/run';
import { useChangeFeed } from './api/use-change-feed';
import { useReadySignal, useThemeAttribute } from './app-signals';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Header } from './components/Header';
import { StatusBar } from './components/StatusBar';
import { ViewTabs, type View } from './components/ViewTabs';
import { CompareView } from './features/compare/CompareView';
import { EnginesPanel } from './features/engines/EnginesPanel';
import { useEngines } from './features/engines/use-engines';
import { DeleteImageDialog } from './features/images/DeleteImageDialog';
import { ImageDetailPane } from './features/images/ImageDetailPane';
import { ImagesView } from './features/images/ImagesView';
import { PruneDialog } from './features/images/PruneDialog';
import { useImageListings } from './features/images/use-image-listings';
import { JobsView } from './features/jobs/JobsView';
import { useJobs } from './features/jobs/use-jobs';
import { RunDialog, type RunSeed } from './features/run/RunDialog';
import { useSettings } from './features/settings/use-settings';
import { countDangling, type ImageRow } from './lib/image-rows';

const noEngines: EngineStatus[] = [];

export function App() {
  useChangeFeed();
  useThemeAttribute(useSettings().theme);
  const engines = useEngines();
  const listings = useImageListings(engines.data ?? noEngines);
  useReadySignal(!engines.isPending, listings);
  const jobs = useJobs();
  const activeJobs = useMemo(() => (jobs.data ?? []).filter((job) => isActiveJobState(job.state)).length, [jobs.data]);

  const [view, setView] = useState<View>('images');
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [openedRow, setOpenedRow] = useState<ImageRow | null>(null);
  const [rowToDelete, setRowToDelete] = useState<ImageRow | null>(null);
  const [engineToPrune, setEngineToPrune] = useState<EngineStatus | null>(null);
  const [runSeed, setRunSeed] = useState<RunSeed | null>(null);
  const [selectedJobId, setSelectedJobId] = useState<string | null>(null);
  const [startedJobId, setStartedJobId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selectedComparisonId, setSelectedComparisonId] = useState<string | null>(null);
  const [startedComparisonId, setStartedComparisonId] = useState<string | null>(null);

  const select = useCallback((row: ImageRow) => setSelectedKey(row.key), []);
  const open = useCallback((row: ImageRow) => setOpenedRow(row), []);
  const askDelete = useCallback((row: ImageRow) => setRowToDelete(row), []);
  const runImage = useCallback((row: ImageRow) => setRunSeed({ kind: 'image', row }), []);
  const editRun = useCallback((spec: RunSpec) => setRunSeed({ kind: 'spec', spec }), []);

  const afterDelete = (row: ImageRow, message: string) => {
    setRowToDelete(null);
    setNotice(message);
    if (openedRow?.key === row.key) setOpenedRow(null);
  };

  const started = (job: JobRecord) => {
    setRunSeed(null);
    setSelectedJobId(job.id);
    setStartedJobId(job.id);
    setView('jobs');
  };

  const comparisonStarted = (record: ComparisonRecord) => {
    setRunSeed(null);
    setSelectedComparisonId(record.id);
    setStartedComparisonId(record.id);
    setView('compare');
  };

  return (
    <div className="app">
      <Header>
        <ViewTabs view={view} onChange={setView} activeJobs={activeJobs} />
        <button type="button" className="button--primary" data-testid="new-run" onClick={() => setRunSeed({ kind: 'empty' })}>
          New run…
        </button>
      </Header>
      <ConnectionBanner />
      <div className={`app__body app__body--${view}`}>
        <EnginesPanel onPrune={setEngineToPrune} />
        <ImagesView
          listings={listings}
          enginesPending={engines.isPending}
          selectedKey={selectedKey}
          onSelect={select}
          onOpen={open}
          onDelete={askDelete}
          onRun={runImage}
          hidden={view !== 'images'}
        />
        <ImageDetailPane row={openedRow} rows={listings.rows} onDelete={askDelete} onRun={runImage} hidden={view !== 'images'} />
        <JobsView
          selectedId={selectedJobId}
          onSelect={setSelectedJobId}
          onEdit={editRun}
          onNotice={setNotice}
          hidden={view !== 'jobs'}
          focusJobId={startedJobId}
        />
        <CompareView
          engines={engines.data ?? noEngines}
          selectedId={selectedComparisonId}
          onSelect={setSelectedComparisonId}
          onNotice={setNotice}
          hidden={view !== 'compare'}
          focusComparisonId={startedComparisonId}
        />
      </div>
      <div className="notice-bar" role="status" aria-live="polite">
        {notice ? (
          <>
            <span data-testid="action-result">{notice}</span>{' '}
            <button type="button" className="button--small" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          </>
        ) : null}
      </div>
      <StatusBar />
      {rowToDelete ? (
        <DeleteImageDialog
          row={rowToDelete}
          onClose={() => setRowToDelete(null)}
          onDone={(message) => afterDelete(rowToDelete, message)}
        />
      ) : null}
      {engineToPrune ? (
        <PruneDialog
          engine={engineToPrune}
          danglingShown={countDangling(listings.rows, engineToPrune.id)}
          onClose={() => setEngineToPrune(null)}
          onDone={(message) => {
            setEngineToPrune(null);
            setNotice(message);
          }}
        />
      ) : null}
      {runSeed ? (
        <RunDialog
          seed={runSeed}
          engines={engines.data ?? noEngines}
          rows={listings.rows}
          onClose={() => setRunSeed(null)}
          onStarted={started}
          onCompareStarted={comparisonStarted}
        />
      ) : null}
    </div>
  );
}
