import type { Db } from './database.js';

/** Records a delivery from Slack; false when it was already recorded, i.e. this one is a redelivery. */
export async function recordDelivery(db: Db, teamId: string, key: string, now: Date): Promise<boolean> {
  const result = await db
    .insertInto('slack_deliveries')
    .values({ team_id: teamId, delivery_key: key, received_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('delivery_key')
    .executeTakeFirst();
  return result !== undefined;
}

/** Lets a delivery whose handling failed be handled again when Slack retries it. */
export async function forgetDelivery(db: Db, teamId: string, key: string): Promise<void> {
  await db
    .deleteFrom('slack_deliveries')
    .where('team_id', '=', teamId)
    .where('delivery_key', '=', key)
    .execute();
}

export async function pruneDeliveries(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('slack_deliveries').where('received_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
