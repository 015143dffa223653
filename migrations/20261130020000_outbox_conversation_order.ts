import { type Kysely, sql } from 'kysely';

/**
 * Messages to one conversation go in the order they were queued: a claim looks for earlier unsent rows to
 * the same channel, which this index finds without reading the sent history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('outbox_conversation')
    .on('outbox')
    .columns(['team_id', 'channel_id', 'id'])
    .where(sql.ref('status'), 'in', sql`('pending', 'sending')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_conversation').execute();
}
