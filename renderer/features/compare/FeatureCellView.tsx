// One cell of the matrix: the documented value as a word with an icon (never colour alone), its
// one-line why, where that comes from, and apart from it what detection proved on this machine.
import type { SeenCell } from '../../../shared/feature-evidence';
import type { FeatureCell, FeatureSource } from '../../../shared/features';
import { safeDocsUrl, valuePresentation } from './feature-cell-format';

function SourceView({ source }: { source: FeatureSource }) {
  if (source.kind === 'seed') {
    return (
      <span className="feature-cell__source" title="A seed document of this project (shared/seeds)">
        Documented in <span className="mono">{source.file}</span>
      </span>
    );
  }
  const url = safeDocsUrl(source.url);
  const text = url ? `${url.host}${url.pathname === '/' ? '' : url.pathname}` : source.url;
  return (
    <span className="feature-cell__source">
      Documented at{' '}
      {url ? (
        // A new window: Electron hands it to the system browser (main.ts); no referrer goes with it.
        <a href={url.href} target="_blank" rel="noreferrer">
          {text}
          <span className="visually-hidden"> (opens in your browser)</span>
        </a>
      ) : (
        <span className="mono">{text}</span>
      )}
    </span>
  );
}

export function FeatureCellView({ cell, seen }: { cell: FeatureCell; seen: readonly SeenCell[] }) {
  const shown = valuePresentation[cell.value];
  return (
    <div className="feature-cell">
      <span className={`feature-value feature-value--${cell.value}`}>
        <span aria-hidden="true">{shown.icon}</span> {shown.word}
      </span>
      <span className="feature-cell__why">{cell.why}</span>
      <SourceView source={cell.source} />
      {seen.length > 0 ? (
        <ul className="seen-here" aria-label="Seen here">
          {seen.map((evidence) => (
            <li key={`${evidence.engineId}:${evidence.why}`} data-testid="seen-here">
              <span className="seen-here__mark">
                <span aria-hidden="true">◉</span> Seen here: {valuePresentation[evidence.value].word.toLowerCase()}
              </span>{' '}
              <span className="seen-here__why">{evidence.why}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
