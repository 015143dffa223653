import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * When every answered check-in of a closed round had its report queued in the summary's thread. A check-ins
 * tick looks for reports still to post only in the rounds without it, so its cost follows the rounds that
 * closed since the last tick, not every round closed in the last 8 days. A late answer clears it again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('checkin_rounds').addColumn('reports_queued_at', 'timestamptz').execute();
  await db.schema
    .createIndex('checkin_rounds_reports_unqueued')
    .on('checkin_rounds')
    .columns(['team_id', 'closed_at'])
    .where(sql.ref('reports_queued_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('checkin_rounds_reports_unqueued').execute();
  await db.schema.alterTable('checkin_rounds').dropColumn('reports_queued_at').execute();
}
