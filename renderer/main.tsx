// Entry point: pick the transport, build the client, mount the window.
import './zod-config';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client';
import { ApiClientProvider } from './api/client-context';
import { pickTransport } from './api/pick-transport';
import { App } from './App';

const client = createApiClient(pickTransport());
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The host is local: "offline" in the browser's sense says nothing about it.
      networkMode: 'always',
      // Freshness comes from the change feed, not from focus or polling.
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      retry: false,
    },
    mutations: { networkMode: 'always' },
  },
});

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html lost its #root element');

createRoot(rootElement).render(
  <StrictMode>
    <ApiClientProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ApiClientProvider>
  </StrictMode>,
);
