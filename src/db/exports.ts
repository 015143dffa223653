import { sql } from 'kysely';
import type { Db } from './database.js';

/** Every action step with each of its events, one row per event, oldest first. */
export async function stepHistory(db: Db, teamId: string) {
  return db
    .selectFrom('action_step_events as e')
    .innerJoin('action_steps as s', 's.id', 'e.action_step_id')
    .leftJoin('work_groups as g', 'g.id', 's.work_group_id')
    .select([
      's.id as step_id',
      's.title',
      's.details',
      's.owner_id',
      's.created_by',
      'g.name as work_group',
      's.source',
      's.status',
      's.first_due_date',
      's.due_date',
      'e.kind as event',
      'e.actor_id as event_by',
      'e.at as event_at',
      'e.old_due_date',
      'e.new_due_date',
      'e.note',
    ])
    .where('s.team_id', '=', teamId)
    .orderBy('s.id')
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

/** Every check-in row: asked, answered, skipped, missed, away, and off-cycle reports. */
export async function checkinHistory(db: Db, teamId: string) {
  return db
    .selectFrom('checkins as c')
    .innerJoin('work_groups as g', 'g.id', 'c.work_group_id')
    .leftJoin('checkin_rounds as r', 'r.id', 'c.round_id')
    .select([
      'c.id',
      'g.name as work_group',
      sql<string | null>`to_char(r.round_date, 'YYYY-MM-DD')`.as('round_date'),
      'c.user_id',
      'c.status',
      'c.late',
      'c.intention',
      'c.actions_taken',
      'c.assessment',
      'c.assessment_note',
      'c.support_needed',
      'c.answered_at',
      'c.skipped_at',
    ])
    .where('c.team_id', '=', teamId)
    .orderBy('r.round_date')
    .orderBy('g.name')
    .orderBy('c.user_id')
    .execute();
}

/**
 * Every proposal with each voter's current position and reason (the text it was given on, and a Block's
 * ground), and its outcome statement with how many of its next steps were done; a proposal without votes
 * has one row.
 */
export async function decisionHistory(db: Db, teamId: string) {
  return db
    .selectFrom('proposals as p')
    .leftJoin('proposal_votes as v', 'v.proposal_id', 'p.id')
    .leftJoin('proposal_statements as st', 'st.proposal_id', 'p.id')
    .select((eb) => [
      'p.text_version as final_text',
      'v.text_version as position_text',
      'v.block_ground',
      'st.decided as outcome_statement',
      'st.next as what_happens_next',
      'st.gap as gap_filled_by',
      'p.stage',
      'p.group_decision_id',
      eb
        .selectFrom('action_steps as s')
        .select(eb.fn.countAll<string>().as('n'))
        .where('s.team_id', '=', teamId)
        .where('s.source', '=', 'decision')
        .whereRef('s.source_ref', '=', sql<string>`'proposal:' || p.id`)
        .as('next_steps'),
      eb
        .selectFrom('action_steps as s')
        .select(eb.fn.countAll<string>().as('n'))
        .where('s.team_id', '=', teamId)
        .where('s.source', '=', 'decision')
        .where('s.status', '=', 'done')
        .whereRef('s.source_ref', '=', sql<string>`'proposal:' || p.id`)
        .as('next_steps_done'),
    ])
    .select([
      'p.id as proposal_id',
      'p.title',
      'p.kind',
      'p.proposer_id',
      'p.status',
      'p.outcome',
      'p.opened_at',
      'p.closes_at',
      'p.closed_at',
      'v.voter_id',
      'v.position',
      'v.reason',
      'v.voted_at',
    ])
    .where('p.team_id', '=', teamId)
    .orderBy('p.id')
    .orderBy('v.voter_id')
    .execute();
}

/**
 * Decided proposals of one workspace (without `teamId`, of every workspace in the database: the single-token
 * mode's one), newest first, with whether their workspace names the voters. A withdrawn proposal was never
 * decided, so it is not among them.
 */
export async function decidedProposals(db: Db, teamId?: string) {
  let query = db
    .selectFrom('proposals as p')
    .innerJoin('workspaces as w', 'w.team_id', 'p.team_id')
    .select([
      'p.id',
      'p.title',
      'p.kind',
      'p.stage',
      'p.status',
      'p.outcome',
      'p.closed_at',
      'p.team_id',
      'w.records_show_voters',
      'w.default_tz',
    ])
    .where('p.status', '=', 'closed')
    .orderBy('p.closed_at', 'desc')
    .orderBy('p.id', 'desc');
  if (teamId !== undefined) query = query.where('p.team_id', '=', teamId);
  return query.execute();
}

/**
 * Each vote's current position on these proposals, with the voter's name as Slack last gave it: only
 * positions on a proposal's final text, the ones its outcome counted.
 */
export async function positionsOn(db: Db, proposalIds: readonly number[]) {
  if (proposalIds.length === 0) return [];
  return db
    .selectFrom('proposal_votes as v')
    .innerJoin('proposals as p', (join) =>
      join.onRef('p.id', '=', 'v.proposal_id').onRef('p.text_version', '=', 'v.text_version'),
    )
    .leftJoin('people as u', (join) =>
      join.onRef('u.team_id', '=', 'v.team_id').onRef('u.user_id', '=', 'v.voter_id'),
    )
    .select(['v.proposal_id', 'v.position', 'u.name'])
    .where('v.proposal_id', 'in', proposalIds)
    .orderBy('u.name')
    .execute();
}
