import { type Kysely, sql } from 'kysely';

/**
 * Each workspace's own public records page: the address chosen in setup (`/records/<address>`), unique across
 * the workspaces one server serves; none means the workspace's records are not public.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('records_address', 'text').execute();
  await sql`create unique index workspaces_records_address on workspaces (records_address)
    where records_address is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index workspaces_records_address`.execute(db);
  await db.schema.alterTable('workspaces').dropColumn('records_address').execute();
}
