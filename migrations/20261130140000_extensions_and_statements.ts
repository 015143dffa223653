import { type Kysely, sql } from 'kysely';

/**
 * More time, and a record of what was decided:
 * - `proposal_extensions` keeps each extension of a vote's deadline, the old and the new time, by whom;
 * - `proposal_statements` holds a closed proposal's outcome statement (what was decided, what happens
 *   next), one per proposal;
 * - action steps may come from a decision (`source = 'decision'`, `source_ref = 'proposal:<id>'`): the
 *   outcome statement's next steps.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('proposal_extensions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('old_closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('new_closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('extended_by', 'text', (c) => c.notNull())
    .addColumn('extended_at', 'timestamptz', (c) => c.notNull())
    .addColumn('view_id', 'text')
    .execute();
  await db.schema
    .createIndex('proposal_extensions_by_proposal')
    .on('proposal_extensions')
    .columns(['proposal_id', 'id'])
    .execute();
  await db.schema
    .createIndex('proposal_extensions_one_per_form')
    .on('proposal_extensions')
    .columns(['team_id', 'view_id'])
    .unique()
    .execute();
  await db.schema
    .createTable('proposal_statements')
    .addColumn('proposal_id', 'integer', (c) => c.primaryKey().references('proposals.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('decided', 'text', (c) => c.notNull())
    .addColumn('next', 'text')
    .addColumn('written_by', 'text', (c) => c.notNull())
    .addColumn('written_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`alter table action_steps drop constraint action_steps_source_check`.execute(db);
  await sql`alter table action_steps add constraint action_steps_source_check
    check (source in ('commit', 'shortcut', 'checkin', 'proposal', 'decision'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table action_steps drop constraint action_steps_source_check`.execute(db);
  await sql`alter table action_steps add constraint action_steps_source_check
    check (source in ('commit', 'shortcut', 'checkin', 'proposal'))`.execute(db);
  await db.schema.dropTable('proposal_statements').execute();
  await db.schema.dropTable('proposal_extensions').execute();
}
