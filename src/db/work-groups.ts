import { sql } from 'kysely';
import type { Db } from './database.js';
import type { NewWorkGroup, WorkGroup, WorkGroupUpdate } from './schema.js';

export async function findWorkGroup(db: Db, teamId: string, id: number): Promise<WorkGroup | undefined> {
  return db
    .selectFrom('work_groups')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findActiveWorkGroupByChannel(
  db: Db,
  teamId: string,
  channelId: string,
): Promise<WorkGroup | undefined> {
  return db
    .selectFrom('work_groups')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function findActiveWorkGroupByName(
  db: Db,
  teamId: string,
  name: string,
): Promise<WorkGroup | undefined> {
  return db
    .selectFrom('work_groups')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('status', '=', 'active')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function listActiveWorkGroups(db: Db, teamId: string): Promise<WorkGroup[]> {
  return db
    .selectFrom('work_groups')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('status', '=', 'active')
    .orderBy('name')
    .execute();
}

/**
 * Work groups that existed at some moment of [start, end): made before its end, not ended before its start;
 * by name, each with how many members its channel has now (counted from the membership Concert keeps).
 */
export async function listWorkGroupsDuring(
  db: Db,
  teamId: string,
  start: Date,
  end: Date,
): Promise<(WorkGroup & { members: number })[]> {
  return db
    .selectFrom('work_groups as g')
    .selectAll('g')
    .select((eb) =>
      eb
        .selectFrom('channel_members as m')
        .whereRef('m.team_id', '=', 'g.team_id')
        .whereRef('m.channel_id', '=', 'g.channel_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('members'),
    )
    .where('g.team_id', '=', teamId)
    .where('g.created_at', '<', end)
    .where((eb) => eb.or([eb('g.ended_at', 'is', null), eb('g.ended_at', '>=', start)]))
    .orderBy('g.name')
    .$narrowType<{ members: number }>()
    .execute();
}

/** Active work groups whose channel this user is a member of. */
export async function listWorkGroupsOfMember(db: Db, teamId: string, userId: string): Promise<WorkGroup[]> {
  return db
    .selectFrom('work_groups')
    .innerJoin('channel_members', (join) =>
      join
        .onRef('channel_members.team_id', '=', 'work_groups.team_id')
        .onRef('channel_members.channel_id', '=', 'work_groups.channel_id'),
    )
    .selectAll('work_groups')
    .where('work_groups.team_id', '=', teamId)
    .where('work_groups.status', '=', 'active')
    .where('channel_members.user_id', '=', userId)
    .orderBy('work_groups.name')
    .execute();
}

export async function insertWorkGroup(db: Db, group: NewWorkGroup): Promise<WorkGroup> {
  return db.insertInto('work_groups').values(group).returningAll().executeTakeFirstOrThrow();
}

export async function updateWorkGroup(
  db: Db,
  teamId: string,
  id: number,
  changes: WorkGroupUpdate,
): Promise<WorkGroup> {
  return db
    .updateTable('work_groups')
    .set(changes)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
