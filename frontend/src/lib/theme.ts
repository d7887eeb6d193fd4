// Light/dark theme: "system" follows prefers-color-scheme; light/dark set data-theme on <html>.

export type Theme = 'system' | 'light' | 'dark';
export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const KEY = 'stormdesk.theme';

export function loadTheme(): Theme {
  try {
    const v = localStorage.getItem(KEY);
    if (v && (THEMES as readonly string[]).includes(v)) return v as Theme;
  } catch {
    // storage unavailable
  }
  return 'system';
}

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') root.removeAttribute('data-theme');
  // Setting the same value again restyles the whole page for nothing, and Chromium was seen
  // to leave a fieldset's contents in the old theme's text colour after such a restyle.
  else if (root.getAttribute('data-theme') !== theme) root.setAttribute('data-theme', theme);
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // not persisted
  }
}
