// Per-engine listing state beside the list: "still listing <engine>…" while it works, and the
// engine's own message with a retry when its listing failed. Other engines keep working.
import { Spinner } from '../../components/Spinner';
import type { EngineListing } from './use-image-listings';

export function ListingStatus({ listings }: { listings: EngineListing[] }) {
  const listing = listings.filter(({ query }) => query.isPending);
  const failed = listings.filter(({ query }) => query.isError && !query.isFetching);
  return (
    <div className="listing-status">
      <p role="status" aria-live="polite" className="listing-status__progress">
        {listing.map(({ engine }) => (
          <span key={engine.id} className="listing-status__item" data-testid={`listing-${engine.id}`}>
            <Spinner /> still listing {engine.label}…
          </span>
        ))}
      </p>
      {failed.map(({ engine, query }) => (
        <p key={engine.id} className="error-strip" role="alert" data-testid={`listing-error-${engine.id}`}>
          <span>
            Could not list the images of {engine.label}: {query.error?.message}
          </span>{' '}
          <button type="button" onClick={() => void query.refetch()}>
            Retry<span className="visually-hidden"> listing {engine.label}</span>
          </button>
        </p>
      ))}
    </div>
  );
}
