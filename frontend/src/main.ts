import './app.css';
import { mount, unmount } from 'svelte';
import App from './App.svelte';
import JoinScreen from './join/JoinScreen.svelte';
import { joinState } from './lib/api/join';
import { applyTheme, loadTheme } from './lib/theme';

async function start(): Promise<void> {
  // In `vite dev` outside Wails, a mock backend stands in for window.go; never bundled in builds.
  if (import.meta.env.DEV && !(window as unknown as { go?: unknown }).go) {
    const { installMock } = await import('./dev/mock');
    installMock();
  }
  // The chosen theme before anything is drawn: no light frame for someone who chose dark.
  applyTheme(loadTheme());
  const target = document.getElementById('app')!;
  // The desktop window first asks whether this desktop works alone or in a team
  // (lib/api/join.ts); elsewhere there is no such choice and the app starts at once.
  const joined = await joinState().catch(() => null);
  if (joined?.url) {
    window.location.replace(joined.url); // the team's page, through the desktop's proxy
    return;
  }
  if (joined && (joined.offer || joined.error)) {
    const screen = mount(JoinScreen, {
      target,
      props: {
        state: joined,
        onalone: () => {
          void unmount(screen);
          mount(App, { target });
        },
      },
    });
    return;
  }
  mount(App, { target });
  if (import.meta.env.DEV) {
    // For poking at state from the devtools console during development.
    const { inbox } = await import('./lib/stores.svelte');
    (window as unknown as { __inbox: unknown }).__inbox = inbox;
  }
}

void start();
