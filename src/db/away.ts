import type { Db } from './database.js';
import type { AwayNotice } from './schema.js';

export async function findAway(db: Db, teamId: string, userId: string): Promise<AwayNotice | undefined> {
  return db
    .selectFrom('away_notices')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function setAway(db: Db, teamId: string, userId: string, until: string, now: Date) {
  await db
    .insertInto('away_notices')
    .values({ team_id: teamId, user_id: userId, away_until: until, set_at: now })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ away_until: until, set_at: now }))
    .execute();
}

export async function clearAway(db: Db, teamId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('away_notices')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Everyone in the workspace away on some day on or after `from`, with their last day away. */
export async function awayFrom(db: Db, teamId: string, from: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('away_notices')
    .select(['user_id', 'away_until'])
    .where('team_id', '=', teamId)
    .where('away_until', '>=', from)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.away_until]));
}
