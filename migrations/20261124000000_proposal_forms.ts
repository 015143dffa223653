import type { Kysely } from 'kysely';

/**
 * The form each proposal was submitted from. A slow answer to Slack leaves the form open, and submitted
 * again it must not open a second proposal: one form, one proposal, per workspace.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('proposals').addColumn('view_id', 'text').execute();
  await db.schema
    .createIndex('proposals_one_per_form')
    .on('proposals')
    .columns(['team_id', 'view_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('proposals_one_per_form').execute();
  await db.schema.alterTable('proposals').dropColumn('view_id').execute();
}
