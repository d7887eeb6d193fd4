// Which screen is shown and which overlay is open, plus the theme preference
// shared by the sidebar and the settings screen.
import { applyTheme, loadTheme, type Theme } from './theme';

export type Screen = 'inbox' | 'crisis' | 'analytics' | 'listening' | 'settings';
export const SCREENS: readonly Screen[] = ['inbox', 'crisis', 'analytics', 'listening', 'settings'];
export type Overlay = '' | 'shortcuts' | 'about';

export class NavStore {
  screen = $state<Screen>('inbox');
  overlay = $state<Overlay>('');
  theme = $state<Theme>(loadTheme());
  /** the author panel beside the thread; it stays open from one conversation to the next */
  authorPanel = $state(false);
  /** the snooze menu: of the bulk bar while rows are checked, else of the open thread (s) */
  snoozeMenu = $state(false);
  /** the note editor of the open thread (n) */
  noteEditor = $state(false);

  go(screen: Screen): void {
    this.screen = screen;
    this.overlay = '';
  }

  open(overlay: Overlay): void {
    this.overlay = overlay;
  }

  /** closeOverlay is Esc: true when an overlay was open. */
  closeOverlay(): boolean {
    if (this.overlay === '') return false;
    this.overlay = '';
    return true;
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyTheme(theme);
  }
}

export const nav = new NavStore();
