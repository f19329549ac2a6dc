// The bottom line: which host the window talks to, for bug reports.
import { useQuery } from '@tanstack/react-query';
import { useApiClient } from '../api/client-context';
import { queryKeys } from '../api/query-keys';

export function StatusBar() {
  const client = useApiClient();
  const info = useQuery({
    queryKey: queryKeys.appInfo,
    queryFn: () => client.call('app.info', {}),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const text = info.data
    ? `${info.data.name} ${info.data.version} · ${info.data.transport === 'ipc' ? 'desktop window' : 'browser host'} · ${info.data.platform} · pid ${info.data.pid}`
    : info.isError
      ? `Host information unavailable: ${info.error.message}`
      : 'Connecting…';
  return (
    <footer className="status-bar">
      <span>{text}</span>
    </footer>
  );
}
