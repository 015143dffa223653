import { type Kysely, sql } from 'kysely';

/**
 * Adding a work group starts with interest: a group that wants to join says so (`/concert join`), with its
 * willingness to meet the coalition's expectations, and the backbone opens the proposal from it. Each
 * request is kept, with the proposal it became once the backbone opens one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('join_requests')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('view_id', 'text')
    .execute();
  await db.schema
    .createIndex('join_requests_one_per_form')
    .on('join_requests')
    .columns(['team_id', 'view_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('join_requests').execute();
}
