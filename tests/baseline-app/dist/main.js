// Same signal as the real app's ui/src/main.ts: the first frame is on screen.
requestAnimationFrame(() => {
  window.__TAURI_INTERNALS__.invoke('app_ready').catch(() => undefined);
});
