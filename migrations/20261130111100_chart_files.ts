import { type Kysely, sql } from 'kysely';

/**
 * Charts as PNG files, each stored once per workspace by its content's hash, and uploaded to Slack once:
 * `file_id` is set by the one instance that held the upload's lease, and every message showing the chart
 * after that uses it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chart_files')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('png', 'bytea', (c) => c.notNull())
    .addColumn('file_id', 'text')
    .addColumn('upload_lease_until', 'timestamptz')
    .addColumn('uploaded_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('chart_files_pk', ['team_id', 'key'])
    .execute();
  await sql`create index chart_files_created on chart_files (created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chart_files').execute();
}
