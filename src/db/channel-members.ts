import type { Db } from './database.js';
import { inPages } from './pages.js';

export async function addChannelMember(
  db: Db,
  teamId: string,
  channelId: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insertInto('channel_members')
    .values({ team_id: teamId, channel_id: channelId, user_id: userId, joined_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function removeChannelMember(
  db: Db,
  teamId: string,
  channelId: string,
  userId: string,
): Promise<boolean> {
  const deleted = await db
    .deleteFrom('channel_members')
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

export async function channelMemberIds(db: Db, teamId: string, channelId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('channel_members')
    .select('user_id')
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function channelsOfUser(db: Db, teamId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('channel_members')
    .select('channel_id')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.channel_id);
}

/** Makes the stored members of a channel exactly `userIds`; returns who was added and who removed. */
export async function replaceChannelMembers(
  db: Db,
  teamId: string,
  channelId: string,
  userIds: readonly string[],
  now: Date,
): Promise<{ added: string[]; removed: string[] }> {
  return db.transaction().execute(async (trx) => {
    const current = new Set(await channelMemberIds(trx, teamId, channelId));
    const wanted = new Set(userIds);
    const added = [...wanted].filter((id) => !current.has(id));
    const removed = [...current].filter((id) => !wanted.has(id));
    await inPages(removed, (page) =>
      trx
        .deleteFrom('channel_members')
        .where('team_id', '=', teamId)
        .where('channel_id', '=', channelId)
        .where('user_id', 'in', page)
        .execute(),
    );
    if (added.length > 0) {
      await trx
        .insertInto('channel_members')
        .values(added.map((user_id) => ({ team_id: teamId, channel_id: channelId, user_id, joined_at: now })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    return { added: added.sort(), removed: removed.sort() };
  });
}

/** Drops membership kept for channels that no longer carry a role. */
export async function forgetChannelsExcept(db: Db, teamId: string, keep: ReadonlySet<string>): Promise<void> {
  let query = db.deleteFrom('channel_members').where('team_id', '=', teamId);
  if (keep.size > 0) query = query.where('channel_id', 'not in', [...keep]);
  await query.execute();
}

/** Takes someone out of every channel Concert keeps members of (their account was deactivated). */
export async function removeFromAllChannels(db: Db, teamId: string, userId: string): Promise<number> {
  const result = await db
    .deleteFrom('channel_members')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
