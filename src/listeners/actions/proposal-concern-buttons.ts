import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { findConcern } from '../../db/proposal-texts.js';
import { findProposal } from '../../db/proposals.js';
import { todayFor } from '../../services/action-steps.js';
import {
  confirmPosition,
  mayAmend,
  mayRaiseConcern,
  mayReadEarlierTexts,
  resolveConcern,
} from '../../services/concerns.js';
import { extensionDefaults, mayExtend } from '../../services/extensions.js';
import { mayWriteStatement } from '../../services/outcome-statements.js';
import { proposalState } from '../../services/proposals.js';
import { webSender } from '../../slack/web-sender.js';
import { amendModal, concernModal, concernReply, earlierTextsModal } from '../../views/proposal-concerns.js';
import { extendModal, statementModal } from '../../views/proposal-records.js';
import {
  proposalChangeRefusalText,
  resolveAnswerText,
  statementRefusalText,
} from '../../views/proposal-refusals.js';
import { escapeMrkdwn } from '../../views/text.js';
import { clickedMessage } from '../copies.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { actionOnce } from '../interaction-key.js';
import { afterVote } from '../proposals.js';
import { tellUser } from '../reply.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type Client = AllMiddlewareArgs['client'];

interface Opener {
  client: Client;
  triggerId: string;
  teamId: string;
  userId: string;
  proposalId: number;
  /** Where a refusal is said when there is no response_url. */
  tell: (text: string) => Promise<void>;
  channelId: string | undefined;
}

/** The menu's *Raise a concern*: the form, if the person may raise one; else why not. */
export async function openConcernForm(deps: ListenerDeps, o: Opener): Promise<void> {
  const may = await mayRaiseConcern(deps.db, o, deps.clock());
  if (!may.ok) return o.tell(proposalChangeRefusalText(may, 'concern'));
  await o.client.views.open({
    trigger_id: o.triggerId,
    view: concernModal(may.proposal, { proposalId: o.proposalId, channelId: o.channelId }),
  });
}

/** The menu's *Amend the text*: the form with the text as it stands, for the proposer or the backbone. */
export async function openAmendForm(deps: ListenerDeps, o: Opener): Promise<void> {
  const may = await mayAmend(deps.db, o, deps.clock());
  if (!may.ok) return o.tell(proposalChangeRefusalText(may, 'amend'));
  await o.client.views.open({
    trigger_id: o.triggerId,
    view: amendModal(may.proposal, { proposalId: o.proposalId, channelId: o.channelId }),
  });
}

function replyTo(args: ButtonArgs) {
  const { body, client, respond } = args;
  return (text: string) =>
    tellUser(
      {
        client,
        respond: body.response_url ? respond : undefined,
        userId: body.user.id,
        channelId: body.channel?.id ?? body.container?.channel_id,
      },
      text,
    );
}

/** *Earlier texts* under an amended proposal: every text it had, read-only. */
export function earlierTextsButton(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    const teamId = teamIdOf({ context: args.context, body: args.body });
    const may = await mayReadEarlierTexts(deps.db, {
      teamId,
      proposalId: Number(args.action.value),
      userId: args.body.user.id,
    });
    if (!may.ok) return replyTo(args)(proposalChangeRefusalText(may, 'read'));
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: earlierTextsModal(await proposalState(deps.db, may.proposal)),
    });
  };
}

/** *Mark resolved* on a concern in the thread: by whoever raised it; the thread's copy and the proposal follow. */
export function resolveConcernButton(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    await deps.afterAck.run(async () => {
      const { body, client, context, action } = args;
      const teamId = teamIdOf({ context, body });
      const result = await resolveConcern(
        deps.db,
        { teamId, concernId: Number(action.value), userId: body.user.id },
        deps.clock(),
        actionOnce(teamId, body, action),
      );
      if (!result.ok && result.reason === 'repeat') return;
      await replyTo(args)(resolveAnswerText(result));
      if (!result.ok) return;
      const proposal = await findProposal(deps.db, teamId, result.concern.proposal_id);
      const clicked = clickedMessage(body);
      if (proposal && clicked) {
        const concern = (await findConcern(deps.db, teamId, result.concern.id)) ?? result.concern;
        const message = concernReply(proposal, concern);
        try {
          await webSender(client).update(clicked.channel, clicked.ts, message.text, message.blocks);
        } catch (error) {
          deps.log.warn({ err: error, concernId: concern.id }, 'could not show a concern as resolved');
        }
      }
      if (result.changed && proposal?.status === 'open') deps.liveTally.request(client, teamId, proposal.id);
    });
  };
}

/** *Keep my position* after an amendment: the position on the earlier text, given on the new one. */
export function keepPositionButton(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    await deps.afterAck.run(async () => {
      const { body, client, context, action } = args;
      const teamId = teamIdOf({ context, body });
      const userId = body.user.id;
      const result = await confirmPosition(
        deps.db,
        { teamId, proposalId: Number(action.value), voterId: userId },
        deps.clock(),
        actionOnce(teamId, body, action),
      );
      if (!result.ok && result.reason === 'no-position') {
        await replyTo(args)(
          `You have no position on *${escapeMrkdwn(result.proposal.title)}* to keep: choose Support, Stand aside or Block.`,
        );
        return;
      }
      await afterVote(deps, { client, context }, teamId, userId, result, {
        channelId: body.channel?.id ?? body.container?.channel_id,
        respond: body.response_url ? args.respond : undefined,
      });
    });
  };
}

/** The menu's *Extend the deadline*: the form, for the proposer or the backbone, while the vote is open. */
export async function openExtendForm(deps: ListenerDeps, o: Opener): Promise<void> {
  const may = await mayExtend(deps.db, o, deps.clock());
  if (!may.ok) return o.tell(proposalChangeRefusalText(may, 'extend'));
  await o.client.views.open({
    trigger_id: o.triggerId,
    view: extendModal(
      may.proposal,
      { ...extensionDefaults(may.proposal, may.tz), tz: may.tz },
      { proposalId: o.proposalId, channelId: o.channelId },
    ),
  });
}

/** *Outcome statement* on a closed proposal: the form, for the proposer or the backbone, once. */
export function writeStatementButton(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    const { body, client, context, action } = args;
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const may = await mayWriteStatement(deps.db, { teamId, proposalId: Number(action.value), userId });
    if (!may.ok) return replyTo(args)(statementRefusalText(may));
    const today = await todayFor(deps.db, teamId, userId, deps.clock());
    await client.views.open({
      trigger_id: body.trigger_id,
      view: statementModal(may.proposal, today, {
        proposalId: may.proposal.id,
        channelId: body.channel?.id ?? body.container?.channel_id,
      }),
    });
  };
}
