import type { KnownBlock, ModalView } from '@slack/types';
import type { ActionStep, Extension, OutcomeStatement, Proposal } from '../db/schema.js';
import { MAX_OPEN_DAYS } from '../services/closing-time.js';
import { asksForGap, NEXT_STEPS_MAX, STATEMENT_MAX } from '../services/outcome-statements.js';
import { formatDate } from '../services/time.js';
import { context, type Message, section, sections } from './blocks.js';
import { nth, PROPOSAL } from './ids.js';
import { dateInput, textInput, timeInput, userInput } from './inputs.js';
import { OUTCOME_LABELS, slackDate } from './proposals.js';
import { escapeMrkdwn, plain, user, userMrkdwn } from './text.js';

/** Carried by the extension and outcome statement forms to their submission. */
export interface ProposalRecordMetadata {
  proposalId: number;
  channelId?: string | undefined;
}

const titleOf = (p: Pick<Proposal, 'title'>) => `*${escapeMrkdwn(p.title)}*`;

/** *Extend the deadline*: the new close, in the extender's time zone. */
export function extendModal(
  proposal: Proposal,
  defaults: { closeDate: string; closeTime: string; tz: string },
  meta: ProposalRecordMetadata,
): ModalView {
  return {
    type: 'modal',
    callback_id: PROPOSAL.EXTEND_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain('Extend the vote', 24),
    submit: plain('Extend', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(
        `${titleOf(proposal)} closes ${slackDate(proposal.closes_at)}. ${proposal.stage === 'group' ? 'The work group is' : 'The Core is'} told of the new time; the old one is kept.`,
      ),
      dateInput(PROPOSAL.CLOSE_DATE, 'Voting now closes on', defaults.closeDate),
      timeInput(PROPOSAL.CLOSE_TIME, 'at', defaults.closeTime),
      context(
        `In your time zone, ${escapeMrkdwn(defaults.tz)}. Later than the close as it stands, at most ${MAX_OPEN_DAYS} days from now.`,
      ),
    ],
  };
}

/** In the thread, and by DM to each voter: the vote has more time. */
export function extendedMessage(proposal: Proposal, extension: Extension, to: string): Message {
  const text = `:hourglass_flowing_sand: ${user(extension.extended_by)} extended the vote on ${titleOf(proposal)}: it now closes ${slackDate(extension.new_closes_at)} instead of ${slackDate(extension.old_closes_at)}.${to === 'thread' ? '' : ' Your position, if you gave one, stands; you can change it until the new close.'}`;
  return { text: `The vote on ${escapeMrkdwn(proposal.title)} was extended`, blocks: [section(text)] };
}

/** The outcome statement's form: what was decided, what happens next, and up to five next steps. */
export function statementModal(proposal: Proposal, today: string, meta: ProposalRecordMetadata): ModalView {
  const rows: KnownBlock[] = [];
  for (let n = 1; n <= NEXT_STEPS_MAX; n++) {
    rows.push(
      textInput(nth(PROPOSAL.STEP_TITLE, n), `Next step ${n}`, null, 150, {
        optional: true,
        placeholder: 'What will be done',
      }),
      userInput(nth(PROPOSAL.STEP_OWNER, n), 'Who will do it', null, { optional: true }),
      dateInput(nth(PROPOSAL.STEP_DUE, n), 'Done by', null, { optional: true }),
    );
  }
  return {
    type: 'modal',
    callback_id: PROPOSAL.STATEMENT_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain('Outcome statement', 24),
    submit: plain('Record it', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(
        `${titleOf(proposal)}: *${proposal.outcome ? OUTCOME_LABELS[proposal.outcome] : 'Closed'}*. Record what was decided and what happens next.`,
      ),
      textInput(PROPOSAL.DECIDED, 'What was decided', null, STATEMENT_MAX, { multiline: true }),
      textInput(PROPOSAL.NEXT, 'What happens next', null, STATEMENT_MAX, { multiline: true, optional: true }),
      ...(asksForGap(proposal)
        ? [
            textInput(PROPOSAL.GAP, 'How will the gap left by the group be filled?', null, STATEMENT_MAX, {
              multiline: true,
              placeholder: 'Who takes on its part of the common agenda, and how',
            }),
          ]
        : []),
      context(
        `Up to ${NEXT_STEPS_MAX} next steps, each an action step with its owner and date (from ${formatDate(today)}): nudged and counted in the digest like any other.`,
      ),
      ...rows,
    ],
  };
}

/** One next step as the statement lists it. */
export function stepLine(step: ActionStep): string {
  return `• ${userMrkdwn(step.title, 200)} — ${user(step.owner_id)}, by ${formatDate(step.due_date)}`;
}

/** In the proposal's thread: the outcome statement and its next steps. */
export function statementReply(
  proposal: Proposal,
  statement: OutcomeStatement,
  steps: readonly ActionStep[],
): Message {
  const blocks: KnownBlock[] = [
    section(`:memo: *Outcome statement* on ${titleOf(proposal)}, by ${user(statement.written_by)}`),
    ...sections(`*What was decided*\n${escapeMrkdwn(statement.decided)}`),
  ];
  if (statement.next) blocks.push(...sections(`*What happens next*\n${escapeMrkdwn(statement.next)}`));
  if (statement.gap)
    blocks.push(
      ...sections(`*How the gap left by the group will be filled*\n${escapeMrkdwn(statement.gap)}`),
    );
  if (steps.length > 0)
    blocks.push(
      section(`*Next steps* (action steps, followed up like any other)\n${steps.map(stepLine).join('\n')}`),
    );
  return { text: `Outcome statement: ${escapeMrkdwn(proposal.title)}`, blocks };
}
