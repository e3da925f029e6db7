import { mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryInfo } from '../bindings/HistoryInfo';
import type { ApplyStep } from '../bindings/history/ApplyStep';
import type { DriftPoint } from '../bindings/history/DriftPoint';
import type { Operation } from '../bindings/history/Operation';
import type { RunDetail } from '../bindings/history/RunDetail';
import type { RunSummary } from '../bindings/history/RunSummary';
import HistoryPage from './HistoryPage.svelte';
import { ids } from '../lib/testIds';

const okInfo: HistoryInfo = { path: '/data/history.sqlite', error: null };

function run(id: number, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    kind: 'test_connection',
    targetId: 'demo-aws',
    targetName: 'AWS IAM Identity Center (demo)',
    startedAt: '2026-11-23T10:00:00Z',
    finishedAt: '2026-11-23T10:00:00.120Z',
    outcome: 'succeeded',
    counts: { missing: 0, extra: 0, changed: 0, ineligible: 0, created: 0, updated: 0, deleted: 0, failed: 0, skipped: 0 },
    summary: 'SCIM 2.0 reachable in 12 ms; 40 users',
    appVersion: '0.1.0',
    actor: '',
    operationCount: 2,
    ...overrides,
  };
}

function op(seq: number, status: number | null, errorDetail: string | null = null): Operation {
  return {
    runId: 1,
    seq,
    startedAt: '2026-11-23T10:00:00Z',
    method: 'GET',
    path: seq === 0 ? 'ServiceProviderConfig' : 'Users',
    resourceKind: 'User',
    resourceLabel: '',
    status,
    latencyMs: 5,
    outcome: status === 200 ? 'succeeded' : 'failed',
    scimType: null,
    errorDetail,
    requestExcerpt: null,
    responseExcerpt: '{"totalResults":40}',
    modifiedAttributes: [],
  };
}

function step(seq: number, state: ApplyStep['state'], overrides: Partial<ApplyStep> = {}): ApplyStep {
  return {
    seq,
    opId: `user.create:${seq}`,
    action: 'create user',
    label: `user${seq}@example.com`,
    destructive: false,
    state,
    targetId: state === 'succeeded' ? `t-${seq}` : null,
    detail: state === 'failed' ? 'HTTP 409: uniqueness' : '',
    updatedAt: '2026-11-23T10:00:00Z',
    ...overrides,
  };
}

describe('History page', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('explains where runs come from when there are none', async () => {
    mockIPC((cmd) => {
      if (cmd === 'history_info') return okInfo;
      if (cmd === 'history_list') return [];
      return null;
    });
    render(HistoryPage);
    const empty = await screen.findByTestId(ids.historyEmpty);
    expect(empty.textContent).toContain('Test connection');
    expect(empty.textContent).toContain('diff');
    expect(screen.getByTestId(ids.historyDbPath).textContent).toBe('/data/history.sqlite');
  });

  it('shows why the database is unavailable, with the hint, and lists nothing', async () => {
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      if (cmd === 'history_info')
        return {
          path: '/data/history.sqlite',
          error: { code: 'storage', message: 'history database schema version 9 is newer', hint: 'it was left untouched' },
        } satisfies HistoryInfo;
      return null;
    });
    render(HistoryPage);
    expect((await screen.findByTestId(ids.errorHint)).textContent).toContain('left untouched');
    expect(asked).not.toContain('history_list');
  });

  it('lists runs, opens one with its requests, and filters by kind', async () => {
    const lists: unknown[] = [];
    const detail: RunDetail = { run: run(1), hasSnapshot: false, operationOutcomes: { succeeded: 1, failed: 1, skipped: 0 } };
    mockIPC((cmd, args) => {
      if (cmd === 'history_info') return okInfo;
      if (cmd === 'history_list') {
        lists.push(args);
        return [run(2, { kind: 'diff', targetId: 'demo-sdm', targetName: 'StrongDM (demo)' }), run(1)];
      }
      if (cmd === 'history_run') return detail;
      if (cmd === 'history_operations') return [op(0, 200), op(1, 503, 'Service unavailable')];
      if (cmd === 'history_drift_over_time') return [] satisfies DriftPoint[];
      return null;
    });
    render(HistoryPage);

    const rows = await screen.findAllByTestId(ids.historyRun);
    expect(rows.map((r) => r.dataset.kind)).toEqual(['diff', 'test_connection']);
    expect(within(rows[1]!).getByTestId(ids.historyRunKind).textContent).toBe('Test connection');
    expect(within(rows[1]!).getByTestId(ids.historyRunOutcome).textContent).toBe('Succeeded');

    await fireEvent.click(rows[1]!);
    const panel = await screen.findByTestId(ids.historyRunDetail);
    const ops = await within(panel).findAllByTestId(ids.historyOperation);
    expect(ops).toHaveLength(2);
    const statuses = within(panel).getAllByTestId(ids.historyOperationStatus);
    expect(statuses.map((s) => s.textContent)).toEqual(['200', '503']);
    expect(statuses[1]!.className).toContain('error');
    expect(within(panel).getByText('Service unavailable')).toBeTruthy();
    // A connection check has no snapshot, so there is nothing to compare.
    expect(within(panel).queryByTestId(ids.historyCompare)).toBeNull();

    await fireEvent.change(screen.getByTestId(ids.historyFilterKind), { target: { value: 'diff' } });
    expect(lists.at(-1)).toEqual({
      filter: { target: null, kind: 'diff', outcome: null, from: null, to: null },
      page: { limit: 50, before: null },
    });
  });

  it('opens the run a #/history/<id> link names and shows its apply journal', async () => {
    window.location.hash = '#/history/7';
    const asked: string[] = [];
    const applyRun = run(7, { kind: 'apply', outcome: 'failed', summary: 'apply interrupted' });
    const steps = [
      step(0, 'succeeded'),
      step(1, 'failed'),
      step(2, 'running', { action: 'delete user', destructive: true }),
      step(3, 'pending'),
      step(4, 'skipped'),
    ];
    mockIPC((cmd, args) => {
      asked.push(cmd);
      if (cmd === 'history_info') return okInfo;
      if (cmd === 'history_list') return [run(8), applyRun];
      if (cmd === 'history_run') {
        expect(args).toEqual({ runId: 7 });
        return { run: applyRun, hasSnapshot: false, operationOutcomes: { succeeded: 1, failed: 1, skipped: 0 } } satisfies RunDetail;
      }
      if (cmd === 'history_operations') return [];
      if (cmd === 'history_steps') return steps;
      if (cmd === 'history_drift_over_time') return [] satisfies DriftPoint[];
      return null;
    });
    render(HistoryPage);

    const panel = await screen.findByTestId(ids.historyRunDetail);
    const rows = await within(panel).findAllByTestId(ids.historyStep);
    expect(rows.map((r) => r.dataset.state)).toEqual(['succeeded', 'failed', 'running', 'pending', 'skipped']);
    const states = within(panel).getAllByTestId(ids.historyStepState);
    expect(states[0]!.className).toContain('ok');
    expect(states[1]!.className).toContain('error');
    // The run ended, so the running step was cut off mid-request.
    expect(states[2]!.textContent).toContain('in flight when the app stopped');
    expect(states[2]!.className).toContain('warn');
    expect(within(panel).getAllByTestId(ids.historyStepDestructive)).toHaveLength(1);
    expect(within(panel).getByTestId(ids.historyStepsCutOff)).toBeTruthy();
    expect(within(panel).getByText('HTTP 409: uniqueness')).toBeTruthy();
    expect(within(panel).getByText('t-0')).toBeTruthy();
    expect(within(panel).getByTestId(ids.historyStepsTally).textContent).toBe('1 succeeded, 1 failed, 1 running, 1 pending, 1 skipped');
    const selected = screen.getAllByTestId(ids.historyRun).find((r) => r.dataset.runId === '7');
    expect(selected?.className).toContain('selected');
    expect(asked).toContain('history_steps');
  });

  it('reads no journal for runs other than applies', async () => {
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      if (cmd === 'history_info') return okInfo;
      if (cmd === 'history_list') return [run(1)];
      if (cmd === 'history_run') return { run: run(1), hasSnapshot: false, operationOutcomes: { succeeded: 2, failed: 0, skipped: 0 } } satisfies RunDetail;
      if (cmd === 'history_operations') return [op(0, 200)];
      if (cmd === 'history_drift_over_time') return [] satisfies DriftPoint[];
      return null;
    });
    render(HistoryPage);
    await fireEvent.click((await screen.findAllByTestId(ids.historyRun))[0]!);
    const panel = await screen.findByTestId(ids.historyRunDetail);
    await within(panel).findAllByTestId(ids.historyOperation);
    expect(within(panel).queryByTestId(ids.historySteps)).toBeNull();
    expect(asked).not.toContain('history_steps');
  });

  it('plots the drift of diff runs and compares a diff with the previous one', async () => {
    const diff = run(7, { kind: 'diff', counts: { ...run(0).counts, missing: 3, extra: 1, changed: 2 } });
    mockIPC((cmd) => {
      if (cmd === 'history_info') return okInfo;
      if (cmd === 'history_list') return [diff];
      if (cmd === 'history_run') return { run: diff, hasSnapshot: true, operationOutcomes: { succeeded: 0, failed: 0, skipped: 0 } };
      if (cmd === 'history_operations') return [];
      if (cmd === 'history_drift_over_time')
        return [
          { runId: 6, at: '2026-11-22T10:00:00Z', missing: 5, extra: 1, changed: 2, ineligible: 0 },
          { runId: 7, at: '2026-11-23T10:00:00Z', missing: 3, extra: 1, changed: 2, ineligible: 0 },
        ] satisfies DriftPoint[];
      if (cmd === 'history_compare_previous')
        return {
          runId: 7,
          previousRunId: 6,
          appeared: [],
          disappeared: [{ kind: 'user', key: 'u-bob', before: 'missing', after: null, valuesChanged: false }],
          changed: [],
        };
      return null;
    });
    render(HistoryPage);

    await screen.findByTestId(ids.historyChart);
    const points = screen.getAllByTestId(ids.historyChartPoint);
    expect(points).toHaveLength(6); // 2 runs x missing/extra/changed
    expect(points.filter((p) => p.dataset.series === 'missing').map((p) => p.dataset.value)).toEqual(['5', '3']);

    await fireEvent.click(screen.getByTestId(ids.historyRun));
    await fireEvent.click(await screen.findByTestId(ids.historyCompare));
    const delta = await screen.findByTestId(ids.historyDelta);
    expect(delta.textContent).toContain('Compared with run #6');
    expect(within(delta).getByTestId(ids.historyDeltaEntry).textContent).toContain('u-bob');
    expect(within(delta).getByTestId(ids.historyDeltaEntry).textContent).toContain('missing → not present');
  });
});
