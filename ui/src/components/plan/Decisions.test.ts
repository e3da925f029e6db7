import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { PlanDecision } from '../../bindings/PlanDecision';
import Decisions from './Decisions.svelte';
import { choose } from './planLogic';
import { ids } from '../../lib/testIds';

function decision(id: string, kind: PlanDecision['kind'], chosen = false): PlanDecision {
  return {
    id,
    kind,
    label: id,
    source_id: null,
    target_id: id.split(':')[1] ?? null,
    reason_code: kind === 'reenable' ? 'disabled_in_target' : 'suspended_in_source',
    reason: kind === 'reenable' ? 'Active in JumpCloud, disabled in the target' : 'this target deletes instead of deactivating',
    choice: kind === 'reenable' ? 're-enable the user in the target (active: true)' : 'delete the account in the target',
    destructive: kind === 'delete',
    chosen,
  };
}

describe('Needs a decision', () => {
  it('lists each write with why it waits and what choosing it does; nothing is ticked by default', async () => {
    const chosen: [string, boolean][] = [];
    render(Decisions, {
      props: {
        decisions: [decision('user.reenable:t1', 'reenable'), decision('user.delete:t2', 'delete')],
        disabled: false,
        onchoose: (id: string, on: boolean) => chosen.push([id, on]),
      },
    });
    const rows = screen.getAllByTestId(ids.planDecision);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain('Re-enable');
    expect(rows[0]?.textContent).toContain('If chosen: re-enable the user');
    expect(rows[1]?.textContent).toContain('Delete');
    const checks = screen.getAllByTestId<HTMLInputElement>('plan-decision-check');
    expect(checks.every((c) => !c.checked)).toBe(true);
    const del = checks[1];
    if (!del) throw new Error('no second decision');
    await fireEvent.click(del);
    expect(chosen).toEqual([['user.delete:t2', true]]);
  });

  it('adds and removes a chosen id exactly once', () => {
    expect(choose([], 'a', true)).toEqual(['a']);
    expect(choose(['a'], 'a', true)).toEqual(['a']);
    expect(choose(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});
