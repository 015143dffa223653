import type { Db } from './database.js';
import type { Indicator, IndicatorChangeKind, IndicatorValue, NewIndicator } from './indicator-schema.js';

export async function findIndicator(db: Db, teamId: string, id: number): Promise<Indicator | undefined> {
  return db
    .selectFrom('indicators')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The workspace's indicators, the active ones first, each by name. */
export async function listIndicators(db: Db, teamId: string): Promise<Indicator[]> {
  return db
    .selectFrom('indicators')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('status')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function findActiveIndicatorByName(
  db: Db,
  teamId: string,
  name: string,
): Promise<Indicator | undefined> {
  return db
    .selectFrom('indicators')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('status', '=', 'active')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

/** The work groups reporting each of these indicators, by indicator id. */
export async function groupsReporting(
  db: Db,
  indicatorIds: readonly number[],
): Promise<Map<number, number[]>> {
  const result = new Map<number, number[]>(indicatorIds.map((id) => [id, []]));
  if (indicatorIds.length === 0) return result;
  const rows = await db
    .selectFrom('indicator_groups')
    .select(['indicator_id', 'work_group_id'])
    .where('indicator_id', 'in', indicatorIds)
    .orderBy('work_group_id')
    .execute();
  for (const row of rows) result.get(row.indicator_id)?.push(row.work_group_id);
  return result;
}

/** The active indicators a work group reports, by name. */
export async function activeIndicatorsOfGroup(db: Db, teamId: string, groupId: number): Promise<Indicator[]> {
  return db
    .selectFrom('indicators as i')
    .innerJoin('indicator_groups as g', 'g.indicator_id', 'i.id')
    .selectAll('i')
    .where('i.team_id', '=', teamId)
    .where('g.work_group_id', '=', groupId)
    .where('i.status', '=', 'active')
    .orderBy('i.name')
    .orderBy('i.id')
    .execute();
}

export async function insertIndicator(db: Db, row: NewIndicator): Promise<Indicator> {
  return db.insertInto('indicators').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateIndicator(
  db: Db,
  teamId: string,
  id: number,
  fields: Partial<Omit<NewIndicator, 'id' | 'team_id'>>,
): Promise<Indicator> {
  return db
    .updateTable('indicators')
    .set(fields)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces the groups reporting an indicator. */
export async function setGroupsReporting(
  db: Db,
  teamId: string,
  indicatorId: number,
  groupIds: readonly number[],
): Promise<void> {
  await db.deleteFrom('indicator_groups').where('indicator_id', '=', indicatorId).execute();
  if (groupIds.length === 0) return;
  await db
    .insertInto('indicator_groups')
    .values(groupIds.map((work_group_id) => ({ team_id: teamId, indicator_id: indicatorId, work_group_id })))
    .execute();
}

export async function recordIndicatorChange(
  db: Db,
  change: {
    indicatorId: number;
    teamId: string;
    kind: IndicatorChangeKind;
    actorId: string;
    at: Date;
    fields: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('indicator_changes')
    .values({
      indicator_id: change.indicatorId,
      team_id: change.teamId,
      kind: change.kind,
      actor_id: change.actorId,
      at: change.at,
      fields: JSON.stringify(change.fields),
    })
    .execute();
}

export async function indicatorChanges(db: Db, teamId: string, indicatorId: number) {
  return db
    .selectFrom('indicator_changes')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('indicator_id', '=', indicatorId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** A group's values of these indicators for one period each, by indicator id. */
export async function valuesOfGroup(
  db: Db,
  groupId: number,
  periods: readonly { indicatorId: number; periodStart: string }[],
): Promise<Map<number, IndicatorValue>> {
  const result = new Map<number, IndicatorValue>();
  if (periods.length === 0) return result;
  const rows = await db
    .selectFrom('indicator_values')
    .selectAll()
    .where('work_group_id', '=', groupId)
    .where((eb) =>
      eb.or(
        periods.map((p) =>
          eb.and([eb('indicator_id', '=', p.indicatorId), eb('period_start', '=', p.periodStart)]),
        ),
      ),
    )
    .execute();
  for (const row of rows) result.set(row.indicator_id, row);
  return result;
}

/**
 * Sets a group's value for a period, keeping every value given (the first and each correction) as an
 * event. Returns false when the value was already this one (nothing written).
 */
export async function saveIndicatorValue(
  db: Db,
  row: {
    teamId: string;
    indicatorId: number;
    groupId: number;
    periodStart: string;
    value: number;
    by: string;
    at: Date;
    checkinId: number | null;
  },
): Promise<boolean> {
  const existing = await db
    .selectFrom('indicator_values')
    .selectAll()
    .where('indicator_id', '=', row.indicatorId)
    .where('work_group_id', '=', row.groupId)
    .where('period_start', '=', row.periodStart)
    .forUpdate()
    .executeTakeFirst();
  if (existing && existing.value === row.value) return false;
  const fields = {
    value: row.value,
    reported_by: row.by,
    reported_at: row.at,
    checkin_id: row.checkinId,
  };
  const saved = existing
    ? await db
        .updateTable('indicator_values')
        .set(fields)
        .where('id', '=', existing.id)
        .returning('id')
        .executeTakeFirstOrThrow()
    : await db
        .insertInto('indicator_values')
        .values({
          ...fields,
          team_id: row.teamId,
          indicator_id: row.indicatorId,
          work_group_id: row.groupId,
          period_start: row.periodStart,
        })
        .onConflict((oc) => oc.columns(['indicator_id', 'work_group_id', 'period_start']).doUpdateSet(fields))
        .returning('id')
        .executeTakeFirstOrThrow();
  await db
    .insertInto('indicator_value_events')
    .values({ ...fields, value_id: saved.id, team_id: row.teamId })
    .execute();
  return true;
}

/** Every value of the workspace's indicators with periods in [from, to], with each group's name. */
export async function valuesBetween(db: Db, teamId: string, from: string, to: string) {
  return db
    .selectFrom('indicator_values as v')
    .innerJoin('work_groups as g', 'g.id', 'v.work_group_id')
    .select([
      'v.indicator_id',
      'v.work_group_id',
      'g.name as work_group',
      'v.period_start',
      'v.value',
      'v.reported_by',
      'v.reported_at',
    ])
    .where('v.team_id', '=', teamId)
    .where('v.period_start', '>=', from)
    .where('v.period_start', '<=', to)
    .orderBy('v.indicator_id')
    .orderBy('v.period_start')
    .orderBy('g.name')
    .execute();
}

/** Every value given, corrections included, for the export: one row per value given. */
export async function indicatorValueHistory(db: Db, teamId: string) {
  return db
    .selectFrom('indicator_value_events as e')
    .innerJoin('indicator_values as v', 'v.id', 'e.value_id')
    .innerJoin('indicators as i', 'i.id', 'v.indicator_id')
    .innerJoin('work_groups as g', 'g.id', 'v.work_group_id')
    .select([
      'i.id as indicator_id',
      'i.name as indicator',
      'i.unit',
      'i.frequency',
      'i.status as indicator_status',
      'g.name as work_group',
      'v.period_start',
      'e.value',
      'e.reported_by',
      'e.reported_at',
      'v.value as current_value',
    ])
    .where('e.team_id', '=', teamId)
    .orderBy('i.name')
    .orderBy('v.period_start')
    .orderBy('g.name')
    .orderBy('e.reported_at')
    .orderBy('e.id')
    .execute();
}

/** The names of these work groups (ended ones too), by id. */
export async function workGroupNames(
  db: Db,
  teamId: string,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('work_groups')
    .select(['id', 'name'])
    .where('team_id', '=', teamId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
