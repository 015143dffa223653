import type { Kysely } from 'kysely';

/**
 * One row per form submission or button click that took effect, written in the same transaction as the
 * effect: a view (its id and hash) or a message action (the message as shown and the action) acts once,
 * however many times Slack delivers it or a person clicks it, even at the same moment on two connections.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('interaction_effects')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('interaction_key', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('interaction_effects_pk', ['team_id', 'interaction_key'])
    .execute();
  await db.schema
    .createIndex('interaction_effects_taken_at')
    .on('interaction_effects')
    .column('taken_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('interaction_effects').execute();
}
