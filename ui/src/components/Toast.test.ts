import { render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Toast from './Toast.svelte';
import { ToastMessage } from './toastMessage.svelte';

describe('Toast', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a message, replaces it with a newer one and hides it after the wait', async () => {
    vi.useFakeTimers();
    const toast = new ToastMessage(1000);
    render(Toast, { toast, testid: 'toast' });
    expect(screen.queryByTestId('toast')).toBeNull();

    toast.show('Saved to /tmp/a.csv.');
    await tick();
    expect(screen.getByTestId('toast').textContent).toBe('Saved to /tmp/a.csv.');

    vi.advanceTimersByTime(800);
    toast.show('Could not export: disk full', 'error');
    await tick();
    expect(screen.getByTestId('toast').classList.contains('error')).toBe(true);

    // The newer message gets the whole wait again.
    vi.advanceTimersByTime(800);
    await tick();
    expect(screen.getByTestId('toast').textContent).toBe('Could not export: disk full');
    vi.advanceTimersByTime(200);
    await tick();
    expect(screen.queryByTestId('toast')).toBeNull();
  });
});
