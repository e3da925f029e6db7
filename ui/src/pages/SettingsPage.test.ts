import { mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../bindings/AppInfo';
import type { Retention } from '../bindings/history/Retention';
import SettingsPage from './SettingsPage.svelte';
import { ids } from '../lib/testIds';

const info: AppInfo = { name: 'SCIM Companion', version: '0.1.0', mode: 'demo', data_dir: '/data' };

function backend(saved: Retention | null, removed = 0) {
  const calls: { retention: Retention | null }[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'app_info') return info;
    if (cmd === 'history_info') return { path: '/data/history.sqlite', error: null };
    if (cmd === 'history_retention_get') return saved;
    if (cmd === 'history_retention_set') {
      calls.push(args as { retention: Retention | null });
      return removed;
    }
    return null;
  });
  return calls;
}

describe('Settings page: history retention', () => {
  it('shows the saved choice and what it removes; Save waits for a change', async () => {
    backend({ kind: 'keep_days', value: 30 });
    render(SettingsPage);
    const days = await screen.findByTestId<HTMLInputElement>('retention-days');
    expect((days).checked).toBe(true);
    expect(screen.getByTestId<HTMLInputElement>('retention-days-count').value).toBe('30');
    expect(screen.getByTestId(ids.retentionEffect).textContent).toContain('more than 30 days ago');
    expect(screen.getByTestId<HTMLButtonElement>('retention-save').disabled).toBe(true);
  });

  it('saves "keep the last N runs" and reports how many runs went', async () => {
    const calls = backend(null, 12);
    render(SettingsPage);
    expect((await screen.findByTestId<HTMLInputElement>('retention-all')).checked).toBe(true);
    expect(screen.getByTestId(ids.retentionEffect).textContent).toBe('Every run is kept; nothing is ever removed.');

    await fireEvent.click(screen.getByTestId(ids.retentionRuns));
    const count = screen.getByTestId<HTMLInputElement>('retention-runs-count');
    expect(count.value).toBe('500');
    await fireEvent.input(count, { target: { value: '100' } });
    expect(screen.getByTestId(ids.retentionEffect).textContent).toContain('All but the newest 100 runs');
    await fireEvent.click(screen.getByTestId(ids.retentionSave));

    expect((await screen.findByTestId(ids.retentionNotice)).textContent).toBe('Saved. 12 runs were removed.');
    expect(calls).toEqual([{ retention: { kind: 'keep_runs', value: 100 } }]);
    expect(screen.getByTestId<HTMLButtonElement>('retention-save').disabled).toBe(true);
  });

  it('does not save an invalid number', async () => {
    const calls = backend(null);
    render(SettingsPage);
    await fireEvent.click(await screen.findByTestId(ids.retentionDays));
    await fireEvent.input(screen.getByTestId(ids.retentionDaysCount), { target: { value: '0' } });
    expect(screen.getByTestId(ids.retentionProblem).textContent).toBe('Enter a whole number of days, at least 1.');
    expect(screen.getByTestId<HTMLButtonElement>('retention-save').disabled).toBe(true);
    expect(calls).toEqual([]);
  });

  it('goes back to keeping everything', async () => {
    const calls = backend({ kind: 'keep_runs', value: 10 });
    render(SettingsPage);
    await fireEvent.click(await screen.findByTestId(ids.retentionAll));
    await fireEvent.click(screen.getByTestId(ids.retentionSave));
    expect((await screen.findByTestId(ids.retentionNotice)).textContent).toBe('Saved. No runs needed removing.');
    expect(calls).toEqual([{ retention: null }]);
  });
});
