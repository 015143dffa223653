import { listActiveWorkGroups } from '../../db/work-groups.js';
import { periodStart, recordIndicatorValue, saveIndicator } from '../../services/indicators.js';
import { addDays, type IsoDate, isoWeekday, utcDate } from '../../services/time.js';
import { WORK_GROUPS } from './coalition.js';
import { dayAt, type SeedContext, type SeedEvent } from './context.js';
import { PEOPLE } from './workspace.js';

/** Weeks of values the coalition has for its weekly indicators (about six months), months for its monthly one. */
export const HISTORY_WEEKS = 26;
export const HISTORY_MONTHS = 6;

/**
 * The three shared indicators, each with the groups reporting it and the value of a period by how many
 * periods before the start it is (0: the period holding the start). Housing is late with its numbers for
 * its last round: left empty, they show as missing.
 */
export const SEED_INDICATORS = [
  {
    name: 'Households served',
    unit: 'households',
    direction: 'up',
    frequency: 'weekly',
    targetDays: 210,
    target: '600',
    groups: {
      'Food Access': (ago: number) => 420 - 7 * ago + (ago % 3) * 9,
      Housing: (ago: number) => 160 - 3 * ago + (ago % 2) * 6,
    },
  },
  {
    name: 'Eviction filings',
    unit: 'filings',
    direction: 'down',
    frequency: 'weekly',
    targetDays: 0,
    target: '',
    groups: { Housing: (ago: number) => 18 + Math.round(ago / 2) + (ago % 4) },
  },
  {
    name: 'Young people placed in jobs',
    unit: 'young people',
    direction: 'up',
    frequency: 'monthly',
    targetDays: 180,
    target: '40',
    groups: { 'Youth Jobs': (ago: number) => 24 - 3 * ago },
  },
] as const;

export type SeedIndicator = (typeof SEED_INDICATORS)[number];

/** How many of its periods `period` is before the one holding `today`. */
function periodsAgo(indicator: SeedIndicator, period: IsoDate, today: IsoDate): number {
  const current = periodStart(indicator.frequency, today);
  if (indicator.frequency === 'weekly')
    return Math.round((Date.parse(current) - Date.parse(period)) / (7 * 86_400_000));
  const months = (iso: IsoDate) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7));
  return months(current) - months(period);
}

/** The day of the group's first round the history plays (the seed's check-ins: three weeks of rounds). */
function firstRoundDay(now: Date, weekday: number): IsoDate {
  const today = utcDate(now);
  return addDays(today, -((isoWeekday(today) - weekday + 7) % 7) - 14);
}

/**
 * A group's number for an indicator in the check-in of `roundDate` (the seed's check-ins give it): blank
 * when the group does not report it, and for Housing's last round, which it has not reported yet.
 */
export function seedValueFor(
  indicatorName: string,
  groupName: string,
  roundDate: IsoDate,
  now: Date,
): string | null {
  const indicator = SEED_INDICATORS.find((i) => i.name === indicatorName);
  const value = indicator && (indicator.groups as Record<string, (ago: number) => number>)[groupName];
  if (!indicator || !value) return null;
  const group = WORK_GROUPS.find((g) => g.name === groupName);
  if (groupName === 'Housing' && group && roundDate >= addDays(firstRoundDay(now, group.weekday), 14))
    return null;
  return String(value(periodsAgo(indicator, periodStart(indicator.frequency, roundDate), utcDate(now))));
}

/**
 * Shortly after the groups were added, the backbone defined the coalition's three shared indicators (through
 * the indicator form's service) and entered the groups' numbers from before Concert: about six months of
 * them, up to the periods the played check-ins report.
 */
export function seedIndicators(context: SeedContext): SeedEvent[] {
  const at = dayAt(context, -28, 17);
  return [{ at, run: () => defineAndRecord(context, at) }];
}

async function defineAndRecord(context: SeedContext, at: Date): Promise<void> {
  const { db, teamId, now } = context;
  const groups = await listActiveWorkGroups(db, teamId);
  const idOf = (name: string) => groups.find((g) => g.name === name)?.id;
  const today = utcDate(now);
  for (const spec of SEED_INDICATORS) {
    const names = Object.keys(spec.groups);
    const saved = await saveIndicator(
      db,
      teamId,
      PEOPLE.amara,
      {
        id: null,
        name: spec.name,
        unit: spec.unit,
        direction: spec.direction,
        negativeAllowed: false,
        target: spec.target || null,
        targetDate: spec.targetDays > 0 ? addDays(today, spec.targetDays) : null,
        frequency: spec.frequency,
        groupIds: names.map((n) => String(idOf(n))),
        status: 'active',
      },
      at,
    );
    if (!saved.ok)
      throw new Error(`the sandbox seed could not define ${spec.name}: ${JSON.stringify(saved)}`);
    const count = spec.frequency === 'weekly' ? HISTORY_WEEKS : HISTORY_MONTHS;
    for (const name of names) {
      const group = WORK_GROUPS.find((g) => g.name === name);
      const groupId = idOf(name);
      if (!group || groupId === undefined) continue;
      const firstReported = periodStart(spec.frequency, firstRoundDay(now, group.weekday));
      let period = periodStart(spec.frequency, today);
      for (let ago = 0; ago < count; ago++) {
        if (period < firstReported) {
          const recorded = await recordIndicatorValue(
            db,
            {
              teamId,
              indicatorId: saved.value.indicator.id,
              groupId,
              day: period,
              value: String((spec.groups as Record<string, (ago: number) => number>)[name]?.(ago)),
              by: PEOPLE.amara,
            },
            at,
          );
          if (!recorded.ok)
            throw new Error(`the sandbox seed could not record ${spec.name}: ${recorded.error}`);
        }
        period =
          spec.frequency === 'weekly' ? addDays(period, -7) : periodStart('monthly', addDays(period, -1));
      }
    }
  }
}
