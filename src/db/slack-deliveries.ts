import { sql } from 'kysely';
import type { Db } from './database.js';
import { findPerson } from './people.js';
import type { Person } from './schema.js';

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

/**
 * What a request needs before its ack, in one statement (one round trip): records the delivery under `key`
 * (`recorded` false when it was already recorded: a redelivery), and reads the person acting in it as last
 * known (`person`, undefined when unknown). Without a key nothing is recorded (`recorded` true); without a
 * user nobody is read.
 */
export async function receiveDelivery(
  db: Db,
  delivery: { teamId: string; key: string | undefined; userId: string | undefined },
  now: Date,
): Promise<{ recorded: boolean; person: Person | undefined }> {
  const { teamId, key, userId } = delivery;
  if (key === undefined) {
    return {
      recorded: true,
      person: userId === undefined ? undefined : await findPerson(db, teamId, userId),
    };
  }
  if (userId === undefined)
    return { recorded: await recordDelivery(db, teamId, key, now), person: undefined };
  const row = await db
    .with('recorded', (qb) =>
      qb
        .insertInto('slack_deliveries')
        .values({ team_id: teamId, delivery_key: key, received_at: now })
        .onConflict((oc) => oc.doNothing())
        .returning('delivery_key'),
    )
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('one'))
    .leftJoin('people', (join) => join.on('people.team_id', '=', teamId).on('people.user_id', '=', userId))
    .selectAll('people')
    .select((eb) => eb.selectFrom('recorded').select(eb.fn.countAll<string>().as('n')).as('recorded'))
    .executeTakeFirstOrThrow();
  const { recorded, ...person } = row;
  return {
    recorded: Number(recorded) > 0,
    person: person.user_id === null ? undefined : (person as Person),
  };
}
