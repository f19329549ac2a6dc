// Hands the one ApiClient to the components that need it, without a module-level singleton
// (tests and stories can give their own).
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ApiClient } from './client';
import type { ConnectionState } from './transport';

const ClientContext = createContext<ApiClient | null>(null);

export function ApiClientProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useApiClient(): ApiClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useApiClient needs an <ApiClientProvider> above it');
  return client;
}

/** The transport's connection, as React state ("lost" while the browser host is unreachable). */
export function useConnectionState(): ConnectionState {
  const client = useApiClient();
  const [state, setState] = useState<ConnectionState>('connected');
  useEffect(() => client.onConnectionChange(setState), [client]);
  return state;
}
