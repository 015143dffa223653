import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { amendProposal, raiseConcern } from '../../services/concerns.js';
import { deliverDue } from '../../services/delivery.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { webSender } from '../../slack/web-sender.js';
import { PROPOSAL } from '../../views/ids.js';
import type { ProposalChangeMetadata } from '../../views/proposal-concerns.js';
import { proposalChangeRefusalText } from '../../views/proposal-refusals.js';
import { escapeMrkdwn } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { viewOnce } from '../interaction-key.js';
import { tellUser } from '../reply.js';
import { blockErrors, stateReader, viewMetadata } from './state.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const AMEND_BLOCKS = { title: PROPOSAL.TITLE, details: PROPOSAL.DETAILS, note: PROPOSAL.AMEND_NOTE };

/** A concern: listed under the proposal and posted in its thread; one form raises one. */
export function concernSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const meta = viewMetadata<ProposalChangeMetadata>(view.private_metadata);
    const now = deps.clock();
    const result = await raiseConcern(
      deps.db,
      {
        teamId,
        proposalId: Number(meta.proposalId),
        userId,
        text: stateReader(view.state.values).text(PROPOSAL.CONCERN),
        viewId: view.id,
      },
      now,
    );
    if (!result.ok) {
      const error =
        result.reason === 'invalid'
          ? (result.errors.concern ?? '')
          : proposalChangeRefusalText(result, 'concern').replace(/\*/g, '');
      await ack({ response_action: 'errors', errors: { [PROPOSAL.CONCERN.block]: error } });
      return;
    }
    await ack();
    if (result.duplicate) return;
    await deliverDue(deps.db, webSender(client), queuedMessageStillWanted(deps.db), now, deps.log, {
      ids: result.ids,
    });
    deps.liveTally.request(client, teamId, result.proposal.id);
    await tellUser(
      { client, userId, channelId: meta.channelId },
      `Your concern on *${escapeMrkdwn(result.proposal.title)}* is listed under it and in its thread.`,
    );
  };
}

/** An amendment: the new text, the earlier kept, the thread told and the earlier voters asked. */
export function amendSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const meta = viewMetadata<ProposalChangeMetadata>(view.private_metadata);
    const read = stateReader(view.state.values);
    const now = deps.clock();
    const result = await amendProposal(
      deps.db,
      {
        teamId,
        proposalId: Number(meta.proposalId),
        userId,
        fromVersion: Number(meta.fromVersion),
        title: read.text(PROPOSAL.TITLE),
        details: read.text(PROPOSAL.DETAILS),
        note: read.text(PROPOSAL.AMEND_NOTE),
      },
      now,
      viewOnce(teamId, view),
    );
    if (!result.ok) {
      if (result.reason === 'repeat') {
        await ack();
        return;
      }
      const errors =
        result.reason === 'invalid'
          ? blockErrors(result.errors, AMEND_BLOCKS)
          : { [PROPOSAL.TITLE.block]: proposalChangeRefusalText(result, 'amend').replace(/\*/g, '') };
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    await deliverDue(deps.db, webSender(client), queuedMessageStillWanted(deps.db), now, deps.log, {
      ids: result.ids,
    });
    deps.liveTally.request(client, teamId, result.proposal.id);
    // Their App Home lists the proposals awaiting their confirmation.
    for (const voter of result.asked)
      deps.homes.request(deps, client, directoryFor({ client, context }), teamId, voter);
    const asked = result.asked.length;
    await tellUser(
      { client, userId, channelId: meta.channelId },
      `You amended *${escapeMrkdwn(result.proposal.title)}*. ${
        asked === 0
          ? 'Nobody had given a position yet.'
          : `${asked} ${asked === 1 ? 'voter was' : 'voters were'} asked by DM to confirm or change their position.`
      }`,
    );
  };
}
