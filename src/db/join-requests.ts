import type { Db } from './database.js';
import type { JoinRequest } from './schema.js';

/** A new request to join; undefined, and nothing inserted, when the same form already made one. */
export async function insertJoinRequest(
  db: Db,
  request: Omit<JoinRequest, 'id'>,
): Promise<JoinRequest | undefined> {
  return db
    .insertInto('join_requests')
    .values(request)
    .onConflict((oc) => oc.columns(['team_id', 'view_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findJoinRequest(db: Db, teamId: string, id: number): Promise<JoinRequest | undefined> {
  return db
    .selectFrom('join_requests')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findJoinRequestByView(
  db: Db,
  teamId: string,
  viewId: string,
): Promise<JoinRequest | undefined> {
  return db
    .selectFrom('join_requests')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('view_id', '=', viewId)
    .executeTakeFirst();
}
