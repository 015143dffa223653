import type { AllMiddlewareArgs, RespondFn } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { findWorkspace } from '../db/workspaces.js';
import { tellProposerOfBlock } from '../services/block-notices.js';
import { deliverDue } from '../services/delivery.js';
import { type ClosingSlack, closeIfAllVoted } from '../services/proposal-closing.js';
import { queuedMessageStillWanted } from '../services/still-wanted.js';
import type { VoteResult } from '../services/votes.js';
import { webSender } from '../slack/web-sender.js';
import { PROPOSAL } from '../views/ids.js';
import { voteRefusalText } from '../views/proposal-refusals.js';
import { voteRecordedText } from '../views/proposals.js';
import { plain } from '../views/text.js';
import type { ListenerDeps } from './deps.js';
import { directoryFor } from './directory.js';
import { tellUser } from './reply.js';

type Slack = Pick<AllMiddlewareArgs, 'client' | 'context'>;

export interface VoteOrigin {
  channelId?: string | undefined;
  respond?: RespondFn | undefined;
  /** Clicked on the App Home, which shows the change itself. */
  fromHome?: boolean;
}

export function closingSlack(deps: ListenerDeps, slack: Slack): ClosingSlack {
  return {
    directory: directoryFor(slack),
    sender: webSender(slack.client),
    log: deps.log,
    stillWanted: queuedMessageStillWanted(deps.db),
    pace: deps.liveTally.paceFor(),
  };
}

/**
 * What follows a vote: the live tally is refreshed (coalesced), the vote closes once everyone eligible
 * has voted (asked only at a voter's first vote, the only kind that brings that nearer), a Block is told to
 * the proposer at once, the voter is told
 * where they stand, and their App Home, at their first vote, drops it from what awaits them (a change of
 * position shows nowhere on it).
 */
export async function afterVote(
  deps: ListenerDeps,
  slack: Slack,
  teamId: string,
  userId: string,
  result: VoteResult,
  origin: VoteOrigin,
): Promise<void> {
  const { client } = slack;
  const reply = (text: string, blocks?: KnownBlock[]) =>
    tellUser({ client, respond: origin.respond, userId, channelId: origin.channelId }, text, blocks);
  if (!result.ok) {
    if (result.reason === 'invalid' || result.reason === 'repeat') return;
    await reply(voteRefusalText(result, (await findWorkspace(deps.db, teamId))?.core_channel_id));
    return;
  }
  const { proposal, vote, changed, first } = result;
  if (changed) deps.liveTally.request(client, teamId, proposal.id);
  if (changed && vote.position === 'block') {
    // The proposer hears of a Block at once, so it can be discussed before the close.
    const notice = await tellProposerOfBlock(deps.db, proposal, vote, deps.clock());
    if (notice)
      await deliverDue(
        deps.db,
        webSender(client),
        queuedMessageStillWanted(deps.db),
        deps.clock(),
        deps.log,
        {
          ids: [notice],
        },
      );
  }
  if (first)
    await closeIfAllVoted(deps.db, closingSlack(deps, slack), proposal, deps.clock(), result.othersAwaited);
  if (!origin.fromHome) {
    const text = voteRecordedText(proposal, vote.position, changed);
    const addReason: KnownBlock[] =
      vote.position === 'support' && !vote.reason
        ? [
            {
              type: 'actions',
              elements: [
                {
                  type: 'button',
                  action_id: PROPOSAL.SUPPORT_REASON,
                  text: plain('Add a reason'),
                  value: String(proposal.id),
                },
              ],
            },
          ]
        : [];
    // The reply goes alongside: the click's turn for the database is not held while Slack answers it.
    deps.afterAck.alongside(
      () => reply(text, [{ type: 'section', text: { type: 'mrkdwn', text } }, ...addReason]),
      (error) => deps.log.warn({ err: error, teamId, userId }, 'could not tell a voter their vote was taken'),
    );
  }
  if (first || result.confirmed) deps.homes.request(deps, client, directoryFor(slack), teamId, userId);
}
