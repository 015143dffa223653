import { type Kysely, sql } from 'kysely';

/**
 * Shared measurement: the coalition's indicators (what it agrees to track, and how), which work groups
 * report each, every change to an indicator, and the values the groups report, one per group and period,
 * with every value given before a correction kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('indicators')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('up_is_better', 'boolean', (c) => c.notNull())
    .addColumn('negative_allowed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('target', 'numeric')
    .addColumn('target_date', 'date')
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('weekly', 'monthly')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'retired')`),
    )
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('retired_at', 'timestamptz')
    .execute();
  await sql`create unique index indicators_name on indicators (team_id, lower(name)) where status = 'active'`.execute(
    db,
  );
  await db.schema
    .createTable('indicator_groups')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id'))
    .addColumn('work_group_id', 'integer', (c) => c.notNull().references('work_groups.id'))
    .addPrimaryKeyConstraint('indicator_groups_pk', ['indicator_id', 'work_group_id'])
    .execute();
  await db.schema
    .createIndex('indicator_groups_by_group')
    .on('indicator_groups')
    .columns(['work_group_id'])
    .execute();
  // Every change to an indicator, with the indicator as it stood after it: defined, changed or retired.
  await db.schema
    .createTable('indicator_changes')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('defined', 'changed', 'retired')`))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('indicator_changes_by_indicator')
    .on('indicator_changes')
    .columns(['indicator_id', 'at'])
    .execute();
  // period_start: the Monday of a weekly indicator's week, the first of a monthly one's month.
  await db.schema
    .createTable('indicator_values')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id'))
    .addColumn('work_group_id', 'integer', (c) => c.notNull().references('work_groups.id'))
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('value', 'numeric', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('checkin_id', 'integer', (c) => c.references('checkins.id'))
    .addUniqueConstraint('indicator_values_once', ['indicator_id', 'work_group_id', 'period_start'])
    .execute();
  await db.schema
    .createIndex('indicator_values_by_period')
    .on('indicator_values')
    .columns(['team_id', 'period_start'])
    .execute();
  // Each value given, the corrected ones too: who gave it, when, from which check-in.
  await db.schema
    .createTable('indicator_value_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('value_id', 'integer', (c) => c.notNull().references('indicator_values.id'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('value', 'numeric', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('checkin_id', 'integer', (c) => c.references('checkins.id'))
    .execute();
  await db.schema
    .createIndex('indicator_value_events_by_value')
    .on('indicator_value_events')
    .columns(['value_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('indicator_value_events').execute();
  await db.schema.dropTable('indicator_values').execute();
  await db.schema.dropTable('indicator_changes').execute();
  await db.schema.dropTable('indicator_groups').execute();
  await db.schema.dropTable('indicators').execute();
}
