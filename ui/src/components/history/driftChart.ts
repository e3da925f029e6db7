import type { DriftPoint } from '../../bindings/history/DriftPoint';

/** The three lines of the chart, in legend order, with colours readable on white. */
export const SERIES = [
  { key: 'missing', label: 'Missing', color: '#c23a33' },
  { key: 'extra', label: 'Extra', color: '#b7791f' },
  { key: 'changed', label: 'Changed', color: '#2f62d9' },
] as const;

export type SeriesKey = (typeof SERIES)[number]['key'];

export interface ChartBox {
  width: number;
  height: number;
  /** Room for the y labels on the left and the x labels below. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface PlottedPoint {
  x: number;
  y: number;
  value: number;
  runId: number;
  at: string;
}

export interface ChartLayout {
  series: { key: SeriesKey; label: string; color: string; path: string; points: PlottedPoint[] }[];
  yTicks: { y: number; value: number }[];
  xTicks: { x: number; at: string; runId: number }[];
  maxValue: number;
}

/** A "nice" axis maximum (1, 2, 5 x 10^n) at or above `value`, never below 4 so ticks are whole. */
export function niceMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

/**
 * Positions for every point of every series: runs spread evenly left to right (oldest first, as
 * the backend returns them), counts on a shared y axis from 0 to a nice maximum.
 */
export function layoutChart(points: readonly DriftPoint[], box: ChartBox): ChartLayout {
  const plotWidth = box.width - box.left - box.right;
  const plotHeight = box.height - box.top - box.bottom;
  const maxValue = niceMax(Math.max(0, ...points.flatMap((p) => [p.missing, p.extra, p.changed])));
  const xOf = (i: number): number =>
    points.length === 1 ? box.left + plotWidth / 2 : box.left + (plotWidth * i) / (points.length - 1);
  const yOf = (v: number): number => box.top + plotHeight - (plotHeight * v) / maxValue;

  const series = SERIES.map((s) => {
    const plotted = points.map((p, i) => ({ x: xOf(i), y: yOf(p[s.key]), value: p[s.key], runId: p.runId, at: p.at }));
    const path = plotted.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return { key: s.key, label: s.label, color: s.color, path, points: plotted };
  });
  // Fifths for 10, 20, 50...; quarters for 4: every tick a whole number.
  const steps = maxValue % 5 === 0 ? 5 : 4;
  const yTicks = Array.from({ length: steps + 1 }, (_, i) => {
    const value = (maxValue * i) / steps;
    return { y: yOf(value), value };
  });
  // At most ~6 date labels so they never overlap; always the first and the last run.
  const every = Math.max(1, Math.ceil(points.length / 6));
  const xTicks = points
    .map((p, i) => ({ x: xOf(i), at: p.at, runId: p.runId, i }))
    .filter((t) => t.i % every === 0 || t.i === points.length - 1)
    .map(({ x, at, runId }) => ({ x, at, runId }));
  return { series, yTicks, xTicks, maxValue };
}
