import { type Kysely, sql } from 'kysely';

/**
 * Concerns and amendments while a proposal is open (formal consensus as the charter practises it):
 * - `proposals.text_version` counts the texts the proposal has had (1 until it is first amended), and
 *   `amended_at` says when it last was;
 * - `proposal_texts` keeps every earlier text, for the record, with who replaced it and when;
 * - each position (`proposal_votes`, and its events) says which text it was given on, so a position on an
 *   earlier text counts only once its voter confirms it on the final text;
 * - `proposal_concerns` holds the concerns raised under a proposal, with who raised them and whether they
 *   were resolved.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('proposals')
    .addColumn('text_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('amended_at', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('proposal_votes')
    .addColumn('text_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('proposal_vote_events')
    .addColumn('text_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('proposal_texts')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('replaced_by', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'timestamptz', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('proposal_texts_pk', ['proposal_id', 'version'])
    .execute();
  await db.schema
    .createTable('proposal_concerns')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('raised_by', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_version', 'integer', (c) => c.notNull())
    .addColumn('raised_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('view_id', 'text')
    .execute();
  await db.schema
    .createIndex('proposal_concerns_by_proposal')
    .on('proposal_concerns')
    .columns(['proposal_id', 'id'])
    .execute();
  await db.schema
    .createIndex('proposal_concerns_one_per_form')
    .on('proposal_concerns')
    .columns(['team_id', 'view_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('proposal_concerns').execute();
  await db.schema.dropTable('proposal_texts').execute();
  await db.schema.alterTable('proposal_vote_events').dropColumn('text_version').execute();
  await db.schema.alterTable('proposal_votes').dropColumn('text_version').execute();
  await db.schema.alterTable('proposals').dropColumn('amended_at').dropColumn('text_version').execute();
}
