import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';

async function start(): Promise<void> {
  // In `vite dev` outside Wails, a mock backend stands in for window.go; never bundled in builds.
  if (import.meta.env.DEV && !(window as unknown as { go?: unknown }).go) {
    const { installMock } = await import('./dev/mock');
    installMock();
  }
  mount(App, { target: document.getElementById('app')! });
  if (import.meta.env.DEV) {
    // For poking at state from the devtools console during development.
    const { inbox } = await import('./lib/stores.svelte');
    (window as unknown as { __inbox: unknown }).__inbox = inbox;
  }
}

void start();
