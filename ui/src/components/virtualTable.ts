import type { Snippet } from 'svelte';

/** One column of a VirtualTable. Give `value` for plain text, `cell` for anything richer. */
export interface Column<Row> {
  /** Stable key; also used as the keyed-each key. */
  id: string;
  header: string;
  /** A CSS grid track: '120px', '2fr', 'minmax(160px, 1fr)'. Defaults to 'minmax(0, 1fr)'. */
  width?: string;
  align?: 'start' | 'end';
  value?: (row: Row) => string | number | null | undefined;
  cell?: Snippet<[row: Row, index: number]>;
}

export interface VisibleRange {
  /** First rendered index (inclusive). */
  start: number;
  /** One past the last rendered index. */
  end: number;
}

/**
 * Which rows to render for a scroll position: the rows in view plus `overscan` on each side,
 * so fast scrolling does not flash empty space before the next frame renders.
 */
export function visibleRange(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan: number,
): VisibleRange {
  if (rowCount === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const firstInView = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const lastInView = Math.ceil((Math.max(0, scrollTop) + viewportHeight) / rowHeight);
  const start = Math.min(rowCount, Math.max(0, firstInView - overscan));
  const end = Math.min(rowCount, lastInView + overscan);
  return { start, end };
}

/** The scrollTop that brings `index` fully into view, or null when it already is. */
export function scrollTopToReveal(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return null;
}
