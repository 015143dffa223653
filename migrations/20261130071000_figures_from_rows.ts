import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the digest's figures read from the steps' rows (src/db/figures.ts):
 * - steps by the moment they closed: those closed since a period's end (open at it), drops in a period;
 * - renegotiations and drops by time, carrying what the figures read of them, so the steps redated since a
 *   period's end and the changes made during it are read from the index alone.
 * The index of done and drop events by step is no longer read: a step's closing is on its row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('action_steps_closed')
    .on('action_steps')
    .columns(['team_id', 'closed_at'])
    .where(sql.ref('closed_at'), 'is not', null)
    .execute();
  await sql`
    create index action_step_events_changes on action_step_events (team_id, at)
    include (kind, action_step_id, old_due_date)
    where kind in ('renegotiated', 'dropped')`.execute(db);
  await db.schema.dropIndex('action_step_events_closing').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('action_step_events_closing')
    .on('action_step_events')
    .columns(['action_step_id', 'at', 'id'])
    .where(sql.ref('kind'), 'in', sql`('done', 'dropped')`)
    .execute();
  await db.schema.dropIndex('action_step_events_changes').execute();
  await db.schema.dropIndex('action_steps_closed').execute();
}
