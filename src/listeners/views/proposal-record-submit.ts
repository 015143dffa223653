import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { deliverDue } from '../../services/delivery.js';
import { extendProposal } from '../../services/extensions.js';
import { NEXT_STEPS_MAX, writeOutcomeStatement } from '../../services/outcome-statements.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { webSender } from '../../slack/web-sender.js';
import { nth, PROPOSAL } from '../../views/ids.js';
import type { ProposalRecordMetadata } from '../../views/proposal-records.js';
import { proposalChangeRefusalText, statementRefusalText } from '../../views/proposal-refusals.js';
import { slackDate } from '../../views/proposals.js';
import { escapeMrkdwn } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';
import { blockErrors, stateReader, viewMetadata } from './state.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const EXTEND_BLOCKS = { closeDate: PROPOSAL.CLOSE_DATE, closeTime: PROPOSAL.CLOSE_TIME };

/** An extension of the deadline: the close moved, the old time kept, the thread and the voters told. */
export function extendSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const meta = viewMetadata<ProposalRecordMetadata>(view.private_metadata);
    const read = stateReader(view.state.values);
    const now = deps.clock();
    const result = await extendProposal(
      deps.db,
      {
        teamId,
        proposalId: Number(meta.proposalId),
        userId,
        closeDate: read.date(PROPOSAL.CLOSE_DATE),
        closeTime: read.time(PROPOSAL.CLOSE_TIME),
        viewId: view.id,
      },
      now,
    );
    if (!result.ok) {
      const errors =
        result.reason === 'invalid'
          ? blockErrors(result.errors, EXTEND_BLOCKS)
          : { [PROPOSAL.CLOSE_DATE.block]: proposalChangeRefusalText(result, 'extend').replace(/\*/g, '') };
      await ack({ response_action: 'errors', errors });
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
      `The vote on *${escapeMrkdwn(result.proposal.title)}* now closes ${slackDate(result.extension.new_closes_at)}. ${result.proposal.stage === 'group' ? 'The work group has' : 'The Core has'} been told.`,
    );
  };
}

/** The outcome statement: recorded, its next steps made action steps, the thread and the owners told. */
export function statementSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const meta = viewMetadata<ProposalRecordMetadata>(view.private_metadata);
    const read = stateReader(view.state.values);
    const now = deps.clock();
    const steps = Array.from({ length: NEXT_STEPS_MAX }, (_, i) => ({
      title: read.text(nth(PROPOSAL.STEP_TITLE, i + 1)),
      ownerId: read.user(nth(PROPOSAL.STEP_OWNER, i + 1)),
      dueDate: read.date(nth(PROPOSAL.STEP_DUE, i + 1)),
    }));
    const result = await writeOutcomeStatement(
      deps.db,
      directoryFor({ client, context }),
      {
        teamId,
        proposalId: Number(meta.proposalId),
        userId,
        decided: read.text(PROPOSAL.DECIDED),
        next: read.text(PROPOSAL.NEXT),
        gap: read.text(PROPOSAL.GAP),
        steps,
      },
      now,
    );
    if (!result.ok) {
      if (result.reason === 'repeat') {
        await ack();
        return;
      }
      const errors: Record<string, string> = {};
      if (result.reason === 'invalid') {
        for (const [field, message] of Object.entries(result.errors)) {
          const row = /^step(\d)(Title|Owner|Due)$/.exec(field);
          const ids = row
            ? nth(
                { Title: PROPOSAL.STEP_TITLE, Owner: PROPOSAL.STEP_OWNER, Due: PROPOSAL.STEP_DUE }[
                  row[2] as 'Title' | 'Owner' | 'Due'
                ],
                Number(row[1]),
              )
            : field === 'next'
              ? PROPOSAL.NEXT
              : field === 'gap'
                ? PROPOSAL.GAP
                : PROPOSAL.DECIDED;
          errors[ids.block] = message;
        }
      } else errors[PROPOSAL.DECIDED.block] = statementRefusalText(result).replace(/\*/g, '');
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    await deliverDue(deps.db, webSender(client), queuedMessageStillWanted(deps.db), now, deps.log, {
      ids: result.ids,
    });
    const count = result.steps.length;
    await tellUser(
      { client, userId, channelId: meta.channelId },
      `The outcome statement of *${escapeMrkdwn(result.proposal.title)}* is in its thread${
        count > 0
          ? `, and its ${count === 1 ? 'next step is an action step' : `${count} next steps are action steps`}`
          : ''
      }.`,
    );
  };
}
