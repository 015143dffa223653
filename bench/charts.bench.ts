import { type BenchOptions, bench, describe } from 'vitest';
import { type LineChart, renderPng, renderSvg } from '../src/charts/render.js';
import { addDays } from '../src/services/time.js';

/**
 * Drawing the digest's charts for a large coalition: 40 work groups reporting 3 indicators over 26 weeks
 * (a line per group and the coalition's, 41 lines of 26 points each, one week in seven missing), and the
 * follow-through and check-in charts of the same 40 groups over 12 weeks. Pure work (charts/render.ts: Vega-
 * Lite, Vega, resvg), no database. Beside it, its floor in the same run: the same charts with the coalition's
 * line alone, the fixed cost of compiling, laying out and drawing a chart. The budget is the digest's
 * (README, Benchmarks: 500 ms for the weekly digest).
 */

const GROUPS = 40;
const INDICATORS = 3;
const WEEKS = 26;
const RATE_WEEKS = 12;
const TIMING: BenchOptions = {
  time: Number(process.env.BENCH_TIME ?? 5_000),
  iterations: Number(process.env.BENCH_ITERATIONS ?? 10),
  warmupTime: 500,
  warmupIterations: 2,
  throws: true,
};

const weeks = (n: number) => Array.from({ length: n }, (_, i) => addDays('2026-06-01', 7 * i));

function series(name: string, n: number, seed: number) {
  return {
    name,
    values: Array.from({ length: n }, (_, w) =>
      (w + seed) % 7 === 0 ? null : 100 + seed * 3 + w * 2 + ((w * seed) % 11),
    ),
  };
}

function indicatorCharts(lines: number): LineChart[] {
  return Array.from({ length: INDICATORS }, (_, i) => ({
    title: `Indicator ${i + 1}`,
    unit: 'households',
    periods: weeks(WEEKS),
    series: [
      ...Array.from({ length: lines - 1 }, (_, g) =>
        series(`Group ${String(g + 1).padStart(2, '0')}`, WEEKS, g + i),
      ),
      series('Coalition', WEEKS, 0),
    ],
    target: { value: 400, label: 'Target 400 by 30 Jun 2027' },
  }));
}

function rateCharts(lines: number): LineChart[] {
  return ['Follow-through', 'Check-ins answered'].map((title, i) => ({
    title,
    unit: '%',
    percent: true,
    periods: weeks(RATE_WEEKS),
    series: Array.from({ length: lines }, (_, g) => ({
      name: g === lines - 1 ? 'Coalition' : `Group ${String(g + 1).padStart(2, '0')}`,
      values: Array.from({ length: RATE_WEEKS }, (_, w) =>
        (w + g + i) % 9 === 0 ? null : 40 + ((g * 7 + w * 5) % 60),
      ),
    })),
  }));
}

const full = [...indicatorCharts(GROUPS + 1), ...rateCharts(GROUPS + 1)];
const floor = [...indicatorCharts(1), ...rateCharts(1)];

async function drawAll(charts: readonly LineChart[], draw: (chart: LineChart) => Promise<unknown>) {
  for (const chart of charts) await draw(chart);
}

describe(`charts (${GROUPS} groups × ${INDICATORS} indicators × ${WEEKS} weeks, and 2 rate charts × ${RATE_WEEKS} weeks)`, () => {
  bench(
    'floor: the same 5 charts with the coalition’s line alone, PNG',
    () => drawAll(floor, renderPng),
    TIMING,
  );
  bench(
    'the 3 indicator charts, 41 lines × 26 weeks, SVG',
    () => drawAll(full.slice(0, INDICATORS), renderSvg),
    TIMING,
  );
  bench(
    'the 3 indicator charts, 41 lines × 26 weeks, PNG',
    () => drawAll(full.slice(0, INDICATORS), renderPng),
    TIMING,
  );
  bench(
    'the digest’s 5 charts (3 indicators, follow-through, check-ins), PNG',
    () => drawAll(full, renderPng),
    TIMING,
  );
});
