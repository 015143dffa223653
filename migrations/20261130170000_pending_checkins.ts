import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The check-ins still waiting for an answer, by their close: a check-ins tick reads the members to prompt and
 * to remind from these alone (a pending check-in is in a round still open), not from every check-in ever made.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('checkins_pending')
    .on('checkins')
    .columns(['team_id', 'closes_at'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('checkins_pending').execute();
}
