import type { Kysely } from 'kysely';

/**
 * Blocks are principled: a Block names which of the coalition's shared commitments the proposal would
 * break (the common agenda, the charter's accountabilities, or another, said in its reason). Kept on the
 * position and on each of its events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('proposal_votes').addColumn('block_ground', 'text').execute();
  await db.schema.alterTable('proposal_vote_events').addColumn('block_ground', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('proposal_vote_events').dropColumn('block_ground').execute();
  await db.schema.alterTable('proposal_votes').dropColumn('block_ground').execute();
}
