import type { Kysely } from 'kysely';

/**
 * A queued post whose outcome Concert never heard (a timeout, a reset, a 5xx, a crash mid-send) may be in
 * Slack already: `unconfirmed_since` is when the first such try began, and the conversation is searched from
 * then for the message (by the outbox key in its metadata) before it is posted again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('unconfirmed_since', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('unconfirmed_since').execute();
}
