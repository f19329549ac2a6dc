// How a matrix cell reads: each value as a word with an icon (never colour alone), and the only
// documentation addresses that become links (https; anything else stays text).
import type { FeatureValue } from '../../../shared/features';

export const valuePresentation: Record<FeatureValue, { word: string; icon: string }> = {
  yes: { word: 'Yes', icon: '✓' },
  partial: { word: 'Partial', icon: '◐' },
  no: { word: 'No', icon: '✕' },
};

/** The address to link to, only when it is https (anything else is shown as text, not linked). */
export function safeDocsUrl(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed : null;
  } catch {
    return null;
  }
}
