// The user's settings: read once, changed optimistically (the sort or theme flips at once; the
// stored copy follows, and a failure puts the old value back).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { defaultSettings, type Settings, type SettingsPatch } from '../../../shared/settings';
import { useApiClient } from '../../api/client-context';
import { queryKeys } from '../../api/query-keys';

export function useSettings(): Settings {
  const client = useApiClient();
  const query = useQuery({
    queryKey: queryKeys.settings,
    queryFn: () => client.call('settings.get', {}),
    staleTime: Number.POSITIVE_INFINITY,
  });
  // Until they arrive (or if they cannot be read) the defaults keep the window usable.
  return query.data ?? fallbackSettings;
}

const fallbackSettings = defaultSettings();

export function useUpdateSettings() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (patch: SettingsPatch) => client.call('settings.update', patch),
    onMutate: async (patch) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.settings });
      const previous = queryClient.getQueryData<Settings>(queryKeys.settings);
      queryClient.setQueryData<Settings>(queryKeys.settings, { ...(previous ?? fallbackSettings), ...patch });
      return { previous };
    },
    onError: (_error, _patch, context) => {
      if (context?.previous) queryClient.setQueryData(queryKeys.settings, context.previous);
    },
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.settings, settings),
  });
  return mutation.mutate;
}
