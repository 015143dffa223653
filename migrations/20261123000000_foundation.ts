import { type Kysely, sql } from 'kysely';

// Frozen: this migration must keep producing the same schema forever, so it imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('core_channel_id', 'text')
    .addColumn('backbone_channel_id', 'text')
    .addColumn('default_tz', 'text', (c) => c.notNull().defaultTo('America/New_York'))
    .addColumn('workday_start_minute', 'integer', (c) => c.notNull().defaultTo(9 * 60))
    .addColumn('workday_end_minute', 'integer', (c) => c.notNull().defaultTo(17 * 60))
    .addColumn('working_days', sql`smallint[]`, (c) => c.notNull().defaultTo(sql`'{1,2,3,4,5}'`))
    .addColumn('set_up_by', 'text')
    .addColumn('set_up_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('workspaces_workday_order', sql`workday_start_minute < workday_end_minute`)
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tz', 'text')
    .addColumn('is_bot', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_admin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_owner', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('people_pk', ['team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('work_groups')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'ended')`),
    )
    .addColumn('checkin_weekday', 'smallint', (c) => c.notNull().check(sql`checkin_weekday between 1 and 7`))
    .addColumn('checkin_minute', 'integer', (c) => c.notNull().check(sql`checkin_minute between 0 and 1439`))
    .addColumn('tz_mode', 'text', (c) => c.notNull().check(sql`tz_mode in ('group', 'member')`))
    .addColumn('tz', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .execute();
  // One active group per channel and per name; an ended group frees both for a later one.
  await sql`create unique index work_groups_active_channel on work_groups (team_id, channel_id) where status = 'active'`.execute(
    db,
  );
  await sql`create unique index work_groups_active_name on work_groups (team_id, lower(name)) where status = 'active'`.execute(
    db,
  );

  // Members of the channels that carry a role: the Core and backbone channels and every work group's channel.
  await db.schema
    .createTable('channel_members')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('channel_members_pk', ['team_id', 'channel_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('channel_members_by_user')
    .on('channel_members')
    .columns(['team_id', 'user_id'])
    .execute();

  // Slack redelivers what it believes failed; one row per delivery makes a redelivery a no-op.
  await db.schema
    .createTable('slack_deliveries')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('delivery_key', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('slack_deliveries_pk', ['team_id', 'delivery_key'])
    .execute();

  // node-cron's run coordinator: the first instance to insert a slot runs it. A slot serves every workspace,
  // so team_id is '*' for the app-wide ticks and a team for per-workspace ones.
  await db.schema
    .createTable('scheduler_runs')
    .addColumn('team_id', 'text', (c) => c.notNull().defaultTo('*'))
    .addColumn('slot_key', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('scheduler_runs_pk', ['team_id', 'slot_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'scheduler_runs',
    'slack_deliveries',
    'channel_members',
    'work_groups',
    'people',
    'workspaces',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
