import { type Kysely, sql } from 'kysely';

/**
 * Formal consensus proposals: the proposal, who may vote on it (a snapshot of the Core when it opened),
 * each voter's current position, and every vote and change as an event. Also the workspace's consensus
 * rules, and an outbox column so a queued message can be an update of a message already posted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('consensus_quorum', 'text', (c) =>
      c.notNull().defaultTo('2/3').check(sql`consensus_quorum ~ '^[1-9][0-9]*/[1-9][0-9]*$'`),
    )
    .addColumn('stand_aside_limit', 'text', (c) =>
      c.notNull().defaultTo('1/3').check(sql`stand_aside_limit ~ '^[0-9]+/[1-9][0-9]*$'`),
    )
    .execute();

  await db.schema.alterTable('outbox').addColumn('update_ts', 'text').execute();

  await db.schema
    .createTable('proposals')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('add_work_group', 'end_work_group', 'change_backbone', 'other')`),
    )
    .addColumn('title', 'text', (c) => c.notNull().check(sql`char_length(title) between 1 and 150`))
    .addColumn('details', 'text')
    .addColumn('proposer_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('quorum', 'text', (c) => c.notNull())
    .addColumn('stand_aside_limit', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('remind_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open', 'closed', 'withdrawn')`),
    )
    .addColumn('outcome', 'text', (c) =>
      c.check(sql`outcome in ('consensus', 'blocked', 'no_quorum', 'no_consensus')`),
    )
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'text')
    .addColumn('close_reason', 'text', (c) =>
      c.check(sql`close_reason in ('deadline', 'early', 'all_voted', 'withdrawn')`),
    )
    .addColumn('effect_applied_at', 'timestamptz')
    .addColumn('effect_error', 'text')
    .execute();
  await db.schema
    .createIndex('proposals_open_closing')
    .on('proposals')
    .columns(['closes_at'])
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema
    .createIndex('proposals_decided')
    .on('proposals')
    .columns(['team_id', 'closed_at'])
    .execute();

  await db.schema
    .createTable('proposal_voters')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_voters_pk', ['proposal_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('proposal_voters_user')
    .on('proposal_voters')
    .columns(['team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('proposal_votes')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('voter_id', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) =>
      c.notNull().check(sql`position in ('support', 'stand_aside', 'block')`),
    )
    .addColumn('reason', 'text')
    .addColumn('voted_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_votes_one_per_voter', ['proposal_id', 'voter_id'])
    .execute();

  await db.schema
    .createTable('proposal_vote_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('voter_id', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) =>
      c.notNull().check(sql`position in ('support', 'stand_aside', 'block')`),
    )
    .addColumn('old_position', 'text')
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('proposal_vote_events_proposal')
    .on('proposal_vote_events')
    .columns(['proposal_id', 'at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('proposal_vote_events').execute();
  await db.schema.dropTable('proposal_votes').execute();
  await db.schema.dropTable('proposal_voters').execute();
  await db.schema.dropTable('proposals').execute();
  await db.schema.alterTable('outbox').dropColumn('update_ts').execute();
  await db.schema
    .alterTable('workspaces')
    .dropColumn('consensus_quorum')
    .dropColumn('stand_aside_limit')
    .execute();
}
