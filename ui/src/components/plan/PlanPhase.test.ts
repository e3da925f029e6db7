import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { PlanOperation } from '../../bindings/PlanOperation';
import ConfirmDestructive from './ConfirmDestructive.svelte';
import PlanPhase from './PlanPhase.svelte';
import { planOperation } from '../../test/fixtures';
import { ids } from '../../lib/testIds';

function op(id: string): PlanOperation {
  return { ...planOperation(id, 'create_user'), label: `user ${id}`, reason: 'missing in the target', reason_code: 'missing' };
}

describe('PlanPhase', () => {
  it('shows the first 100 rows, selects the whole phase and opens a row', async () => {
    const ops = Array.from({ length: 130 }, (_, i) => op(`u${i}`));
    const onselect = vi.fn();
    render(PlanPhase, { phase: { action: 'create_user', label: 'Create users', ops }, selected: new Set(['u0']), onselect });

    expect(screen.getAllByTestId(ids.planOp)).toHaveLength(100);
    await fireEvent.click(screen.getByText('Show more (30 hidden)'));
    expect(screen.getAllByTestId(ids.planOp)).toHaveLength(130);

    await fireEvent.click(screen.getByTestId(ids.planPhaseToggle));
    expect((onselect.mock.calls[0]?.[0] as Set<string>).size).toBe(130);

    await fireEvent.click(screen.getByText('user u1'));
    expect(screen.getByTestId(ids.planOpDetail).textContent).toContain('missing in the target');
  });
});

describe('ConfirmDestructive', () => {
  it('enables the apply only once the target name is typed', async () => {
    const onapply = vi.fn();
    render(ConfirmDestructive, { targetName: 'AWS prod', destructive: 2, count: 5, onapply, oncancel: vi.fn() });
    const apply = screen.getByTestId(ids.planConfirmApply);
    expect(apply.hasAttribute('disabled')).toBe(true);
    await fireEvent.input(screen.getByTestId(ids.planConfirmInput), { target: { value: 'AWS prod' } });
    expect(apply.hasAttribute('disabled')).toBe(false);
    await fireEvent.click(apply);
    expect(onapply).toHaveBeenCalledOnce();
  });
});
