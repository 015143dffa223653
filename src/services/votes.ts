import type { Db } from '../db/database.js';
import { wasTaken } from '../db/interaction-effects.js';
import {
  changeVote,
  findProposal,
  insertVoteEvent,
  isVoter,
  lockVote,
  readForVote,
  type VoteSight,
  writeChangedVote,
  writeFirstVote,
  writeFirstVoteAlone,
} from '../db/proposals.js';
import type { BlockGround, Position, Proposal, Vote } from '../db/schema.js';
import type { MessageRef } from './copies.js';
import { type Once, REPEAT, type Repeat } from './once.js';

export const VOTE_REASON_MAX = 1000;

/** The shared commitments a Block may say the proposal breaks, in the charter's order. */
export const BLOCK_GROUNDS: readonly BlockGround[] = ['common_agenda', 'accountabilities', 'other'];

export function isBlockGround(value: string | null | undefined): value is BlockGround {
  return BLOCK_GROUNDS.includes(value as BlockGround);
}

/** A vote's request: Stand aside and Block give a reason, and a Block its ground. */
export interface VoteRequest {
  teamId: string;
  proposalId: number;
  voterId: string;
  position: Position;
  reason: string | null;
  ground?: BlockGround | null;
}

export type VoteRefusal =
  | { reason: 'not-found' }
  | { reason: 'closed'; proposal: Proposal }
  | { reason: 'not-voter'; proposal: Proposal };

export type VoteResult =
  | {
      ok: true;
      proposal: Proposal;
      vote: Vote;
      changed: boolean;
      /** The voter's first vote on it: one fewer awaited. */
      first: boolean;
      /** A position given before an amendment, now confirmed or changed on the current text. */
      confirmed?: boolean;
      /** Where the proposal's own message is, once Slack has taken it. */
      posted: MessageRef | undefined;
      /**
       * Other voters without a position on the current text, as the vote read it: never fewer than remain
       * once the votes under way beside it commit (so 0 is only a hint, and many means not all voted).
       */
      othersAwaited: number;
    }
  | ({ ok: false; error?: undefined } & VoteRefusal)
  | { ok: false; reason: 'invalid'; error: string; field: 'reason' | 'ground' }
  | (Repeat & { error?: undefined });

/** Stand aside and Block are serious: the Core needs to know why. Support may say why, or not. */
export function reasonProblem(position: Position, reason: string | null | undefined): string | undefined {
  const text = reason?.trim() ?? '';
  if (text === '' && position === 'block')
    return 'Say why you block: the Core needs your reason to address it.';
  if (text === '' && position === 'stand_aside')
    return 'Say why you stand aside: the Core needs your reason.';
  if (text.length > VOTE_REASON_MAX)
    return `Keep the reason to ${VOTE_REASON_MAX} characters or fewer (this one has ${text.length}).`;
  return undefined;
}

/**
 * A Block is principled: it names which of the coalition's shared commitments the proposal would break (the
 * charter's common agenda or its accountabilities, or another, said in the reason).
 */
export function groundProblem(position: Position, ground: string | null | undefined): string | undefined {
  if (position !== 'block' || isBlockGround(ground)) return undefined;
  return 'Choose which of the coalition’s shared commitments it would break.';
}

/** Whether a click on this proposal would be taken, before a form is opened for it. */
export async function mayVote(
  db: Db,
  teamId: string,
  proposalId: number,
  userId: string,
  now: Date,
): Promise<VoteResult | undefined> {
  const proposal = await findProposal(db, teamId, proposalId);
  if (!proposal) return { ok: false, reason: 'not-found' };
  if (proposal.status !== 'open' || proposal.closes_at <= now)
    return { ok: false, reason: 'closed', proposal };
  if (!(await isVoter(db, proposalId, userId))) return { ok: false, reason: 'not-voter', proposal };
  return undefined;
}

/**
 * Records a voter's position: one current position per voter, every change kept as an event, in one
 * statement for a first vote on an open proposal (`writeFirstVoteAlone`), else in one transaction. The same
 * position again (a double click, Slack retrying) changes nothing. A vote after the close, or from someone
 * outside the Core snapshot, is refused and stores nothing.
 *
 * With `once` (the click on the message as shown, or the reason form), the same click again while it
 * would change nothing is a `repeat`: nothing is stored or said again. The same click that would change
 * the vote (Support, then Block, then Support again before the message showed the second) is a change
 * of mind, and is taken. A refused click takes nothing.
 */
export async function castVote(db: Db, request: VoteRequest, now: Date, once?: Once): Promise<VoteResult> {
  const { position } = request;
  const problem = reasonProblem(position, request.reason);
  if (problem) return { ok: false, reason: 'invalid', error: problem, field: 'reason' };
  const ground = groundProblem(position, request.ground);
  if (ground) return { ok: false, reason: 'invalid', error: ground, field: 'ground' };
  const reason = request.reason?.trim() || null;
  const block_ground = position === 'block' ? (request.ground ?? null) : null;
  // Most votes are a voter's first on an open proposal: one statement. Anything else (a change, a repeat,
  // a refusal) writes nothing there and takes the transaction below.
  const first = await writeFirstVoteAlone(
    db,
    {
      team_id: request.teamId,
      proposal_id: request.proposalId,
      voter_id: request.voterId,
      position,
      reason,
      voted_at: now,
      block_ground,
    },
    once,
  );
  if (first) {
    const { proposal, vote, posted, awaited } = first;
    return {
      ok: true,
      proposal,
      vote,
      changed: true,
      first: true,
      confirmed: false,
      posted,
      othersAwaited: awaited - 1,
    };
  }
  try {
    return await db.transaction().execute(async (tx): Promise<VoteResult> => {
      // Taken first, so a second delivery at the same moment waits here for the first to commit; seen
      // again, it is a repeat unless it changes the vote.
      const sight = await readForVote(tx, request, once, now);
      const seen = sight !== undefined && !sight.taken;
      const result = sight
        ? await recordVote(tx, sight, { ...request, reason, block_ground }, now)
        : NOT_FOUND;
      // A refused click took nothing: the vote was not this person's to give, or no longer open. Rolling
      // back gives `once` back.
      if (!result.ok && !seen) throw new Refused(result);
      return seen && (!result.ok || !result.changed) ? REPEAT : result;
    });
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    // No proposal to read means `once` was not seen to be taken before: asked now.
    if (error.result.reason === 'not-found' && (await wasTaken(db, once))) return REPEAT;
    return error.result;
  }
}

const NOT_FOUND: VoteResult = { ok: false, reason: 'not-found' };

/** Ends a vote's transaction without effect (so `once` is given back), carrying the refusal out. */
class Refused extends Error {
  constructor(readonly result: VoteResult & { ok: false }) {
    super('refused');
  }
}

/**
 * Writes the vote `sight` found room for: in one statement when the vote stands as it was read, or after
 * locking it when another change landed in between.
 */
async function recordVote(
  tx: Db,
  sight: VoteSight,
  request: Omit<VoteRequest, 'ground'> & { block_ground: BlockGround | null },
  now: Date,
): Promise<VoteResult> {
  const { proposal, posted } = sight;
  // The voter was among those awaited unless they already held a position on the current text.
  const othersAwaited =
    sight.awaited - (!sight.current || sight.current.text_version < proposal.text_version ? 1 : 0);
  const { teamId, proposalId, voterId, position, reason, block_ground } = request;
  if (proposal.status !== 'open' || proposal.closes_at <= now)
    return { ok: false, reason: 'closed', proposal };
  if (!sight.isVoter) return { ok: false, reason: 'not-voter', proposal };
  const ids = { team_id: teamId, proposal_id: proposalId, voter_id: voterId };
  const taken = (vote: Vote, first: boolean): VoteResult => ({
    ok: true,
    proposal,
    vote,
    changed: true,
    first,
    confirmed: sight.current !== undefined && sight.current.text_version < proposal.text_version,
    posted,
    othersAwaited,
  });
  // A position is given on the text as it stands; the same position again on an amended text confirms it.
  const text_version = proposal.text_version;
  if (!sight.current) {
    const first = await writeFirstVote(tx, {
      ...ids,
      position,
      reason,
      voted_at: now,
      text_version,
      block_ground,
    });
    if (first) return taken(first, true);
  } else {
    const keptReason = keptReasonOf(position, reason, sight.current);
    if (
      sight.current.position === position &&
      sight.current.reason === keptReason &&
      sight.current.text_version === text_version &&
      sight.current.block_ground === block_ground
    ) {
      return {
        ok: true,
        proposal,
        vote: sight.current,
        changed: false,
        first: false,
        posted,
        othersAwaited,
      };
    }
    const vote = await writeChangedVote(
      tx,
      { ...ids, position, reason: keptReason, voted_at: now, text_version, block_ground },
      sight.current,
    );
    if (vote) return taken(vote, false);
  }
  // Another change of this vote landed between the read and the write: taken again, the vote locked.
  const current = await lockVote(tx, proposalId, voterId);
  if (!current) throw new Error(`vote of ${voterId} on proposal ${proposalId} vanished`);
  const keptReason = keptReasonOf(position, reason, current);
  if (
    current.position === position &&
    current.reason === keptReason &&
    current.text_version === text_version &&
    current.block_ground === block_ground
  ) {
    return {
      ok: true,
      proposal,
      vote: current,
      changed: false,
      first: false,
      posted,
      othersAwaited,
    };
  }
  const vote = await changeVote(tx, proposalId, voterId, {
    position,
    reason: keptReason,
    voted_at: now,
    text_version,
    block_ground,
  });
  await insertVoteEvent(tx, {
    ...ids,
    position,
    reason: keptReason,
    old_position: current.position,
    at: now,
    text_version,
    block_ground,
  });
  return taken(vote, false);
}

/** A Support click carries no reason: it keeps the one given before rather than erasing it. */
function keptReasonOf(
  position: Position,
  reason: string | null,
  current: { position: Position; reason: string | null },
): string | null {
  return position === 'support' && reason === null && current.position === 'support'
    ? current.reason
    : reason;
}
