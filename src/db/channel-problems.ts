import type { Db } from './database.js';
import type { ChannelProblem, ChannelProblemsTable } from './schema.js';

export type ChannelProblemRow = ChannelProblemsTable;

/**
 * Records that Concert cannot reach a channel. The first report fixes `since`; a later one with another
 * reason only updates the reason. Returns the row and whether it is new (so its notice is queued once).
 */
export async function recordChannelProblem(
  db: Db,
  teamId: string,
  channelId: string,
  problem: ChannelProblem,
  now: Date,
): Promise<{ row: ChannelProblemRow; isNew: boolean }> {
  const inserted = await db
    .insertInto('channel_problems')
    .values({ team_id: teamId, channel_id: channelId, problem, since: now })
    .onConflict((oc) => oc.columns(['team_id', 'channel_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, isNew: true };
  const row = await db
    .updateTable('channel_problems')
    .set({ problem })
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, isNew: false };
}

/** Forgets a channel's problem; returns the row that was there, if any. */
export async function clearChannelProblem(
  db: Db,
  teamId: string,
  channelId: string,
): Promise<ChannelProblemRow | undefined> {
  return db
    .deleteFrom('channel_problems')
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .returningAll()
    .executeTakeFirst();
}

export async function findChannelProblem(
  db: Db,
  teamId: string,
  channelId: string,
): Promise<ChannelProblemRow | undefined> {
  return db
    .selectFrom('channel_problems')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
}

/** Every unreachable channel of every workspace, keyed `team/channel`: read once per delivery run. */
export async function listChannelProblems(db: Db): Promise<Map<string, ChannelProblemRow>> {
  const rows = await db.selectFrom('channel_problems').selectAll().execute();
  return new Map(rows.map((r) => [`${r.team_id}/${r.channel_id}`, r]));
}

/** The channels of one workspace that Concert cannot reach now, with why. */
export async function unreachableChannels(db: Db, teamId: string): Promise<Map<string, ChannelProblem>> {
  const rows = await db
    .selectFrom('channel_problems')
    .select(['channel_id', 'problem'])
    .where('team_id', '=', teamId)
    .execute();
  return new Map(rows.map((r) => [r.channel_id, r.problem]));
}
