/**
 * Saving or removing a target reopens the workspace (demo <-> configured). Pages that show the
 * workspace's mode listen for this instead of waiting for a restart.
 */
export const WORKSPACE_CHANGED = 'scim-companion:workspace-changed';

export function notifyWorkspaceChanged(): void {
  window.dispatchEvent(new CustomEvent(WORKSPACE_CHANGED));
}

/** Calls `listener` on every change; returns the function that stops listening. */
export function onWorkspaceChanged(listener: () => void): () => void {
  window.addEventListener(WORKSPACE_CHANGED, listener);
  return () => window.removeEventListener(WORKSPACE_CHANGED, listener);
}
