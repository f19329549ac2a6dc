// The folders where file and folder images (SIF files, sandboxes, directory images) are looked for.
// Adding one is checked by the host (it must exist and be a folder); the host's words are shown.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useApiClient } from '../../api/client-context';
import { queryKeys } from '../../api/query-keys';
import { useSettings } from './use-settings';

export function ImageFolders() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const settings = useSettings();
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const save = useMutation({
    mutationFn: (imageFolders: string[]) => client.call('settings.update', { imageFolders }),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.settings, updated);
      setDraft('');
    },
  });

  const add = (event: FormEvent) => {
    event.preventDefault();
    const folder = draft.trim();
    if (folder === '' || settings.imageFolders.includes(folder)) return;
    save.mutate([...settings.imageFolders, folder]);
  };

  return (
    <section className="image-folders" aria-labelledby={`${inputId}-heading`} data-testid="image-folders">
      <h3 id={`${inputId}-heading`}>Image folders</h3>
      {settings.imageFolders.length === 0 ? <p className="muted">None yet: add folders that hold SIF files or directory images.</p> : null}
      <ul>
        {settings.imageFolders.map((folder) => (
          <li key={folder}>
            <span className="mono">{folder}</span>
            <button
              type="button"
              className="button--small"
              onClick={() => save.mutate(settings.imageFolders.filter((kept) => kept !== folder))}
              disabled={save.isPending}
            >
              Remove<span className="visually-hidden"> {folder}</span>
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add}>
        <label htmlFor={inputId} className="visually-hidden">
          Folder to add (an absolute path)
        </label>
        <input
          id={inputId}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="/path/to/images"
          spellCheck={false}
          data-testid="image-folder-input"
        />
        <button type="submit" className="button--small" disabled={save.isPending || draft.trim() === ''}>
          Add
        </button>
      </form>
      {save.isError ? (
        <p className="error-strip" role="alert" data-testid="image-folder-error">
          {save.error.message}
        </p>
      ) : null}
    </section>
  );
}
