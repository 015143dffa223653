import { type Kysely, sql } from 'kysely';

/**
 * When the backbone's weekly digest goes out, on the workspace's default time zone's clock, and whether the
 * public records name who voted how.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('digest_weekday', 'smallint', (c) =>
      c.notNull().defaultTo(1).check(sql`digest_weekday between 1 and 7`),
    )
    .addColumn('digest_minute', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(8 * 60)
        .check(sql`digest_minute between 0 and 1439`),
    )
    .addColumn('records_show_voters', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .dropColumn('digest_weekday')
    .dropColumn('digest_minute')
    .dropColumn('records_show_voters')
    .execute();
}
