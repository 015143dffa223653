import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  BlockOverflowAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { findProposal } from '../../db/proposals.js';
import type { Position } from '../../db/schema.js';
import { findWorkspace } from '../../db/workspaces.js';
import { closeByHand } from '../../services/proposal-closing.js';
import { castVote, mayVote } from '../../services/votes.js';
import { voteReasonModal } from '../../views/proposal-modals.js';
import { closeAnswerText, voteRefusalText } from '../../views/proposal-refusals.js';
import { clickedMessage, refreshProposalCopy } from '../copies.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { actionOnce } from '../interaction-key.js';
import { afterVote, closingSlack, type VoteOrigin } from '../proposals.js';
import { tellUser } from '../reply.js';
import { openAmendForm, openConcernForm, openExtendForm } from './proposal-concern-buttons.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type OverflowArgs = SlackActionMiddlewareArgs<BlockOverflowAction> & AllMiddlewareArgs;

function originOf(args: ButtonArgs | OverflowArgs): VoteOrigin {
  const { body, respond } = args;
  return {
    channelId: body.channel?.id ?? body.container?.channel_id,
    respond: body.response_url ? respond : undefined,
    fromHome: body.container?.type === 'view',
  };
}

/**
 * Support is taken at the click. Stand aside and Block open a form for the reason, after checking the
 * click could be taken at all, so nobody writes a reason for a vote that would be refused.
 */
export function voteButton(deps: ListenerDeps, position: Position) {
  return async (args: ButtonArgs) => {
    await args.ack();
    await deps.afterAck.run(() => vote(deps, args, position));
  };
}

/** A vote click after its ack: the vote, what follows it, and the copy clicked on. */
async function vote(deps: ListenerDeps, args: ButtonArgs, position: Position): Promise<void> {
  const { body, action, client, context } = args;
  const teamId = teamIdOf({ context, body });
  const userId = body.user.id;
  const proposalId = Number(action.value);
  const origin = originOf(args);
  const now = deps.clock();
  let outcome: 'taken' | 'closed' | 'refused';
  let own = false;
  if (position === 'support') {
    const result = await castVote(
      deps.db,
      { teamId, proposalId, voterId: userId, position, reason: null },
      now,
      actionOnce(teamId, body, action),
    );
    await afterVote(deps, { client, context }, teamId, userId, result, origin);
    outcome = result.ok ? 'taken' : result.reason === 'closed' ? 'closed' : 'refused';
    // The proposal's own message keeps itself up to date (the live tally): no copy to look for.
    const clicked = clickedMessage(body);
    own = result.ok && result.posted?.channel === clicked?.channel && result.posted?.ts === clicked?.ts;
  } else {
    outcome = await openReasonForm(deps, args, teamId, proposalId, position, origin);
  }
  // A copy is rewritten by a click that acted, or that found the vote closed; one refused for who clicked
  // changes nothing, not even a copy.
  if (outcome !== 'refused' && !own)
    await refreshProposalCopy(deps, client, teamId, proposalId, clickedMessage(body));
}

/** *Add a reason* after a Support click. */
export function supportReasonButton(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    const teamId = teamIdOf({ context: args.context, body: args.body });
    await openReasonForm(deps, args, teamId, Number(args.action.value), 'support', originOf(args));
  };
}

/**
 * Opens the form for a vote's reason if the vote could be taken; else tells the person why. Resolves to
 * `taken` (the form opened), `closed` (the vote is over) or `refused` (not this person's vote to give).
 */
async function openReasonForm(
  deps: ListenerDeps,
  { body, client }: ButtonArgs,
  teamId: string,
  proposalId: number,
  position: Position,
  origin: VoteOrigin,
): Promise<'taken' | 'closed' | 'refused'> {
  const userId = body.user.id;
  const refusal = await mayVote(deps.db, teamId, proposalId, userId, deps.clock());
  if (refusal && !refusal.ok && refusal.reason !== 'invalid' && refusal.reason !== 'repeat') {
    const core = (await findWorkspace(deps.db, teamId))?.core_channel_id;
    await tellUser(
      { client, respond: origin.respond, userId, channelId: origin.channelId },
      voteRefusalText(refusal, core),
    );
    return refusal.reason === 'closed' ? 'closed' : 'refused';
  }
  const proposal = await findProposal(deps.db, teamId, proposalId);
  if (!proposal) return 'refused';
  await client.views.open({
    trigger_id: body.trigger_id,
    view: voteReasonModal(proposal, position, { proposalId, position, channelId: origin.channelId }),
  });
  return 'taken';
}

/**
 * The proposal's menu: *Raise a concern* (the Core), *Amend the text* (the proposer or the backbone), *Close
 * the vote now* (backbone) and *Withdraw* (the proposer).
 */
export function proposalMenu(deps: ListenerDeps) {
  return async (args: OverflowArgs) => {
    const { ack, body, action, client, context } = args;
    await ack();
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const [verb, id] = action.selected_option.value.split(':');
    if (verb === 'concern' || verb === 'amend' || verb === 'extend') {
      const origin = originOf(args);
      const opener = {
        client,
        triggerId: body.trigger_id,
        teamId,
        userId,
        proposalId: Number(id),
        channelId: origin.channelId,
        tell: (text: string) =>
          tellUser({ client, respond: origin.respond, userId, channelId: origin.channelId }, text),
      };
      const open = { concern: openConcernForm, amend: openAmendForm, extend: openExtendForm }[verb];
      await open(deps, opener);
      return;
    }
    const what = verb === 'withdraw' ? 'withdraw' : 'close';
    const result = await closeByHand(
      deps.db,
      closingSlack(deps, { client, context }),
      { teamId, proposalId: Number(id), userId, action: what, once: actionOnce(teamId, body, action) },
      deps.clock(),
    );
    if (!result.ok && result.reason === 'repeat') return;
    const origin = originOf(args);
    await tellUser(
      { client, respond: origin.respond, userId, channelId: origin.channelId },
      closeAnswerText(result, what),
    );
    if (result.ok || result.reason === 'already-closed')
      await refreshProposalCopy(deps, client, teamId, Number(id), clickedMessage(body));
  };
}
