import { type InsertQueryBuilder, type QueryCreator, sql, type Updateable } from 'kysely';
import type { Db } from './database.js';
import type {
  BlockGround,
  Database,
  NewProposal,
  OutboxRow,
  Position,
  Proposal,
  ProposalsTable,
  Vote,
  VoteEvent,
} from './schema.js';
import { ofInstalledWorkspace } from './workspaces.js';

/** The outbox kind of the message that puts a proposal to the Core; its row knows where the message is. */
export const PROPOSAL_POST = 'proposal';

/**
 * Inserts a proposal and its voters; undefined, and nothing inserted, when a proposal from the same form
 * (`view_id`), or from the same work group's decision (`group_decision_id`), is already there.
 */
export async function insertProposal(
  db: Db,
  proposal: NewProposal,
  voterIds: readonly string[],
): Promise<Proposal | undefined> {
  const created = await db
    .insertInto('proposals')
    .values(proposal)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!created) return undefined;
  if (voterIds.length > 0) {
    await db
      .insertInto('proposal_voters')
      .values(voterIds.map((user_id) => ({ team_id: created.team_id, proposal_id: created.id, user_id })))
      .execute();
  }
  return created;
}

export async function findProposal(db: Db, teamId: string, id: number): Promise<Proposal | undefined> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The proposal submitted from this Slack form, if one was. */
export async function findProposalByView(
  db: Db,
  teamId: string,
  viewId: string,
): Promise<Proposal | undefined> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('view_id', '=', viewId)
    .executeTakeFirst();
}

/**
 * Reads the proposal for a vote, holding off a close until the vote is in: votes share the lock with one
 * another, and the close's update waits for them (and they for it), so no vote lands after a close.
 */
export async function findProposalForVote(db: Db, teamId: string, id: number): Promise<Proposal | undefined> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .forShare()
    .executeTakeFirst();
}

export async function voterIdsOf(db: Db, proposalId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('proposal_voters')
    .select('user_id')
    .where('proposal_id', '=', proposalId)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function isVoter(db: Db, proposalId: number, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('proposal_voters')
    .select('user_id')
    .where('proposal_id', '=', proposalId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function votesOf(db: Db, proposalId: number): Promise<Vote[]> {
  return db
    .selectFrom('proposal_votes')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .orderBy('voted_at')
    .orderBy('voter_id')
    .execute();
}

/** The first vote of this voter, or undefined when they already have one (left to `lockVote`). */
export async function insertFirstVote(
  db: Db,
  vote: {
    team_id: string;
    proposal_id: number;
    voter_id: string;
    position: Position;
    reason: string | null;
    voted_at: Date;
  },
): Promise<Vote | undefined> {
  return db
    .insertInto('proposal_votes')
    .values(vote)
    .onConflict((oc) => oc.columns(['proposal_id', 'voter_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function lockVote(db: Db, proposalId: number, voterId: string): Promise<Vote | undefined> {
  return db
    .selectFrom('proposal_votes')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .where('voter_id', '=', voterId)
    .forUpdate()
    .executeTakeFirst();
}

export async function changeVote(
  db: Db,
  proposalId: number,
  voterId: string,
  change: {
    position: Position;
    reason: string | null;
    voted_at: Date;
    text_version: number;
    block_ground: BlockGround | null;
  },
): Promise<Vote> {
  return db
    .updateTable('proposal_votes')
    .set(change)
    .where('proposal_id', '=', proposalId)
    .where('voter_id', '=', voterId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertVoteEvent(
  db: Db,
  event: {
    team_id: string;
    proposal_id: number;
    voter_id: string;
    position: Position;
    old_position: Position | null;
    reason: string | null;
    at: Date;
    text_version: number;
    block_ground: BlockGround | null;
  },
): Promise<VoteEvent> {
  return db.insertInto('proposal_vote_events').values(event).returningAll().executeTakeFirstOrThrow();
}

/** Closes the proposal only if it is still open: whoever's update returns the row is the one who closed it. */
export async function closeIfOpen(
  db: Db,
  teamId: string,
  id: number,
  close: Pick<Updateable<ProposalsTable>, 'status' | 'closed_at' | 'closed_by' | 'close_reason'>,
): Promise<Proposal | undefined> {
  return db
    .updateTable('proposals')
    .set(close)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}

export async function updateProposal(
  db: Db,
  teamId: string,
  id: number,
  changes: Updateable<ProposalsTable>,
): Promise<Proposal> {
  return db
    .updateTable('proposals')
    .set(changes)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Claims the right to apply an agreed decision; only the first claim for a proposal succeeds. */
export async function claimEffect(
  db: Db,
  teamId: string,
  id: number,
  now: Date,
): Promise<Proposal | undefined> {
  return db
    .updateTable('proposals')
    .set({ effect_applied_at: now })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('outcome', '=', 'consensus')
    .where('effect_applied_at', 'is', null)
    .where('effect_error', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Open proposals whose time is up, in every workspace that has not uninstalled Concert. */
export async function listDueProposals(db: Db, now: Date): Promise<Proposal[]> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('status', '=', 'open')
    .where(ofInstalledWorkspace('proposals'))
    .where('closes_at', '<=', now)
    .orderBy('closes_at')
    .execute();
}

/**
 * Open proposals (of installed workspaces) whose every voter has a position on the current text: those a
 * vote left to the sweep (see `ALL_VOTED_WITHIN`). One aggregate-free read over the open proposals' voters.
 */
export async function listFullyVotedProposals(db: Db): Promise<Proposal[]> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('status', '=', 'open')
    .where(ofInstalledWorkspace('proposals'))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('proposal_voters as pv')
          .select('pv.user_id')
          .whereRef('pv.proposal_id', '=', 'proposals.id'),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('proposal_voters as pv')
            .leftJoin('proposal_votes as v', (join) =>
              join
                .onRef('v.proposal_id', '=', 'pv.proposal_id')
                .onRef('v.voter_id', '=', 'pv.user_id')
                .onRef('v.text_version', '=', 'proposals.text_version'),
            )
            .select('pv.user_id')
            .whereRef('pv.proposal_id', '=', 'proposals.id')
            .where('v.voter_id', 'is', null),
        ),
      ),
    )
    .orderBy('id')
    .execute();
}

/** Marks the reminder as planned, once: returns the proposal only to the caller who marked it. */
export async function claimReminder(
  db: Db,
  teamId: string,
  id: number,
  now: Date,
): Promise<Proposal | undefined> {
  return db
    .updateTable('proposals')
    .set({ reminded_at: now })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('reminded_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function listRemindersDue(db: Db, now: Date): Promise<Proposal[]> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('status', '=', 'open')
    .where(ofInstalledWorkspace('proposals'))
    .where('reminded_at', 'is', null)
    .where('remind_at', '<=', now)
    .where('closes_at', '>', now)
    .execute();
}

/** Eligible voters of a proposal who have not voted yet. */
export async function nonVotersOf(db: Db, proposalId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('proposal_voters')
    .leftJoin('proposal_votes', (join) =>
      join
        .onRef('proposal_votes.proposal_id', '=', 'proposal_voters.proposal_id')
        .onRef('proposal_votes.voter_id', '=', 'proposal_voters.user_id'),
    )
    .select('proposal_voters.user_id')
    .where('proposal_voters.proposal_id', '=', proposalId)
    .where('proposal_votes.voter_id', 'is', null)
    .orderBy('proposal_voters.user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * Open proposals this person may vote on and has not, still before their deadline: one past it takes no
 * more votes, though the sweep may not have closed it yet.
 */
export async function listAwaitingVote(
  db: Db,
  teamId: string,
  userId: string,
  now: Date,
): Promise<Proposal[]> {
  return db
    .selectFrom('proposals')
    .innerJoin('proposal_voters', 'proposal_voters.proposal_id', 'proposals.id')
    .selectAll('proposals')
    .where('proposals.team_id', '=', teamId)
    .where('proposals.status', '=', 'open')
    .where('proposals.closes_at', '>', now)
    .where('proposal_voters.user_id', '=', userId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('proposal_votes')
            .select('proposal_votes.voter_id')
            .whereRef('proposal_votes.proposal_id', '=', 'proposals.id')
            .where('proposal_votes.voter_id', '=', userId),
        ),
      ),
    )
    .orderBy('proposals.closes_at')
    .execute();
}

/**
 * Open proposals, still before their deadline, where this person's position stands on an earlier text (given
 * before an amendment and not confirmed since): it counts only once confirmed or changed. Soonest to close first.
 */
export async function listAwaitingConfirmation(
  db: Db,
  teamId: string,
  userId: string,
  now: Date,
): Promise<Proposal[]> {
  return db
    .selectFrom('proposals')
    .innerJoin('proposal_votes', 'proposal_votes.proposal_id', 'proposals.id')
    .selectAll('proposals')
    .where('proposals.team_id', '=', teamId)
    .where('proposals.status', '=', 'open')
    .where('proposals.closes_at', '>', now)
    .where('proposal_votes.voter_id', '=', userId)
    .whereRef('proposal_votes.text_version', '<', 'proposals.text_version')
    .orderBy('proposals.closes_at')
    .execute();
}

/** Decided or withdrawn proposals, newest first. */
export async function listRecentDecisions(db: Db, teamId: string, limit: number): Promise<Proposal[]> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('status', '!=', 'open')
    .orderBy('closed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Where the proposal's message is, once Slack has taken it. */
export async function postedMessageOf(
  db: Db,
  teamId: string,
  proposalId: number,
): Promise<OutboxRow | undefined> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('kind', '=', PROPOSAL_POST)
    .where('dedupe_key', '=', String(proposalId))
    .where('status', '=', 'sent')
    .executeTakeFirst();
}

export async function countOpenProposals(db: Db, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('team_id', '=', teamId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The open proposal whose vote closes first. */
export async function soonestClosingProposal(db: Db, teamId: string): Promise<Proposal | undefined> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('status', '=', 'open')
    .orderBy('closes_at')
    .limit(1)
    .executeTakeFirst();
}

/** What a vote reads before it writes: see `readForVote`. */
export interface VoteSight {
  proposal: Proposal;
  isVoter: boolean;
  /** The voter's vote as it stands, if they voted before. */
  current: Vote | undefined;
  /** Where the proposal's message is, once Slack has taken it. */
  posted: { channel: string; ts: string } | undefined;
  /** Whether `once` was taken by this statement: false when another delivery already took it. */
  taken: boolean;
  /**
   * Voters without a position on the current text, as the statement saw it: votes under way in other
   * transactions are not seen, so this is never fewer than will be left once they commit.
   */
  awaited: number;
}

/**
 * Everything a vote needs to know, in one statement: takes `once` (as `takeOnce` does, waiting on another
 * delivery taking it at the same moment), and reads the proposal (holding off a close, as
 * `findProposalForVote`), whether the voter may vote, their current position and where the proposal's
 * message is. Undefined when there is no such proposal. The reads see the database as the statement
 * began: a vote written meanwhile by the delivery `once` waited on is caught by `writeFirstVote` or
 * `writeChangedVote`, which then take nothing.
 */
export async function readForVote(
  db: Db,
  request: { teamId: string; proposalId: number; voterId: string },
  once: { teamId: string; key: string } | undefined,
  now: Date,
): Promise<VoteSight | undefined> {
  const { teamId, proposalId, voterId } = request;
  const row = await db
    .with('taken', (qb) =>
      once
        ? qb
            .insertInto('interaction_effects')
            .values({ team_id: once.teamId, interaction_key: once.key, taken_at: now })
            .onConflict((oc) => oc.doNothing())
            .returning('interaction_key')
        : // Without `once` there is nothing to take.
          (qb
            .selectFrom('interaction_effects')
            .select('interaction_key')
            .where(sql<boolean>`false`) as unknown as InsertQueryBuilder<
            Database,
            'interaction_effects',
            { interaction_key: string }
          >),
    )
    .selectFrom('proposals')
    .leftJoin('proposal_votes as v', (join) =>
      join.onRef('v.proposal_id', '=', 'proposals.id').on('v.voter_id', '=', voterId),
    )
    .leftJoin('outbox as posted', (join) =>
      join
        .on('posted.team_id', '=', teamId)
        .on('posted.kind', '=', PROPOSAL_POST)
        .on('posted.dedupe_key', '=', String(proposalId))
        .on('posted.status', '=', 'sent'),
    )
    .selectAll('proposals')
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('proposal_voters')
            .select('proposal_voters.user_id')
            .whereRef('proposal_voters.proposal_id', '=', 'proposals.id')
            .where('proposal_voters.user_id', '=', voterId),
        )
        .as('is_voter'),
      'v.position as current_position',
      'v.reason as current_reason',
      'v.voted_at as current_voted_at',
      'v.text_version as current_text_version',
      'v.block_ground as current_block_ground',
      'posted.message_channel as posted_channel',
      'posted.message_ts as posted_ts',
      eb.selectFrom('taken').select(eb.fn.countAll<string>().as('n')).as('taken'),
      eb
        .selectFrom('proposal_voters as all_voters')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('all_voters.proposal_id', '=', 'proposals.id')
        .as('voter_count'),
      eb
        .selectFrom('proposal_votes as given')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('given.proposal_id', '=', 'proposals.id')
        .whereRef('given.text_version', '=', 'proposals.text_version')
        .as('given_count'),
    ])
    .where('proposals.team_id', '=', teamId)
    .where('proposals.id', '=', proposalId)
    .forShare('proposals')
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    is_voter,
    current_position,
    current_reason,
    current_voted_at,
    current_text_version,
    current_block_ground,
    posted_channel,
    posted_ts,
    taken,
    voter_count,
    given_count,
    ...proposal
  } = row;
  return {
    proposal,
    isVoter: Boolean(is_voter),
    current:
      current_position && current_voted_at
        ? {
            team_id: teamId,
            proposal_id: proposalId,
            voter_id: voterId,
            position: current_position,
            reason: current_reason,
            voted_at: current_voted_at,
            text_version: current_text_version ?? 1,
            block_ground: current_block_ground ?? null,
          }
        : undefined,
    posted: posted_channel && posted_ts ? { channel: posted_channel, ts: posted_ts } : undefined,
    taken: once ? Number(taken) > 0 : true,
    awaited: Number(voter_count) - Number(given_count),
  };
}

type NewVote = {
  team_id: string;
  proposal_id: number;
  voter_id: string;
  position: Position;
  reason: string | null;
  voted_at: Date;
  /** The proposal's text the position is given on. */
  text_version: number;
  block_ground: BlockGround | null;
};

/** A voter's first vote and its event, in one statement; undefined (nothing written) if they have one. */
export async function writeFirstVote(db: Db, vote: NewVote): Promise<Vote | undefined> {
  const written = db.with('vote', (qb) =>
    qb
      .insertInto('proposal_votes')
      .values(vote)
      .onConflict((oc) => oc.columns(['proposal_id', 'voter_id']).doNothing())
      .returningAll(),
  );
  return withVoteEvent(written, null);
}

/** A first vote written by `writeFirstVoteAlone`, with what `readForVote` would have read for it. */
export interface FirstVote {
  proposal: Proposal;
  vote: Vote;
  posted: VoteSight['posted'];
  /** As `VoteSight.awaited`: the voter among them, as the statement saw it before their vote. */
  awaited: number;
}

/**
 * A voter's first vote on an open proposal in one statement, without a transaction around it: what
 * `readForVote` and then `writeFirstVote` do in a vote's transaction, for the common case. It writes the vote
 * and its event, and takes `once`, only when the proposal is open at `now`, the voter is among its voters
 * and has no vote yet; it holds off a close as `readForVote` does (a close that commits first is seen, and
 * nothing is written). Undefined when any of that does not hold, and then nothing is written, `once`
 * included: `once` is taken only with the vote, so another first vote by the same voter landing at the same
 * moment (another click, whose vote wins) leaves it for the caller's transaction, which then sees the vote
 * that landed as it did before this statement existed.
 */
export async function writeFirstVoteAlone(
  db: Db,
  vote: Omit<NewVote, 'text_version'>,
  once: { teamId: string; key: string } | undefined,
): Promise<FirstVote | undefined> {
  const { team_id, proposal_id, voter_id, position, reason, voted_at, block_ground } = vote;
  // Taken from the vote written: a vote that another landed before writes nothing here, key included.
  const take = once
    ? sql`, taken as (
          insert into interaction_effects (team_id, interaction_key, taken_at)
          select ${once.teamId}, ${once.key}, ${voted_at} from vote
          on conflict do nothing)`
    : sql``;
  const { rows } = await sql<
    Proposal & { posted_channel: string | null; posted_ts: string | null; awaited: number }
  >`
    with p as (
      select proposals.*,
        posted.message_channel as posted_channel,
        posted.message_ts as posted_ts,
        (select count(*) from proposal_voters v where v.proposal_id = proposals.id)
          - (select count(*) from proposal_votes g
             where g.proposal_id = proposals.id and g.text_version = proposals.text_version) as awaited
      from proposals
      left join outbox posted
        on posted.team_id = ${team_id} and posted.kind = ${PROPOSAL_POST}
        and posted.dedupe_key = ${String(proposal_id)} and posted.status = 'sent'
      where proposals.team_id = ${team_id} and proposals.id = ${proposal_id}
        and proposals.status = 'open' and proposals.closes_at > ${voted_at}
        and exists (select from proposal_voters v where v.proposal_id = proposals.id and v.user_id = ${voter_id})
        and not exists (select from proposal_votes v where v.proposal_id = proposals.id and v.voter_id = ${voter_id})
      for share of proposals
    ),
    vote as (
      insert into proposal_votes
        (team_id, proposal_id, voter_id, position, reason, voted_at, text_version, block_ground)
      select ${team_id}, p.id, ${voter_id}, ${position}, ${reason}, ${voted_at}, p.text_version, ${block_ground}
      from p
      on conflict (proposal_id, voter_id) do nothing
      returning *
    )${take},
    event as (
      insert into proposal_vote_events
        (team_id, proposal_id, voter_id, position, reason, old_position, at, text_version, block_ground)
      select team_id, proposal_id, voter_id, position, reason, null, voted_at, text_version, block_ground
      from vote
    )
    select p.* from p join vote on vote.proposal_id = p.id`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { posted_channel, posted_ts, awaited, ...proposal } = row;
  return {
    proposal,
    vote: { ...vote, text_version: proposal.text_version },
    posted: posted_channel && posted_ts ? { channel: posted_channel, ts: posted_ts } : undefined,
    awaited: Number(awaited),
  };
}

/**
 * Changes a vote from `was` (as `readForVote` saw it) and keeps the change as an event, in one statement;
 * undefined (nothing written) if the vote no longer stands as `was`.
 */
export async function writeChangedVote(
  db: Db,
  vote: NewVote,
  was: { position: Position; reason: string | null; text_version: number; block_ground: BlockGround | null },
): Promise<Vote | undefined> {
  const written = db.with('vote', (qb) =>
    qb
      .updateTable('proposal_votes')
      .set({
        position: vote.position,
        reason: vote.reason,
        voted_at: vote.voted_at,
        text_version: vote.text_version,
        block_ground: vote.block_ground,
      })
      .where('proposal_id', '=', vote.proposal_id)
      .where('voter_id', '=', vote.voter_id)
      .where('position', '=', was.position)
      .where('reason', 'is not distinct from', was.reason)
      .where('text_version', '=', was.text_version)
      .where('block_ground', 'is not distinct from', was.block_ground)
      .returningAll(),
  );
  return withVoteEvent(written, was.position);
}

/** The vote the `vote` CTE wrote, with its event (from `oldPosition`) inserted in the same statement. */
async function withVoteEvent(
  written: QueryCreator<Database & { vote: Vote }>,
  oldPosition: Position | null,
): Promise<Vote | undefined> {
  return written
    .with('event', (qb) =>
      qb
        .insertInto('proposal_vote_events')
        .columns([
          'team_id',
          'proposal_id',
          'voter_id',
          'position',
          'reason',
          'old_position',
          'at',
          'text_version',
          'block_ground',
        ])
        .expression((eb) =>
          eb
            .selectFrom('vote')
            .select([
              'team_id',
              'proposal_id',
              'voter_id',
              'position',
              'reason',
              sql<Position | null>`${oldPosition}`.as('old_position'),
              'voted_at',
              'text_version',
              'block_ground',
            ]),
        ),
    )
    .selectFrom('vote')
    .selectAll()
    .executeTakeFirst();
}

/**
 * How many of a proposal's voters have not voted on its current text yet: one aggregate over its voters
 * and its votes (a position on an earlier text, not confirmed since, is not a vote on this one).
 */
export async function countNotYetVoted(db: Db, proposalId: number): Promise<number> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('proposal_voters')
        .select(eb.fn.countAll<string>().as('n'))
        .where('proposal_id', '=', proposalId)
        .as('voters'),
      eb
        .selectFrom('proposal_votes')
        .innerJoin('proposals', 'proposals.id', 'proposal_votes.proposal_id')
        .select(eb.fn.countAll<string>().as('n'))
        .where('proposal_votes.proposal_id', '=', proposalId)
        .whereRef('proposal_votes.text_version', '=', 'proposals.text_version')
        .as('votes'),
    ])
    .executeTakeFirstOrThrow();
  return Number(row.voters) - Number(row.votes);
}
