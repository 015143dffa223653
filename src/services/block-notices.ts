import type { Db } from '../db/database.js';
import type { Proposal, Vote } from '../db/schema.js';
import { queueMessage } from './outgoing.js';

/**
 * Tells the proposer of a Block at once, by DM through the outbox, so it can be discussed before the close:
 * once per Block given (keyed by the proposal, the voter and the moment of the Block), never for the
 * proposer's own. Returns the queued row's id, to be sent now; undefined when there is nothing to tell or
 * it was already queued.
 */
export async function tellProposerOfBlock(
  db: Db,
  proposal: Proposal,
  vote: Vote,
  now: Date,
): Promise<number | undefined> {
  if (vote.position !== 'block' || vote.voter_id === proposal.proposer_id) return undefined;
  const row = await queueMessage(
    db,
    {
      teamId: proposal.team_id,
      kind: 'proposal_block_notice',
      data: { proposal, vote },
      to: proposal.proposer_id,
    },
    now,
  );
  return row?.id;
}
