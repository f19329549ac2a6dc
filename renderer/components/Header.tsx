// The title bar: the app's name, what the owner puts in the middle (the view tabs), and the theme
// choice (stored with the other settings).
import type { ReactNode } from 'react';
import type { Settings } from '../../shared/settings';
import { useSettings, useUpdateSettings } from '../features/settings/use-settings';

const themes: Array<{ value: Settings['theme']; label: string }> = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function Header({ children }: { children?: ReactNode }) {
  const settings = useSettings();
  const updateSettings = useUpdateSettings();
  return (
    <header className="app-header">
      <h1 className="app-header__title">Crossdock</h1>
      <div className="app-header__middle">{children}</div>
      <label className="app-header__theme">
        Theme{' '}
        <select
          value={settings.theme}
          onChange={(event) => updateSettings({ theme: event.target.value as Settings['theme'] })}
        >
          {themes.map((theme) => (
            <option key={theme.value} value={theme.value}>
              {theme.label}
            </option>
          ))}
        </select>
      </label>
    </header>
  );
}
