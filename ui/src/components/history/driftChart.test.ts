import { describe, expect, it } from 'vitest';
import type { DriftPoint } from '../../bindings/history/DriftPoint';
import { layoutChart, niceMax, type ChartBox } from './driftChart';

const box: ChartBox = { width: 300, height: 140, left: 40, right: 10, top: 10, bottom: 30 };

function point(runId: number, missing: number, extra: number, changed: number): DriftPoint {
  return { runId, at: `2026-11-0${runId}T10:00:00Z`, missing, extra, changed, ineligible: 0 };
}

describe('drift chart layout', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect(niceMax(0)).toBe(4);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(13)).toBe(20);
    expect(niceMax(41)).toBe(50);
    expect(niceMax(120)).toBe(200);
  });

  it('places runs left to right and counts bottom to top', () => {
    const layout = layoutChart([point(1, 0, 2, 10), point(2, 5, 2, 0)], box);
    expect(layout.maxValue).toBe(10);
    const missing = layout.series.find((s) => s.key === 'missing')!;
    // First run at the left edge of the plot, last at the right edge.
    expect(missing.points.map((p) => p.x)).toEqual([40, 290]);
    // 0 sits on the baseline (top + plot height), 5 halfway up.
    expect(missing.points.map((p) => p.y)).toEqual([110, 60]);
    expect(missing.path).toBe('M40.0,110.0 L290.0,60.0');
    const changed = layout.series.find((s) => s.key === 'changed')!;
    expect(changed.points[0]!.y).toBe(10);
    expect(layout.yTicks.map((t) => t.value)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('centres a single run and labels at most about six dates', () => {
    expect(layoutChart([point(1, 1, 1, 1)], box).series[0]!.points[0]!.x).toBe(165);
    const many = Array.from({ length: 30 }, (_, i) => point(i + 1, i, 0, 0));
    const ticks = layoutChart(many, box).xTicks;
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks[0]!.runId).toBe(1);
    expect(ticks.at(-1)!.runId).toBe(30);
  });
});
