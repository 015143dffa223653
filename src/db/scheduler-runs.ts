import type { Db } from './database.js';

/** The first instance to claim a slot runs it; every other instance's claim finds the row and backs off. */
export async function claimSlot(
  db: Db,
  slotKey: string,
  instanceId: string,
  now: Date,
  teamId = '*',
): Promise<boolean> {
  const result = await db
    .insertInto('scheduler_runs')
    .values({ team_id: teamId, slot_key: slotKey, instance_id: instanceId, started_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('slot_key')
    .executeTakeFirst();
  return result !== undefined;
}

export async function finishSlot(db: Db, slotKey: string, now: Date, teamId = '*'): Promise<void> {
  await db
    .updateTable('scheduler_runs')
    .set({ finished_at: now })
    .where('team_id', '=', teamId)
    .where('slot_key', '=', slotKey)
    .execute();
}

export async function pruneSlots(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('scheduler_runs').where('started_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
