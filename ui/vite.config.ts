/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// The Tauri shell loads ui/dist under a CSP of `script-src 'self'` with no network access,
// so the build must be plain external files: no inline scripts, no remote assets.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte(), ...(process.env.VITEST ? [svelteTesting()] : [])],
  // Keep Rust compiler output visible when `tauri dev` shares the terminal.
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    watch: { ignored: ['**/src-tauri/**'] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The webviews Tauri 2 supports all have native modulepreload; the polyfill is dead weight.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URIs; the CSP stays simple when everything is a file.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
  },
});
