import { createRequire } from 'node:module';
import path from 'node:path';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';

/**
 * Charts drawn from data alone, by well-kept libraries: a Vega-Lite spec compiled to a Vega view, drawn
 * to SVG by Vega, and turned into PNG by resvg. Pure: data in, SVG or PNG out; nothing here reads the
 * database or Slack. Every text in a chart (names, units) is data to Vega, which escapes it in the SVG.
 */

/** One line of a chart: a work group, or the coalition. `values[i]` is for `periods[i]`; null is missing. */
export interface ChartSeries {
  name: string;
  values: readonly (number | null)[];
}

export interface LineChart {
  title: string;
  /** What the y axis counts: "households", or "%" for a rate. */
  unit: string;
  /** The periods' first days (YYYY-MM-DD), oldest first. */
  periods: readonly string[];
  series: readonly ChartSeries[];
  /** A goal drawn as a dashed rule across the chart. */
  target?: { value: number; label: string } | undefined;
  /** Values are rates from 0 to 100. */
  percent?: boolean;
}

/** The SVG's size in CSS pixels; the PNG is drawn at twice that, for sharp text on high-density screens. */
export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 360;
export const PNG_SCALE = 2;

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
/**
 * Most lines a chart names in a legend; with more (a large coalition's groups), the groups are grey lines
 * and the last series (the coalition's) stands out, the line of numbers under the chart naming each.
 */
export const LEGEND_MAX = 12;

/** "2 Nov" for weeks, "Nov 2026" when every period is a month's first day. */
export function periodLabels(periods: readonly string[]): string[] {
  const monthly = periods.length > 1 && periods.every((p) => p.endsWith('-01'));
  return periods.map((p) =>
    new Date(`${p}T12:00:00Z`).toLocaleDateString(
      'en-GB',
      monthly
        ? { month: 'short', year: 'numeric', timeZone: 'UTC' }
        : { day: 'numeric', month: 'short', timeZone: 'UTC' },
    ),
  );
}

/** The Vega-Lite spec of a line chart: one coloured line per series, gaps where a value is missing. */
export function chartSpec(chart: LineChart): TopLevelSpec {
  const labels = periodLabels(chart.periods);
  const many = chart.series.length > LEGEND_MAX;
  const emphasis = chart.series.at(-1)?.name;
  const rows = chart.series.flatMap((s) =>
    chart.periods.map((_, i) => ({ series: s.name, period: labels[i], value: s.values[i] ?? null })),
  );
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: chart.unit,
    ...(chart.percent ? { scale: { domain: [0, 100] } } : {}),
  };
  const layers: TopLevelSpec[] = [];
  const line = {
    mark: { type: 'line' as const, point: !many, strokeWidth: many ? 1 : 2 },
    encoding: {
      x: {
        field: 'period',
        type: 'ordinal' as const,
        title: null,
        sort: labels,
        axis: { labelAngle: 0, labelOverlap: true },
      },
      y,
      color: many
        ? {
            field: 'series',
            type: 'nominal' as const,
            legend: null,
            // Too many groups for a legend to tell apart: each a thin grey line, the coalition's in colour.
            scale: {
              domain: chart.series.map((s) => s.name),
              range: chart.series.map((s) => (s.name === emphasis ? '#d62728' : '#c7c7c7')),
            },
          }
        : {
            field: 'series',
            type: 'nominal' as const,
            title: null,
            sort: chart.series.map((s) => s.name),
          },
    },
  };
  const target = chart.target
    ? [
        {
          data: { values: [{ target: chart.target.value, label: chart.target.label }] },
          mark: { type: 'rule' as const, strokeDash: [6, 4], color: '#555' },
          encoding: { y: { field: 'target', type: 'quantitative' as const } },
        },
        {
          data: { values: [{ target: chart.target.value, label: chart.target.label }] },
          mark: { type: 'text' as const, align: 'left' as const, dx: 4, dy: -6, color: '#555' },
          encoding: {
            y: { field: 'target', type: 'quantitative' as const },
            x: { value: 0 },
            text: { field: 'label', type: 'nominal' as const },
          },
        },
      ]
    : [];
  layers.push(line as TopLevelSpec, ...(target as TopLevelSpec[]));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: many
      ? {
          text: chart.title,
          subtitle: `Grey: each of ${chart.series.length - 1} lines · red: ${emphasis}`,
        }
      : chart.title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    config: { font: FONT, legend: { orient: 'bottom', columns: 4, labelLimit: 160 } },
    data: { values: rows },
    layer: layers,
  } as TopLevelSpec;
}

/**
 * Vega, Vega-Lite and resvg, loaded at the first chart drawn rather than at start: Vega and Vega-Lite take
 * about a second to load, and most of the app's life draws no chart.
 */
function engines() {
  loading ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]).then(
    ([vega, vegaLite, resvg]) => ({ vega, vegaLite, Resvg: resvg.Resvg }),
    (error: unknown) => {
      loading = undefined; // the next chart tries again
      throw error;
    },
  );
  return loading;
}
let loading:
  | Promise<{
      vega: typeof import('vega');
      vegaLite: typeof import('vega-lite');
      Resvg: typeof import('@resvg/resvg-js').Resvg;
    }>
  | undefined;

/** The chart as SVG markup (CHART_WIDTH × CHART_HEIGHT), without script. */
export async function renderSvg(chart: LineChart): Promise<string> {
  const { vega, vegaLite } = await engines();
  const { spec } = vegaLite.compile(chartSpec(chart));
  const { parse, View } = vega;
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The font the PNGs are drawn with: DejaVu Sans from the `dejavu-fonts-ttf` package, so a chart has its text on
 * any machine `npm install` ran on, whatever fonts the system has (a bare server or container has none), and
 * draws the same everywhere. Read alone, without scanning the system's fonts, it also draws faster.
 */
function fonts(): ResvgRenderOptions['font'] {
  if (!fontOptions) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontOptions = {
      loadSystemFonts: false,
      fontFiles: [path.join(dir, 'DejaVuSans.ttf'), path.join(dir, 'DejaVuSans-Bold.ttf')],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    };
  }
  return fontOptions;
}

let fontOptions: ResvgRenderOptions['font'] | undefined;
const require = createRequire(import.meta.url);

/** The chart as PNG, (CHART_WIDTH × PNG_SCALE) × (CHART_HEIGHT × PNG_SCALE) pixels. */
export async function renderPng(chart: LineChart): Promise<Buffer> {
  const svg = await renderSvg(chart);
  const { Resvg } = await engines();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: CHART_WIDTH * PNG_SCALE },
    font: fonts(),
    background: 'white',
  });
  return resvg.render().asPng();
}

/** A PNG's width and height, read from its IHDR chunk; undefined if the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (String.fromCharCode(...png.subarray(12, 16)) !== 'IHDR') return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
