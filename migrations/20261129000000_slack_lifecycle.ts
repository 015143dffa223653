import { type Kysely, sql } from 'kysely';

/**
 * What Concert learns from Slack's lifecycle: channels it cannot reach (archived, deleted, or Concert
 * removed from them), when a person was deactivated, and a workspace that uninstalled the app or revoked
 * its tokens.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_problems')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('problem', 'text', (c) => c.notNull())
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_problems_pkey', ['team_id', 'channel_id'])
    .execute();
  await db.schema.alterTable('people').addColumn('deactivated_at', 'timestamptz').execute();
  await db.schema
    .alterTable('workspaces')
    .addColumn('uninstalled_at', 'timestamptz')
    .addColumn('uninstall_reason', 'text')
    .execute();
  // Accounts already known to be deactivated count as deactivated from now on.
  await sql`update people set deactivated_at = refreshed_at where deleted`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .dropColumn('uninstall_reason')
    .dropColumn('uninstalled_at')
    .execute();
  await db.schema.alterTable('people').dropColumn('deactivated_at').execute();
  await db.schema.dropTable('channel_problems').execute();
}
