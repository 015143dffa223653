import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Takes the next place in a rate shared by every instance (the generic cell rate algorithm, kept in one row
 * per workspace): a post asking at `at` goes at the returned time, no sooner than `at`, so that posts across all
 * instances keep to `perSecond` with at most `burst` at once. `teamId` names the workspace. One statement; concurrent callers queue on the
 * row's lock for the moment it takes.
 */
export async function reserveSendSlot(
  db: Db,
  teamId: string,
  at: Date,
  limit: { perSecond: number; burst: number },
): Promise<Date> {
  const intervalMs = 1000 / limit.perSecond;
  const toleranceMs = (Math.max(1, limit.burst) - 1) * intervalMs;
  const interval = sql`${intervalMs} * interval '1 millisecond'`;
  const row = await db
    .insertInto('send_pace')
    .values({ team_id: teamId, tat: sql<Date>`${at}::timestamptz + ${interval}` })
    .onConflict((oc) =>
      oc
        .column('team_id')
        .doUpdateSet({ tat: sql<Date>`greatest(send_pace.tat, ${at}::timestamptz) + ${interval}` }),
    )
    .returning('tat')
    .executeTakeFirstOrThrow();
  const tat = new Date(row.tat).getTime();
  return new Date(Math.max(at.getTime(), tat - intervalMs - toleranceMs));
}
