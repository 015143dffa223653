import { type Kysely, sql } from 'kysely';

/**
 * Ending a partnership as the charter says: the work group's members agree by consensus first, in their own
 * channel, and only then do their representatives present it to the Core.
 * - `proposals.stage`: `core` (put to the Core, as every proposal so far) or `group` (a work group's own
 *   vote on ending its partnership, put to its channel's members);
 * - `proposals.group_decision_id`: for the Core's proposal, the group's vote it came from; unique, so a
 *   group's consensus opens the Core's proposal once however often its close is retried;
 * - action steps may come from a partnership ending (`source = 'partnership'`, `source_ref =
 *   'proposal:<group vote>'`): exploring with the backbone what support would let it continue;
 * - `proposal_statements.gap`: for an ended partnership, how the gap the group leaves will be filled.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('proposals')
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('core').check(sql`stage in ('core', 'group')`))
    .addColumn('group_decision_id', 'integer', (c) => c.references('proposals.id').onDelete('set null'))
    .execute();
  await db.schema
    .createIndex('proposals_one_per_group_decision')
    .on('proposals')
    .columns(['team_id', 'group_decision_id'])
    .unique()
    .execute();
  await db.schema.alterTable('proposal_statements').addColumn('gap', 'text').execute();
  await sql`alter table action_steps drop constraint action_steps_source_check`.execute(db);
  await sql`alter table action_steps add constraint action_steps_source_check
    check (source in ('commit', 'shortcut', 'checkin', 'proposal', 'decision', 'partnership'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from action_steps where source = 'partnership'`.execute(db);
  await sql`alter table action_steps drop constraint action_steps_source_check`.execute(db);
  await sql`alter table action_steps add constraint action_steps_source_check
    check (source in ('commit', 'shortcut', 'checkin', 'proposal', 'decision'))`.execute(db);
  await db.schema.alterTable('proposal_statements').dropColumn('gap').execute();
  await db.schema.dropIndex('proposals_one_per_group_decision').execute();
  await db.schema.alterTable('proposals').dropColumn('group_decision_id').dropColumn('stage').execute();
}
