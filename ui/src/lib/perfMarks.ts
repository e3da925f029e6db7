/**
 * Named marks on the page's performance timeline, for measurements that drive the real window
 * (scripts/measure-diff-table.sh reads them with `performance.getEntriesByName`). Each name keeps
 * only its latest mark, so the timeline never grows; without a performance API nothing happens.
 */
export const PERF_MARKS = {
  /** The diff result arrived in the page. */
  diffResult: 'scim:diff-result',
  /** The table asked for the first page of rows under a new result or new filters. */
  diffQuery: 'scim:diff-query',
  /** That first page arrived from the backend. */
  diffRowsArrived: 'scim:diff-rows-arrived',
  /** The frame showing that first page was painted. */
  diffRowsPainted: 'scim:diff-rows-painted',
} as const;

export function perfMark(name: string): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  performance.clearMarks(name);
  performance.mark(name);
}

/** Marks `name` just after the next frame is painted (a task queued from its animation frame). */
export function perfMarkAfterPaint(name: string): void {
  if (typeof requestAnimationFrame !== 'function') return;
  requestAnimationFrame(() => setTimeout(() => perfMark(name), 0));
}
