import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import { notifyWorkspaceChanged } from './lib/workspaceEvents';
import { appInfoFixture, overviewFixture } from './test/fixtures';
import { ids, keyedId } from './lib/testIds';

function mockBackend(mode: 'demo' | 'configured' = 'demo'): void {
  mockIPC((cmd) => {
    if (cmd === 'app_info') return { ...appInfoFixture, mode };
    if (cmd === 'home_overview') return overviewFixture();
    if (cmd === 'targets_list') return overviewFixture().targets;
    return Promise.reject(`unexpected command ${cmd}`);
  }, { shouldMockEvents: true });
}

async function navigate(name: string): Promise<void> {
  await fireEvent.click(screen.getByTestId(keyedId('nav', name)));
  // Clicking a hash link updates location; make sure the router heard it in every DOM emulator.
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

describe('App shell', () => {
  it('starts on Home with the sidebar, version and demo badge', async () => {
    mockBackend();
    render(App);

    expect(screen.getByTestId(ids.pageHome)).toBeTruthy();
    for (const name of ['home', 'setup', 'diff', 'saml', 'history', 'settings']) {
      expect(screen.getByTestId(keyedId('nav', name)).getAttribute('href')).toBe(`#/${name}`);
    }
    expect(screen.getByTestId(keyedId('nav', 'home')).getAttribute('aria-current')).toBe('page');
    expect(await screen.findByText('v0.1.0')).toBeTruthy();
    expect(screen.getByTestId(ids.demoBadge).textContent).toContain('Demo workspace');
  });

  it('drops the demo badge when a saved target turns the workspace configured', async () => {
    let mode: 'demo' | 'configured' = 'demo';
    mockIPC((cmd) => {
      if (cmd === 'app_info') return { ...appInfoFixture, mode };
      if (cmd === 'home_overview') return overviewFixture();
      return Promise.reject(`unexpected command ${cmd}`);
    }, { shouldMockEvents: true });
    render(App);
    expect((await screen.findByTestId(ids.demoBadge)).textContent).toContain('Demo workspace');

    mode = 'configured';
    notifyWorkspaceChanged();
    await waitFor(() => expect(screen.queryByTestId(ids.demoBadge)).toBeNull());
  });

  it('opens the Diff page on the target the tray or a notification names', async () => {
    mockBackend();
    window.location.hash = '#/home';
    render(App);
    await screen.findByText('v0.1.0');
    await waitFor(async () => {
      await emit('open-diff', 'aws-prod');
      expect(window.location.hash).toBe('#/diff/aws-prod');
    });
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(await screen.findByTestId(ids.pageDiff)).toBeTruthy();
  });

  it('hides the demo badge for a configured workspace', async () => {
    mockBackend('configured');
    render(App);
    await screen.findByText('v0.1.0');
    expect(screen.queryByTestId(ids.demoBadge)).toBeNull();
  });

  it('navigates between pages through the sidebar', async () => {
    mockBackend();
    render(App);

    const pages = ['setup', 'diff', 'saml', 'history', 'settings', 'home'];
    for (const name of pages) {
      await navigate(name);
      expect(await screen.findByTestId(`page-${name}`)).toBeTruthy();
      expect(screen.getByTestId(keyedId('nav', name)).getAttribute('aria-current')).toBe('page');
      for (const other of pages.filter((p) => p !== name)) {
        expect(screen.queryByTestId(`page-${other}`)).toBeNull();
      }
    }
  });

  it('opens the Diff page from the sidebar with the targets to compare', async () => {
    mockBackend();
    render(App);
    await navigate('diff');
    expect(await screen.findByTestId(ids.pageDiff)).toBeTruthy();
    const picker = await screen.findByTestId(ids.diffTarget);
    const names = Array.from(picker.querySelectorAll('option')).map((o) => o.textContent);
    expect(names).toEqual(overviewFixture().targets.map((t) => t.name));
  });

  it('shows version, mode and data folder on Settings', async () => {
    mockBackend();
    window.location.hash = '#/settings';
    render(App);

    expect((await screen.findByTestId(ids.dataDir)).textContent).toBe(appInfoFixture.data_dir);
    expect(screen.getByTestId(ids.appVersion).textContent).toBe('0.1.0');
    expect(screen.getByTestId(ids.appMode).textContent).toBe('Demo workspace');
  });

  it('falls back to Home for an unknown route', () => {
    mockBackend();
    window.location.hash = '#/nowhere';
    render(App);
    expect(screen.getByTestId(ids.pageHome)).toBeTruthy();
  });
});
