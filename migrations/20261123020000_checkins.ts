import { type Kysely, sql } from 'kysely';

/** Weekly check-ins: each group's round, one row per member per round, and who is away. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('work_groups')
    .addColumn('checkin_reminder_hours', 'integer', (c) =>
      c.notNull().defaultTo(24).check(sql`checkin_reminder_hours >= 1`),
    )
    .addColumn('checkin_close_hours', 'integer', (c) =>
      c.notNull().defaultTo(48).check(sql`checkin_close_hours between 2 and 144`),
    )
    .execute();
  await db.schema
    .alterTable('work_groups')
    .addCheckConstraint(
      'work_groups_reminder_before_close',
      sql`checkin_reminder_hours < checkin_close_hours`,
    )
    .execute();

  // A round is one week's check-in of one group; round_date is the check-in day's date.
  await db.schema
    .createTable('checkin_rounds')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('work_group_id', 'integer', (c) => c.notNull().references('work_groups.id'))
    .addColumn('round_date', 'date', (c) => c.notNull())
    .addColumn('opens_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('checkin_rounds_once', ['team_id', 'work_group_id', 'round_date'])
    .execute();
  await db.schema
    .createIndex('checkin_rounds_open')
    .on('checkin_rounds')
    .columns(['closes_at'])
    .where(sql.ref('closed_at'), 'is', null)
    .execute();

  // One row per member asked in a round (or an off-cycle report, round_id null until the next round takes it).
  await db.schema
    .createTable('checkins')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('work_group_id', 'integer', (c) => c.notNull().references('work_groups.id'))
    .addColumn('round_id', 'integer', (c) => c.references('checkin_rounds.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'answered', 'skipped', 'away', 'missed')`),
    )
    .addColumn('opens_at', 'timestamptz')
    .addColumn('reminder_at', 'timestamptz')
    .addColumn('closes_at', 'timestamptz')
    .addColumn('prompted_at', 'timestamptz')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('intention', 'text')
    .addColumn('actions_taken', 'text')
    .addColumn('assessment', 'text', (c) => c.check(sql`assessment in ('on_track', 'at_risk', 'off_track')`))
    .addColumn('assessment_note', 'text')
    .addColumn('support_needed', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('skipped_at', 'timestamptz')
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('view_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('checkins_once_per_round', ['round_id', 'user_id'])
    .execute();
  await sql`create unique index checkins_one_off_cycle on checkins (team_id, work_group_id, user_id) where round_id is null`.execute(
    db,
  );
  await db.schema.createIndex('checkins_by_user').on('checkins').columns(['team_id', 'user_id']).execute();
  await db.schema
    .createIndex('checkins_by_group')
    .on('checkins')
    .columns(['team_id', 'work_group_id', 'answered_at'])
    .execute();

  // What a check-in said of each open action step; the step's own change is an event on it.
  await db.schema
    .createTable('checkin_step_updates')
    .addColumn('checkin_id', 'integer', (c) => c.notNull().references('checkins.id').onDelete('cascade'))
    .addColumn('action_step_id', 'integer', (c) => c.notNull().references('action_steps.id'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('done', 'in_progress', 'not_started', 'dropped')`),
    )
    .addColumn('new_due_date', 'date')
    .addColumn('note', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('checkin_step_updates_pk', ['checkin_id', 'action_step_id'])
    .execute();

  await db.schema
    .createTable('away_notices')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('away_until', 'date', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('away_notices_pk', ['team_id', 'user_id'])
    .execute();

  // Replies in a thread (each report under its round's summary).
  await db.schema.alterTable('outbox').addColumn('thread_ts', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('thread_ts').execute();
  await db.schema.dropTable('away_notices').execute();
  await db.schema.dropTable('checkin_step_updates').execute();
  await db.schema.dropTable('checkins').execute();
  await db.schema.dropTable('checkin_rounds').execute();
  await db.schema.alterTable('work_groups').dropConstraint('work_groups_reminder_before_close').execute();
  await db.schema
    .alterTable('work_groups')
    .dropColumn('checkin_reminder_hours')
    .dropColumn('checkin_close_hours')
    .execute();
}
