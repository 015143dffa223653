import type { LineChart } from '../charts/render.js';
import type { Db } from '../db/database.js';
import type { Indicator } from '../db/indicator-schema.js';
import { groupsReporting, listIndicators, valuesBetween, workGroupNames } from '../db/indicators.js';
import { findWorkspace } from '../db/workspaces.js';
import { type PeriodFigures, periodEnding, periodFigures } from './follow-through.js';
import { periodStart } from './indicators.js';
import { addDays, type IsoDate, laterBy, timeZoneOf } from './time.js';

/** Weeks of follow-through and check-in rate the digest's charts show. */
export const RATE_WEEKS = 12;
/** Periods of an indicator's trend the digest looks back over: weeks, or months for a monthly one. */
export const TREND_WEEKS = 12;
export const TREND_MONTHS = 6;
/** The series name of the whole coalition, beside its work groups. */
export const COALITION = 'Coalition';

/** One indicator's values per work group and period, and the coalition's, oldest period first. */
export interface IndicatorTrend {
  indicator: Indicator;
  /** The periods' first days; leading periods without any value are left out. */
  periods: IsoDate[];
  groups: { id: number; name: string; values: (number | null)[] }[];
  /**
   * The sum of the groups' values where every group reporting the indicator gave one; null (missing) where
   * any did not, as a total of some groups is not the coalition's.
   */
  coalition: (number | null)[];
}

function previousPeriod(indicator: Indicator, start: IsoDate): IsoDate {
  return indicator.frequency === 'monthly' ? periodStart('monthly', addDays(start, -1)) : addDays(start, -7);
}

/**
 * The trends of the workspace's active indicators up to the period holding `lastDay`: TREND_WEEKS weeks
 * (weekly) or TREND_MONTHS months (monthly), each group reporting it (and any that gave a value in those
 * periods) by name. A period without a group's value is null: missing, never zero.
 */
export async function indicatorTrends(db: Db, teamId: string, lastDay: IsoDate): Promise<IndicatorTrend[]> {
  const indicators = (await listIndicators(db, teamId)).filter((i) => i.status === 'active');
  if (indicators.length === 0) return [];
  const reporting = await groupsReporting(
    db,
    indicators.map((i) => i.id),
  );
  const earliest = periodStart('monthly', addDays(lastDay, -31 * TREND_MONTHS));
  const fromWeeks = addDays(periodStart('weekly', lastDay), -7 * (TREND_WEEKS - 1));
  const values = await valuesBetween(db, teamId, earliest < fromWeeks ? earliest : fromWeeks, lastDay);
  const groupNames = await workGroupNames(db, teamId, [
    ...new Set([...[...reporting.values()].flat(), ...values.map((v) => v.work_group_id)]),
  ]);
  return indicators.map((indicator) => {
    const count = indicator.frequency === 'monthly' ? TREND_MONTHS : TREND_WEEKS;
    const all: IsoDate[] = [periodStart(indicator.frequency, lastDay)];
    while (all.length < count) all.unshift(previousPeriod(indicator, all[0] as IsoDate));
    const mine = values.filter(
      (v) => v.indicator_id === indicator.id && v.period_start >= (all[0] as IsoDate),
    );
    const given = new Set(mine.map((v) => v.period_start));
    const first = all.findIndex((p) => given.has(p));
    const periods = first < 0 ? all.slice(-1) : all.slice(first);
    const ids = [...new Set([...(reporting.get(indicator.id) ?? []), ...mine.map((v) => v.work_group_id)])];
    const groups = ids
      .map((id) => ({
        id,
        name: groupNames.get(id) ?? `Work group ${id}`,
        values: periods.map(
          (p) => mine.find((v) => v.work_group_id === id && v.period_start === p)?.value ?? null,
        ),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const reportingNow = new Set(reporting.get(indicator.id) ?? []);
    const coalition = periods.map((_, i) => {
      const counted = groups.filter((g) => reportingNow.has(g.id) || g.values[i] !== null);
      if (counted.length === 0 || counted.some((g) => g.values[i] === null)) return null;
      return counted.reduce((sum, g) => sum + (g.values[i] as number), 0);
    });
    return { indicator, periods, groups, coalition };
  });
}

/** "Target 1,200 by 30 Jun 2027". */
function targetLabel(indicator: Indicator): string {
  const day = new Date(`${indicator.target_date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return `Target ${(indicator.target as number).toLocaleString('en-US')} by ${day}`;
}

/** An indicator's trend as a chart: a line per group and the coalition's, against its target. */
export function trendChart(trend: IndicatorTrend): LineChart {
  const { indicator } = trend;
  return {
    title: indicator.name,
    unit: indicator.unit,
    periods: trend.periods,
    series: [
      ...trend.groups.map((g) => ({ name: g.name, values: g.values })),
      ...(trend.groups.length > 1 ? [{ name: COALITION, values: trend.coalition }] : []),
    ],
    target:
      indicator.target !== null && indicator.target_date
        ? { value: indicator.target, label: targetLabel(indicator) }
        : undefined,
  };
}

/**
 * Follow-through and the check-in rate per work group (and the coalition's) for each of the RATE_WEEKS weeks
 * to `end`, as the digest counts them (follow-through.ts), in percent; null where nothing was due or nobody
 * was asked.
 */
export async function rateCharts(db: Db, teamId: string, end: Date): Promise<LineChart[]> {
  const tz = timeZoneOf((await findWorkspace(db, teamId))?.default_tz);
  const weeks: PeriodFigures[] = [];
  for (let w = RATE_WEEKS - 1; w >= 0; w--)
    weeks.push(await periodFigures(db, teamId, periodEnding(laterBy(end, tz, { days: -7 * w }), 7, tz)));
  const names = [
    ...new Set(weeks.flatMap((f) => f.groups.filter((g) => !g.ended).map((g) => g.name))),
  ].sort();
  const percent = (v: number | null | undefined) =>
    v === null || v === undefined ? null : Math.round(v * 100);
  // Weeks before anything was due or asked are left out, as an indicator's weeks before its first value.
  const first = weeks.findIndex(
    (f) => f.overall.steps.followThrough !== null || f.overall.checkins.rate !== null,
  );
  if (first > 0) weeks.splice(0, first);
  const periods = weeks.map((f) => f.period.startDate);
  const chart = (title: string, read: (f: (typeof weeks)[number], group?: string) => number | null) => ({
    title,
    unit: '%',
    percent: true,
    periods,
    series: [
      ...names.map((name) => ({ name, values: weeks.map((f) => read(f, name)) })),
      { name: COALITION, values: weeks.map((f) => read(f)) },
    ],
  });
  return [
    chart('Follow-through', (f, name) =>
      percent(
        name === undefined
          ? f.overall.steps.followThrough
          : f.groups.find((g) => g.name === name)?.steps.followThrough,
      ),
    ),
    chart('Check-ins answered', (f, name) =>
      percent(
        name === undefined ? f.overall.checkins.rate : f.groups.find((g) => g.name === name)?.checkins.rate,
      ),
    ),
  ];
}

/** Every chart of the digest ending at `end`: each indicator's trend, then follow-through and check-ins. */
export async function digestCharts(db: Db, teamId: string, end: Date): Promise<LineChart[]> {
  const tz = timeZoneOf((await findWorkspace(db, teamId))?.default_tz);
  const lastDay = addDays(periodEnding(end, 7, tz).endDate, -1);
  const trends = await indicatorTrends(db, teamId, lastDay);
  return [...trends.map(trendChart), ...(await rateCharts(db, teamId, end))];
}
