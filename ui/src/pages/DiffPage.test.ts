import { mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { DiffProgress } from '../bindings/DiffProgress';
import type { DiffRow } from '../bindings/DiffRow';
import type { DiffRowQuery } from '../bindings/DiffRowQuery';
import type { DiffSummary } from '../bindings/DiffSummary';
import { overviewFixture } from '../test/fixtures';
import DiffPage from './DiffPage.svelte';
import { ids, keyedId, testIdSelector } from '../lib/testIds';

const SUMMARY: DiffSummary = {
  target_id: 'aws-demo',
  target_name: 'AWS IAM Identity Center',
  counts: [
    { state: 'missing', users: 3, groups: 1, memberships: 4 },
    { state: 'extra', users: 1, groups: 0, memberships: 0 },
    { state: 'changed', users: 2, groups: 0, memberships: 0 },
    { state: 'deactivate', users: 0, groups: 0, memberships: 0 },
    { state: 'conflict', users: 0, groups: 0, memberships: 0 },
    { state: 'ineligible', users: 1, groups: 0, memberships: 0 },
    { state: 'in_sync', users: 40, groups: 5, memberships: 0 },
  ],
  total_rows: 57,
  drifted: 12,
  duration_ms: 350,
  requests: 12,
  finished_at: '2026-11-23T10:00:00Z',
  attributes: ['title'],
};

function row(i: number, state: DiffRow['state']): DiffRow {
  return {
    kind: 'user',
    state,
    key: `u${i}`,
    label: `user${i}@example.test`,
    reason_code: state,
    reason: state === 'ineligible' ? 'AWS requires a last name (name.familyName)' : `reason ${i}`,
    changed_attributes: state === 'changed' ? ['title'] : [],
    source_id: `s${i}`,
    target_id: null,
  };
}

/** A fake backend: rows filtered by state as the engine would, every call recorded. */
function backend(opts: { failRun?: boolean; progress?: Partial<DiffProgress>; hold?: Promise<void> } = {}) {
  const queries: DiffRowQuery[] = [];
  const calls: string[] = [];
  let ran = false;
  const all = [row(1, 'missing'), row(2, 'changed'), row(3, 'ineligible'), ...Array.from({ length: 40 }, (_, i) => row(10 + i, 'in_sync'))];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    const a = (args ?? {}) as Record<string, unknown>;
    switch (cmd) {
      case 'targets_list':
        return overviewFixture().targets;
      case 'diff_summary':
        return ran ? SUMMARY : null;
      case 'diff_run': {
        const channel = a.onProgress as { onmessage: (p: DiffProgress) => void };
        channel.onmessage({
          phase: 'reading',
          users_read: 20,
          users_total: 48,
          groups_read: 0,
          groups_total: 6,
          member_lists_read: 0,
          member_lists_total: null,
          per_second: null,
          seconds_left: null,
          requests: 2,
          refused: 0,
          pace: null,
          ...opts.progress,
        });
        if (opts.hold) return opts.hold.then(() => ((ran = true), SUMMARY));
        if (opts.failRun) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw { code: 'unauthorized', message: 'The target refused the token (HTTP 401)', hint: 'Paste a new token in Setup.' };
        }
        ran = true;
        return SUMMARY;
      }
      case 'diff_rows': {
        const q = a.query as DiffRowQuery;
        queries.push(q);
        const rows = all.filter((r) => (q.states.length === 0 || q.states.includes(r.state)) && q.kinds.includes(r.kind));
        const offset = a.offset as number;
        const limit = a.limit as number;
        return { total: rows.length, offset, rows: rows.slice(offset, offset + limit) };
      }
      case 'diff_detail':
        return {
          row: all.find((r) => r.key === a.rowKey),
          jumpcloud: { username: 'user2', jobTitle: 'Lead' },
          expected: { userName: 'user2@example.test', title: 'Lead' },
          actual: { id: 't2', userName: 'user2@example.test', title: 'Engineer' },
          changes: [{ path: 'title', expected: 'Lead', actual: 'Engineer' }],
          reasons: [],
        };
      default:
        return null;
    }
  });
  return { queries, calls };
}

describe('Diff page', () => {

  it('explains the states before the first run', async () => {
    backend();
    render(DiffPage);
    const intro = await screen.findByTestId(ids.diffIntro);
    expect(intro.textContent).toContain('Nothing is written to the target');
    // Every state is in the legend, each with its meaning as a tooltip.
    expect(intro.querySelectorAll('[data-state]')).toHaveLength(11);
    expect(intro.querySelector('[data-state="disabled"]')?.getAttribute('title')).toMatch(/never re-enables/);
    expect(intro.querySelector('[data-state="ineligible"]')?.getAttribute('title')).toMatch(/rules/);
  });

  it('runs a diff, shows progress, the counts per state and the rows', async () => {
    const { queries, calls } = backend();
    render(DiffPage);
    await fireEvent.click(await screen.findByTestId(ids.diffRun));
    expect(calls).toContain('diff_run');
    // Listing targets must not check them over SCIM (that would add History runs on every visit).
    expect(calls).not.toContain('home_overview');

    await waitFor(() => expect(screen.getByTestId(keyedId('diffCount', 'missing')).textContent).toBe('8'));
    expect(screen.getByTestId(keyedId('diffCount', 'ineligible')).textContent).toBe('1');
    expect(screen.getByTestId(keyedId('diffCount', 'in_sync')).textContent).toBe('45');
    expect(screen.getByTestId(keyedId('diffTile', 'missing')).textContent).toContain('3 users · 1 group · 4 members');
    expect(screen.getByTestId(ids.diffMeta).textContent).toContain('12');
    // The user tab asks for users only, all states, from the first row.
    // The user tab asks for users that differ, from the first row; unticking "hide" lists all.
    await waitFor(() => expect(screen.getByTestId(ids.diffShown).textContent).toContain('3 rows'));
    expect(queries[0]).toEqual({
      kinds: ['user'],
      states: ['missing', 'extra', 'changed', 'deactivate', 'conflict', 'decision', 'disabled', 'left_as_is', 'unmanaged', 'ineligible'],
      search: '',
      attribute: null,
      group: null,
    });
    await fireEvent.click(screen.getByTestId(ids.diffHideInSync));
    await waitFor(() => expect(screen.getByTestId(ids.diffShown).textContent).toContain('43 rows'));
    expect(queries.at(-1)?.states).toEqual([]);
  });

  it('filters by state and shows the reason of ineligible rows', async () => {
    const { queries } = backend();
    render(DiffPage);
    await fireEvent.click(await screen.findByTestId(ids.diffRun));
    await fireEvent.click(await screen.findByTestId(keyedId('diffTile', 'ineligible')));
    await waitFor(() => expect(queries.at(-1)?.states).toEqual(['ineligible']));
    const reason = await screen.findByTestId(ids.diffRowReason);
    expect(reason.textContent).toContain('last name');
    expect(screen.getByTestId(keyedId('diffTile', 'ineligible')).getAttribute('aria-pressed')).toBe('true');
  });

  it('opens a changed row side by side with the changed field highlighted', async () => {
    backend();
    render(DiffPage);
    await fireEvent.click(await screen.findByTestId(ids.diffRun));
    await fireEvent.click(await screen.findByTestId(keyedId('diffFilter', 'changed')));
    const label = await screen.findByTestId(ids.diffRowLabel);
    await fireEvent.click(label);
    const change = await screen.findByTestId(ids.diffChange);
    expect(change.querySelector(testIdSelector(ids.diffChangeExpected))?.textContent).toBe('Lead');
    expect(change.querySelector(testIdSelector(ids.diffChangeActual))?.textContent).toBe('Engineer');
    const highlighted = screen.getAllByTestId(ids.diffFieldChanged);
    expect(highlighted).toHaveLength(1);
    expect(highlighted[0]?.textContent).toContain('title');
  });

  it('says so while the target throttles a long read, and shows the member lists left', async () => {
    let release = (): void => {};
    const hold = new Promise<void>((resolve) => (release = resolve));
    backend({
      hold,
      progress: {
        phase: 'memberships',
        users_read: 50000,
        groups_read: 10000,
        member_lists_read: 2500,
        member_lists_total: 10000,
        per_second: 19.6,
        seconds_left: 383,
        refused: 3,
        pace: 19.6,
      },
    });
    render(DiffPage);
    await fireEvent.click(await screen.findByTestId(ids.diffRun));
    const notice = await screen.findByTestId(ids.diffThrottled);
    expect(notice.textContent).toContain('limited the request rate 3 times');
    expect(notice.textContent).toContain('19.6 requests a second');
    expect(screen.getByTestId(ids.diffProgress).textContent).toContain('member lists 2500 / 10000');
    expect(screen.getByTestId(ids.diffProgress).textContent).toContain('about 6 min 23 s left');
    release();
    await waitFor(() => expect(screen.queryByTestId(ids.diffThrottled)).toBeNull());
  });

  it('shows the error and its hint when the run fails', async () => {
    backend({ failRun: true });
    render(DiffPage);
    await fireEvent.click(await screen.findByTestId(ids.diffRun));
    expect((await screen.findByTestId(ids.errorMessage)).textContent).toContain('HTTP 401');
    expect(screen.getByTestId(ids.errorHint).textContent).toBe('Paste a new token in Setup.');
    expect(screen.queryByTestId(keyedId('diffTile', 'missing'))).toBeNull();
  });

  it('waits for a pause in typing before searching', async () => {
    const { queries } = backend();
    render(DiffPage);
    await fireEvent.click(await screen.findByTestId(ids.diffRun));
    await waitFor(() => expect(queries.length).toBeGreaterThan(0));
    const before = queries.length;
    const search = screen.getByTestId(ids.diffSearch);
    await fireEvent.input(search, { target: { value: 'us' } });
    await fireEvent.input(search, { target: { value: 'user2' } });
    await waitFor(() => expect(queries.at(-1)?.search).toBe('user2'));
    expect(queries.slice(before).filter((q) => q.search === 'us')).toHaveLength(0);
  });
});
