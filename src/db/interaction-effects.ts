import type { Db } from './database.js';

/**
 * One form submission or button click, as Slack would deliver it again: `key` names the view (its id and
 * hash) or the message action (the message as shown, and the action on it), never the delivery.
 */
export interface Once {
  teamId: string;
  key: string;
}

/**
 * Takes `once` inside the transaction of its effect: true the first time, false when another delivery
 * already took it (and committed). A second taker at the same moment waits on the first's row and gets
 * false once the first commits, or true if the first rolled back. Without `once` there is nothing to
 * take: true.
 */
export async function takeOnce(tx: Db, once: Once | undefined, now: Date): Promise<boolean> {
  if (!once) return true;
  const taken = await tx
    .insertInto('interaction_effects')
    .values({ team_id: once.teamId, interaction_key: once.key, taken_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('interaction_key')
    .executeTakeFirst();
  return taken !== undefined;
}

/** Gives `once` back, for an effect that did not happen after all (Slack refused the message it was). */
export async function giveBackOnce(db: Db, once: Once | undefined): Promise<void> {
  if (!once) return;
  await db
    .deleteFrom('interaction_effects')
    .where('team_id', '=', once.teamId)
    .where('interaction_key', '=', once.key)
    .execute();
}

/** Forgets interactions taken before `before`; returns how many. */
export async function pruneInteractionEffects(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('interaction_effects').where('taken_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Whether `once` was already taken: for a refusal that would otherwise answer a repeat a second time. */
export async function wasTaken(db: Db, once: Once | undefined): Promise<boolean> {
  if (!once) return false;
  const row = await db
    .selectFrom('interaction_effects')
    .select('interaction_key')
    .where('team_id', '=', once.teamId)
    .where('interaction_key', '=', once.key)
    .executeTakeFirst();
  return row !== undefined;
}
