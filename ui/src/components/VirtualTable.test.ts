import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import VirtualTable from './VirtualTable.svelte';
import { visibleRange, type Column } from './virtualTable';

interface Person {
  id: number;
  name: string;
}

const ROW_HEIGHT = 32;
const rows: Person[] = Array.from({ length: 100_000 }, (_, id) => ({ id, name: `User ${id}` }));
const columns: Column<Person>[] = [
  { id: 'id', header: 'ID', width: '100px', align: 'end', value: (p) => p.id },
  { id: 'name', header: 'Name', value: (p) => p.name },
];

function bodyRows(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>('.body-row'));
}

function renderTable(onactivate = vi.fn()) {
  render(VirtualTable<Person>, {
    props: { rows, columns, label: 'People', rowHeight: ROW_HEIGHT, rowKey: (p: Person) => p.id, onactivate },
  });
  return { grid: screen.getByRole('grid', { name: 'People' }), onactivate };
}

describe('VirtualTable', () => {
  it('renders only a window of 100,000 rows', () => {
    const { grid } = renderTable();

    const rendered = bodyRows();
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(60);
    expect(rendered[0]?.textContent).toContain('User 0');
    expect(grid.getAttribute('aria-rowcount')).toBe('100001');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['ID', 'Name']);
  });

  it('renders different rows after scrolling', async () => {
    const { grid } = renderTable();

    grid.scrollTop = 50_000 * ROW_HEIGHT;
    await fireEvent.scroll(grid);
    await tick();

    const names = bodyRows().map((r) => r.textContent ?? '');
    expect(bodyRows().length).toBeLessThan(60);
    expect(names.some((n) => n.includes('User 50000'))).toBe(true);
    expect(names.some((n) => n.includes('User 0'))).toBe(false);
    const first = bodyRows().find((r) => r.dataset.index === '50000');
    expect(first?.style.transform).toBe(`translateY(${50_000 * ROW_HEIGHT}px)`);
  });

  it('moves the focus row with the keyboard and activates it with Enter', async () => {
    const { grid, onactivate } = renderTable();

    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(grid.getAttribute('aria-activedescendant')).toMatch(/-row-1$/);

    await fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onactivate).toHaveBeenCalledWith(rows[1], 1);

    await fireEvent.keyDown(grid, { key: 'End' });
    await tick();
    expect(grid.scrollTop).toBeGreaterThan(99_000 * ROW_HEIGHT);
    expect(bodyRows().some((r) => r.dataset.index === '99999')).toBe(true);
  });

  it('shows an empty state without rows', () => {
    render(VirtualTable<Person>, { props: { rows: [], columns, label: 'Nobody' } });
    expect(screen.getByText('Nothing to show.')).toBeTruthy();
  });
});

describe('visibleRange', () => {
  it('adds overscan and clamps to the row count', () => {
    expect(visibleRange(100, 10, 0, 100, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(100, 10, 500, 100, 5)).toEqual({ start: 45, end: 65 });
    expect(visibleRange(100, 10, 990, 100, 5)).toEqual({ start: 94, end: 100 });
    expect(visibleRange(0, 10, 0, 100, 5)).toEqual({ start: 0, end: 0 });
  });
});
