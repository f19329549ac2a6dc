// The window: header, engines on the left, the one image list in the middle, details on the right.
import { useCallback, useState } from 'react';
import type { EngineStatus } from '../shared/model';
import { useChangeFeed } from './api/use-change-feed';
import { useReadySignal, useThemeAttribute } from './app-signals';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Header } from './components/Header';
import { StatusBar } from './components/StatusBar';
import { EnginesPanel } from './features/engines/EnginesPanel';
import { useEngines } from './features/engines/use-engines';
import { DeleteImageDialog } from './features/images/DeleteImageDialog';
import { ImageDetailPane } from './features/images/ImageDetailPane';
import { ImagesView } from './features/images/ImagesView';
import { PruneDialog } from './features/images/PruneDialog';
import { useImageListings } from './features/images/use-image-listings';
import { useSettings } from './features/settings/use-settings';
import { countDangling, type ImageRow } from './lib/image-rows';

const noEngines: EngineStatus[] = [];

export function App() {
  useChangeFeed();
  useThemeAttribute(useSettings().theme);
  const engines = useEngines();
  const listings = useImageListings(engines.data ?? noEngines);
  useReadySignal(!engines.isPending, listings);

  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [openedRow, setOpenedRow] = useState<ImageRow | null>(null);
  const [rowToDelete, setRowToDelete] = useState<ImageRow | null>(null);
  const [engineToPrune, setEngineToPrune] = useState<EngineStatus | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const select = useCallback((row: ImageRow) => setSelectedKey(row.key), []);
  const open = useCallback((row: ImageRow) => setOpenedRow(row), []);
  const askDelete = useCallback((row: ImageRow) => setRowToDelete(row), []);

  const afterDelete = (row: ImageRow, message: string) => {
    setRowToDelete(null);
    setNotice(message);
    if (openedRow?.key === row.key) setOpenedRow(null);
  };

  return (
    <div className="app">
      <Header />
      <ConnectionBanner />
      <div className="app__body">
        <EnginesPanel onPrune={setEngineToPrune} />
        <ImagesView
          listings={listings}
          enginesPending={engines.isPending}
          selectedKey={selectedKey}
          onSelect={select}
          onOpen={open}
          onDelete={askDelete}
        />
        <ImageDetailPane row={openedRow} onDelete={askDelete} />
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
    </div>
  );
}
