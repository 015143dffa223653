import type { Db } from '../db/database.js';
import type { Indicator, IndicatorFrequency } from '../db/indicator-schema.js';
import {
  findActiveIndicatorByName,
  findIndicator,
  groupsReporting,
  insertIndicator,
  listIndicators,
  recordIndicatorChange,
  saveIndicatorValue,
  setGroupsReporting,
  updateIndicator,
} from '../db/indicators.js';
import { takeOnce, wasTaken } from '../db/interaction-effects.js';
import type { WorkGroup } from '../db/schema.js';
import { listActiveWorkGroups } from '../db/work-groups.js';
import { type Once, REPEAT, type Repeat, unlessTwinTook } from './once.js';
import { addDays, type IsoDate, isIsoDate, isoWeekday } from './time.js';
import { type FieldErrors, hasErrors, type Validated } from './validation.js';

export const INDICATOR_NAME_MAX = 80;
export const INDICATOR_UNIT_MAX = 40;
/** Values and targets are kept to this many digits before the point: numeric, but not astronomical. */
export const INDICATOR_VALUE_MAX = 1e12;

export type IndicatorField =
  | 'name'
  | 'unit'
  | 'direction'
  | 'target'
  | 'targetDate'
  | 'frequency'
  | 'groups'
  | 'status';

/** What the indicator form gives, as typed and chosen. */
export interface IndicatorInput {
  /** Set when editing. */
  id: number | null;
  name: string | null;
  unit: string | null;
  /** 'up' or 'down'. */
  direction: string | null;
  /** 'yes' when values may be below zero. */
  negativeAllowed: boolean;
  target: string | null;
  targetDate: string | null;
  frequency: string | null;
  groupIds: readonly string[];
  /** 'active' or 'retired'. */
  status: string | null;
}

export interface IndicatorWithGroups {
  indicator: Indicator;
  groupIds: number[];
}

/**
 * A number as a person types it: digits with an optional sign, thousands separators (`1,200`) and a
 * decimal point. Returns undefined for anything else (words, two points, a bare sign).
 */
export function parseNumber(text: string): number | undefined {
  const cleaned = text.trim().replace(/(\d),(?=\d{3}(\D|$))/g, '$1');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A value for an indicator, checked in the words a person reads under the field. Blank is no value
 * (undefined, no error); a value is a number, not below zero unless the indicator allows it, and not
 * beyond INDICATOR_VALUE_MAX.
 */
export function checkValue(
  indicator: Pick<Indicator, 'unit' | 'negative_allowed'>,
  text: string | null,
): { value?: number; error?: string } {
  if (text === null || text.trim() === '') return {};
  const value = parseNumber(text);
  if (value === undefined) return { error: 'Enter a number, like 120.' };
  if (value < 0 && !indicator.negative_allowed)
    return { error: `Enter 0 or more: ${indicator.unit} can’t be below zero.` };
  if (Math.abs(value) >= INDICATOR_VALUE_MAX) return { error: 'Enter a smaller number.' };
  return { value };
}

/**
 * The period a day belongs to for an indicator: the Monday of its ISO week (weekly), or the first of its
 * month (monthly). Values are kept one per group and period.
 */
export function periodStart(frequency: IndicatorFrequency, day: IsoDate): IsoDate {
  if (frequency === 'monthly') return `${day.slice(0, 7)}-01`;
  return addDays(day, 1 - isoWeekday(day));
}

async function validate(
  db: Db,
  teamId: string,
  input: IndicatorInput,
  groups: readonly WorkGroup[],
): Promise<
  Validated<
    IndicatorField,
    Omit<Indicator, 'id' | 'team_id' | 'created_by' | 'created_at' | 'updated_at' | 'retired_at'> & {
      groupIds: number[];
    }
  >
> {
  const errors: FieldErrors<IndicatorField> = {};
  const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) errors.name = 'Give the indicator a name, like “Households served”.';
  else if (name.length > INDICATOR_NAME_MAX)
    errors.name = `Keep the name to ${INDICATOR_NAME_MAX} characters or fewer (this one has ${name.length}).`;
  else if (input.status !== 'retired') {
    const same = await findActiveIndicatorByName(db, teamId, name);
    if (same && same.id !== input.id) errors.name = `There is already an indicator called “${same.name}”.`;
  }
  const unit = (input.unit ?? '').trim().replace(/\s+/g, ' ');
  if (!unit) errors.unit = 'Say what is counted, like “households”.';
  else if (unit.length > INDICATOR_UNIT_MAX)
    errors.unit = `Keep the unit to ${INDICATOR_UNIT_MAX} characters or fewer (this one has ${unit.length}).`;
  if (input.direction !== 'up' && input.direction !== 'down')
    errors.direction = 'Choose which way is better.';
  if (input.frequency !== 'weekly' && input.frequency !== 'monthly')
    errors.frequency = 'Choose how often it is reported.';
  let target: number | null = null;
  if (input.target !== null && input.target.trim() !== '') {
    const checked = checkValue(
      { unit: unit || 'values', negative_allowed: input.negativeAllowed },
      input.target,
    );
    if (checked.error) errors.target = checked.error;
    else target = checked.value ?? null;
  }
  const targetDate = input.targetDate && isIsoDate(input.targetDate) ? input.targetDate : null;
  if (targetDate && target === null && !errors.target) errors.target = 'Give the target the date is for.';
  if (target !== null && !targetDate) errors.targetDate = 'Choose the date the target is for.';
  const known = new Map(groups.map((g) => [String(g.id), g.id]));
  const groupIds = [...new Set(input.groupIds)].map((id) => known.get(id));
  if (groupIds.length === 0) errors.groups = 'Choose the work groups that report it.';
  else if (groupIds.some((id) => id === undefined))
    errors.groups = 'One of the chosen work groups has ended. Choose again.';
  if (input.status !== 'active' && input.status !== 'retired')
    errors.status = 'Choose whether it is still reported.';
  if (hasErrors(errors)) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      unit,
      up_is_better: input.direction === 'up',
      negative_allowed: input.negativeAllowed,
      target,
      target_date: targetDate,
      frequency: input.frequency as IndicatorFrequency,
      status: input.status as 'active' | 'retired',
      groupIds: (groupIds as number[]).sort((a, b) => a - b),
    },
  };
}

export type SaveIndicatorResult =
  | Validated<
      IndicatorField,
      { indicator: Indicator; groupIds: number[]; created: boolean; retired: boolean }
    >
  | (Repeat & { errors?: undefined });

/**
 * Defines or changes an indicator (DESIGN.md, shared measurement: the backbone defines the coalition's
 * indicators). An indicator is never deleted: retiring it stops it being asked for and keeps its values.
 * Every save is kept as a change with the fields as they stood after it. A retired indicator is not
 * brought back; define a new one. With `once` (the form's view), the same form again is a `repeat`.
 */
export async function saveIndicator(
  db: Db,
  teamId: string,
  actorId: string,
  input: IndicatorInput,
  now: Date,
  once?: Once,
): Promise<SaveIndicatorResult> {
  if (await wasTaken(db, once)) return REPEAT;
  const existing = input.id == null ? undefined : await findIndicator(db, teamId, input.id);
  if (input.id != null && !existing)
    return { ok: false, errors: { name: 'This indicator no longer exists.' } };
  if (existing?.status === 'retired')
    return { ok: false, errors: { name: 'This indicator is retired and can no longer be changed.' } };
  const groups = await listActiveWorkGroups(db, teamId);
  const checked = await validate(db, teamId, input, groups);
  if (!checked.ok) return unlessTwinTook(db, once, checked);
  const { groupIds, ...fields } = checked.value;
  const retired = fields.status === 'retired';
  return db.transaction().execute(async (tx): Promise<SaveIndicatorResult> => {
    if (!(await takeOnce(tx, once, now))) return REPEAT;
    const indicator = existing
      ? await updateIndicator(tx, teamId, existing.id, {
          ...fields,
          updated_at: now,
          ...(retired ? { retired_at: now } : {}),
        })
      : await insertIndicator(tx, {
          ...fields,
          team_id: teamId,
          created_by: actorId,
          created_at: now,
          updated_at: now,
          retired_at: retired ? now : null,
        });
    await setGroupsReporting(tx, teamId, indicator.id, groupIds);
    await recordIndicatorChange(tx, {
      indicatorId: indicator.id,
      teamId,
      kind: !existing ? 'defined' : retired ? 'retired' : 'changed',
      actorId,
      at: now,
      fields: { ...fields, groupIds },
    });
    return { ok: true, value: { indicator, groupIds, created: !existing, retired } };
  });
}

/** Every indicator of the workspace (active first) with the groups reporting it. */
export async function indicatorsWithGroups(db: Db, teamId: string): Promise<IndicatorWithGroups[]> {
  const indicators = await listIndicators(db, teamId);
  const groups = await groupsReporting(
    db,
    indicators.map((i) => i.id),
  );
  return indicators.map((indicator) => ({ indicator, groupIds: groups.get(indicator.id) ?? [] }));
}

/** One indicator with its groups, for its form; undefined when there is none by that id. */
export async function indicatorWithGroups(
  db: Db,
  teamId: string,
  id: number,
): Promise<IndicatorWithGroups | undefined> {
  const indicator = await findIndicator(db, teamId, id);
  if (!indicator) return undefined;
  return { indicator, groupIds: (await groupsReporting(db, [id])).get(id) ?? [] };
}

/**
 * A group's value for the period holding `day`, given outside a check-in: reports from before the
 * coalition used Concert (the sandbox's history). The same rules as in the check-in: checkValue, an active
 * indicator the group reports, one value per group and period (a later one corrects it; every one is kept).
 */
export async function recordIndicatorValue(
  db: Db,
  given: { teamId: string; indicatorId: number; groupId: number; day: IsoDate; value: string; by: string },
  now: Date,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const indicator = await findIndicator(db, given.teamId, given.indicatorId);
  if (indicator?.status !== 'active') return { ok: false, error: 'That indicator is not reported any more.' };
  const reporting = (await groupsReporting(db, [indicator.id])).get(indicator.id) ?? [];
  if (!reporting.includes(given.groupId))
    return { ok: false, error: 'That work group does not report this indicator.' };
  const checked = checkValue(indicator, given.value);
  if (checked.error || checked.value === undefined)
    return { ok: false, error: checked.error ?? 'Enter a number.' };
  const value = checked.value;
  await db.transaction().execute((tx) =>
    saveIndicatorValue(tx, {
      teamId: given.teamId,
      indicatorId: indicator.id,
      groupId: given.groupId,
      periodStart: periodStart(indicator.frequency, given.day),
      value,
      by: given.by,
      at: now,
      checkinId: null,
    }),
  );
  return { ok: true };
}
