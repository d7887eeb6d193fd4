/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// Wails embeds frontend/dist; relative asset paths keep the bundle location-independent.
export default defineConfig({
  // svelteTesting only acts under vitest: browser export conditions and auto-cleanup.
  plugins: [svelte(), svelteTesting()],
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
    strictPort: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    // Component tests wait on real DOM updates; on a busy 2-core machine jsdom set-up alone
    // can take seconds, and the 5 s default failed a passing test there.
    testTimeout: 30_000,
  },
});
