import { type Kysely, sql } from 'kysely';

/** Action steps, their history, nudge settings, and the outbox every scheduled message goes through. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('nudge_repeat_days', 'integer', (c) =>
      c.notNull().defaultTo(2).check(sql`nudge_repeat_days >= 1`),
    )
    .addColumn('nudge_max_overdue', 'integer', (c) =>
      c.notNull().defaultTo(3).check(sql`nudge_max_overdue >= 0`),
    )
    .addColumn('escalate_after_days', 'integer', (c) =>
      c.notNull().defaultTo(3).check(sql`escalate_after_days >= 1`),
    )
    .execute();

  await db.schema
    .createTable('action_steps')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().check(sql`char_length(title) between 1 and 150`))
    .addColumn('details', 'text')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('work_group_id', 'integer', (c) => c.references('work_groups.id'))
    .addColumn('due_date', 'date', (c) => c.notNull())
    .addColumn('first_due_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open', 'done', 'dropped')`),
    )
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('commit', 'shortcut', 'checkin', 'proposal')`),
    )
    .addColumn('source_ref', 'text')
    .addColumn('permalink', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('action_steps_owner_open')
    .on('action_steps')
    .columns(['team_id', 'owner_id', 'due_date'])
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema
    .createIndex('action_steps_open_due')
    .on('action_steps')
    .columns(['team_id', 'due_date'])
    .where(sql.ref('status'), '=', 'open')
    .execute();

  await db.schema
    .createTable('action_step_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('action_step_id', 'integer', (c) =>
      c.notNull().references('action_steps.id').onDelete('cascade'),
    )
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('created', 'done', 'dropped', 'renegotiated', 'support_requested', 'nudged', 'reassigned')`,
        ),
    )
    .addColumn('old_due_date', 'date')
    .addColumn('new_due_date', 'date')
    .addColumn('note', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('action_step_events_step')
    .on('action_step_events')
    .columns(['team_id', 'action_step_id', 'at'])
    .execute();
  await db.schema
    .createIndex('action_step_events_at')
    .on('action_step_events')
    .columns(['team_id', 'at'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('action_step_id', 'integer', (c) => c.references('action_steps.id').onDelete('set null'))
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('blocks', 'jsonb')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'sending', 'sent', 'failed', 'cancelled')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('lease_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('message_channel', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('outbox_once', ['team_id', 'kind', 'dedupe_key'])
    .execute();
  await db.schema
    .createIndex('outbox_due')
    .on('outbox')
    .columns(['next_attempt_at'])
    .where(sql.ref('status'), 'in', sql`('pending', 'sending')`)
    .execute();
  await db.schema.createIndex('outbox_step').on('outbox').columns(['team_id', 'action_step_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox').execute();
  await db.schema.dropTable('action_step_events').execute();
  await db.schema.dropTable('action_steps').execute();
  await db.schema
    .alterTable('workspaces')
    .dropColumn('nudge_repeat_days')
    .dropColumn('nudge_max_overdue')
    .dropColumn('escalate_after_days')
    .execute();
}
