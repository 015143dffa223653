import { type Kysely, sql } from 'kysely';

/**
 * Enterprise Grid: an org-wide install (`is_enterprise_install`) is one installation for every workspace of
 * the org, kept under the org's enterprise ID in `installations.team_id` (the installation's key); each
 * workspace of the org records its enterprise when it is set up, so its jobs find the org's token, while its
 * data stays its own, by its own team ID.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('installations')
    .addColumn('is_enterprise_install', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable('workspaces').addColumn('enterprise_id', 'text').execute();
  await sql`create index workspaces_enterprise on workspaces (enterprise_id) where enterprise_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index workspaces_enterprise`.execute(db);
  await db.schema.alterTable('workspaces').dropColumn('enterprise_id').execute();
  await db.schema.alterTable('installations').dropColumn('is_enterprise_install').execute();
}
