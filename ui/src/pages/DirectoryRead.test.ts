// Reading JumpCloud for a configured workspace: Home's Read JumpCloud button, and Run diff on the
// Diff page, whose diff reads JumpCloud first when the workspace never read it.
import { mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { DirectoryReadProgress } from '../bindings/DirectoryReadProgress';
import type { DirectoryReadResult } from '../bindings/DirectoryReadResult';
import type { DirectorySummary } from '../bindings/DirectorySummary';
import type { DiffProgress } from '../bindings/DiffProgress';
import type { DiffSummary } from '../bindings/DiffSummary';
import type { HomeOverview } from '../bindings/HomeOverview';
import { deferred, overviewFixture } from '../test/fixtures';
import DiffPage from './DiffPage.svelte';
import HomePage from './HomePage.svelte';
import { ids, keyedId, partId } from '../lib/testIds';

const UNREAD: DirectorySummary = {
  source: 'JumpCloud (US region), not read yet',
  users: 0,
  groups: 0,
  suspended_users: 0,
  applications: 0,
  needs_read: true,
};

const READ: DirectoryReadResult = {
  directory: {
    source: 'JumpCloud (US region), read 2026-11-23 09:05 UTC',
    users: 320,
    groups: 14,
    suspended_users: 2,
    applications: 3,
    needs_read: false,
    read_at: '2026-11-23T09:05:00Z',
  },
  requests: 41,
  duration_ms: 1800,
};

function configured(directory: DirectorySummary = UNREAD): HomeOverview {
  return { ...overviewFixture(), directory };
}

type Channel<T> = { onmessage: (p: T) => void };

describe('Read JumpCloud on Home', () => {
  it('the demo shows no read button', async () => {
    mockIPC((cmd) => (cmd === 'home_overview' ? overviewFixture() : null));
    render(HomePage);
    await screen.findByTestId(ids.directoryUsers);
    expect(screen.queryByTestId(ids.jumpcloudRead)).toBeNull();
  });

  it('says JumpCloud was not read, reads it with progress, then shows the counts and the time', async () => {
    const read = deferred<DirectoryReadResult>();
    let channel: Channel<DirectoryReadProgress> | null = null;
    mockIPC((cmd, args) => {
      if (cmd === 'home_overview') return configured();
      if (cmd === 'directory_read') {
        channel = (args as { onProgress: Channel<DirectoryReadProgress> }).onProgress;
        return read.promise;
      }
      return null;
    });
    render(HomePage);

    expect((await screen.findByTestId(ids.jumpcloudLastRead)).textContent).toContain('Not read yet');
    expect(screen.getByTestId(ids.directoryUsers).textContent).toBe('0');
    await fireEvent.click(screen.getByTestId(ids.jumpcloudReadButton));

    expect(screen.getByTestId(ids.jumpcloudReadCancel)).toBeTruthy();
    await waitFor(() => expect(channel).not.toBeNull());
    channel!.onmessage({ phase: 'relations', done: 5, total: 20, requests: 8 });
    await waitFor(() =>
      expect(screen.getByTestId(partId(ids.jumpcloudReadProgress, 'text')).textContent).toContain('group members and application bindings · 5 of 20'),
    );

    read.resolve(READ);
    await waitFor(() => expect(screen.getByTestId(ids.directoryUsers).textContent).toBe('320'));
    expect(screen.getByTestId(ids.jumpcloudLastRead).textContent).toContain('Last read');
    expect(screen.getByTestId(ids.directorySource).textContent).toContain('read 2026-11-23');
    expect(screen.queryByTestId(ids.jumpcloudReadProgress)).toBeNull();
    expect(screen.getByTestId(ids.jumpcloudReadButton)).toBeTruthy();
  });

  it('a failed read shows the message and hint and leaves the counts as they were', async () => {
    mockIPC((cmd) => {
      if (cmd === 'home_overview') return configured();
      if (cmd === 'directory_read') {
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw { code: 'unauthorized', message: 'JumpCloud: JumpCloud answered 401 on /api/systemusers', hint: 'Check the API key and region.' };
      }
      return null;
    });
    render(HomePage);
    await fireEvent.click(await screen.findByTestId(ids.jumpcloudReadButton));
    expect((await screen.findByTestId(ids.errorHint)).textContent).toBe('Check the API key and region.');
    expect(screen.getByTestId(ids.errorBanner).textContent).toContain('directory below is unchanged');
    expect(screen.getByTestId(ids.directoryUsers).textContent).toBe('0');
    expect(screen.getByTestId(ids.jumpcloudLastRead).textContent).toContain('Not read yet');
  });

  it('Cancel stops the read and says nothing changed', async () => {
    const read = deferred<DirectoryReadResult>();
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'home_overview') return configured();
      if (cmd === 'directory_read') return read.promise;
      if (cmd === 'directory_cancel') {
        read.reject({ code: 'cancelled', message: 'The JumpCloud read was cancelled.', hint: null });
        return true;
      }
      return null;
    });
    render(HomePage);
    await fireEvent.click(await screen.findByTestId(ids.jumpcloudReadButton));
    await fireEvent.click(screen.getByTestId(ids.jumpcloudReadCancel));
    expect(calls).toContain('directory_cancel');
    expect((await screen.findByTestId(ids.jumpcloudReadCancelled)).textContent).toContain('unchanged');
    expect(screen.queryByTestId(ids.errorBanner)).toBeNull();
  });
});

const SUMMARY: DiffSummary = {
  target_id: 'aws-demo',
  target_name: 'AWS IAM Identity Center',
  counts: [
    { state: 'missing', users: 3, groups: 0, memberships: 0 },
    { state: 'extra', users: 0, groups: 0, memberships: 0 },
    { state: 'changed', users: 0, groups: 0, memberships: 0 },
    { state: 'deactivate', users: 0, groups: 0, memberships: 0 },
    { state: 'conflict', users: 0, groups: 0, memberships: 0 },
    { state: 'ineligible', users: 0, groups: 0, memberships: 0 },
    { state: 'in_sync', users: 10, groups: 0, memberships: 0 },
  ],
  total_rows: 13,
  drifted: 3,
  duration_ms: 200,
  requests: 4,
  finished_at: '2026-11-23T10:00:00Z',
  attributes: [],
};

describe('Run diff on a configured workspace never read', () => {
  // diff_run itself reads JumpCloud first (phase "jumpcloud" on its channel), then diffs.

  it('reads JumpCloud first (showing that phase), then runs the diff', async () => {
    const calls: string[] = [];
    const read = deferred<DiffSummary>();
    mockIPC((cmd, args) => {
      calls.push(cmd);
      switch (cmd) {
        case 'targets_list':
          return configured().targets;
        case 'diff_summary':
          return null;
        case 'diff_run': {
          const channel = (args as { onProgress: Channel<DiffProgress> }).onProgress;
          const jumpcloud: DirectoryReadProgress = { phase: 'collections', done: 1, total: 3, requests: 1 };
          channel.onmessage({ phase: 'jumpcloud', users_read: 0, users_total: null, groups_read: 0, groups_total: null, member_lists_read: 0, member_lists_total: null, per_second: null, seconds_left: null, requests: 0, refused: 0, pace: null, jumpcloud });
          return read.promise;
        }
        case 'diff_rows':
          return { total: 0, offset: 0, rows: [] };
        default:
          return null;
      }
    });
    render(DiffPage);
    expect((await screen.findByTestId(ids.diffMeta)).textContent).toContain('Run diff reads it first');
    await fireEvent.click(await screen.findByTestId(ids.diffRun));

    await waitFor(() =>
      expect(screen.getByTestId(partId(ids.jumpcloudReadProgress, 'text')).textContent).toContain('Reading JumpCloud users, groups and applications'),
    );
    expect(screen.getByTestId(ids.diffMeta).textContent).toContain('JumpCloud has not been read yet');
    read.resolve(SUMMARY);

    await waitFor(() => expect(screen.getByTestId(keyedId('diffCount', 'missing')).textContent).toBe('3'));
    expect(calls.filter((c) => c === 'diff_run')).toHaveLength(1);
    expect(calls).not.toContain('directory_read');
    expect(screen.queryByTestId(ids.errorBanner)).toBeNull();
  });

  it('a failed JumpCloud read shows its hint and no result', async () => {
    mockIPC((cmd) => {
      switch (cmd) {
        case 'targets_list':
          return configured().targets;
        case 'diff_summary':
          return null;
        case 'diff_run':
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw { code: 'remote_error', message: 'JumpCloud: gave up after 5 attempts (last status 503)', hint: 'Try again later.' };
        default:
          return null;
      }
    });
    render(DiffPage);
    await fireEvent.click(await screen.findByTestId(ids.diffRun));
    expect((await screen.findByTestId(ids.errorHint)).textContent).toBe('Try again later.');
    expect(screen.getByTestId(ids.errorMessage).textContent).toContain('503');
    expect(screen.queryByTestId(keyedId('diffCount', 'extra'))).toBeNull();
  });

  it('Cancel during the JumpCloud read cancels the diff, which stops the read', async () => {
    const calls: string[] = [];
    const run = deferred<DiffSummary>();
    mockIPC((cmd, args) => {
      calls.push(cmd);
      switch (cmd) {
        case 'targets_list':
          return configured().targets;
        case 'diff_summary':
          return null;
        case 'diff_run': {
          const channel = (args as { onProgress: Channel<DiffProgress> }).onProgress;
          const jumpcloud: DirectoryReadProgress = { phase: 'collections', done: 0, total: 3, requests: 0 };
          channel.onmessage({ phase: 'jumpcloud', users_read: 0, users_total: null, groups_read: 0, groups_total: null, member_lists_read: 0, member_lists_total: null, per_second: null, seconds_left: null, requests: 0, refused: 0, pace: null, jumpcloud });
          return run.promise;
        }
        case 'diff_cancel':
          run.reject({ code: 'cancelled', message: 'The diff was cancelled.', hint: null });
          return true;
        default:
          return null;
      }
    });
    render(DiffPage);
    await fireEvent.click(await screen.findByTestId(ids.diffRun));
    await screen.findByTestId(ids.jumpcloudReadProgress);
    await fireEvent.click(screen.getByTestId(ids.diffCancel));
    expect(await screen.findByTestId(ids.diffCancelled)).toBeTruthy();
    expect(calls).toContain('diff_cancel');
    expect(calls).not.toContain('directory_cancel');
  });
});
