import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the digest's figures and the scheduler's ticks, so each reads what its period or its moment
 * concerns rather than the whole history:
 * - the steps due in a period, by date whatever their status (the digest's standings);
 * - a step's done or drop event (whether, and when, it closed before a moment);
 * - requests for support before a moment (the digest's open requests);
 * - open steps in (due date, id) order, so the nudges tick reads them in pages by keyset;
 * - rounds closed since a moment (the reports still to post).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('action_steps_due')
    .on('action_steps')
    .columns(['team_id', 'due_date'])
    .execute();
  await db.schema
    .createIndex('action_step_events_closing')
    .on('action_step_events')
    .columns(['action_step_id', 'at', 'id'])
    .where(sql.ref('kind'), 'in', sql`('done', 'dropped')`)
    .execute();
  await db.schema
    .createIndex('action_step_events_support')
    .on('action_step_events')
    .columns(['team_id', 'at'])
    .where(sql.ref('kind'), '=', 'support_requested')
    .execute();
  await db.schema.dropIndex('action_steps_open_due').execute();
  await db.schema
    .createIndex('action_steps_open_due')
    .on('action_steps')
    .columns(['team_id', 'due_date', 'id'])
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema
    .createIndex('checkin_rounds_closed')
    .on('checkin_rounds')
    .columns(['team_id', 'closed_at'])
    .where(sql.ref('closed_at'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('checkin_rounds_closed').execute();
  await db.schema.dropIndex('action_steps_open_due').execute();
  await db.schema
    .createIndex('action_steps_open_due')
    .on('action_steps')
    .columns(['team_id', 'due_date'])
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema.dropIndex('action_step_events_support').execute();
  await db.schema.dropIndex('action_step_events_closing').execute();
  await db.schema.dropIndex('action_steps_due').execute();
}
