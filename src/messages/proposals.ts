import type { ActionStep, Concern, Extension, OutcomeStatement, Proposal, Vote } from '../db/schema.js';
import { positionStillToConfirm } from '../services/concerns.js';
import type { Decision } from '../services/consensus.js';
import { messageKind } from '../services/outgoing.js';
import { proposalStillOpen, voterStillAwaited } from '../services/proposal-closing.js';
import type { ProposalState } from '../services/proposals.js';
import {
  amendedReply,
  blockNoticeMessage,
  concernReply,
  confirmReminderMessage,
  recheckMessage,
} from '../views/proposal-concerns.js';
import { extendedMessage, statementReply } from '../views/proposal-records.js';
import { effectFailedMessage, outcomeReply, proposalMessage, reminderMessage } from '../views/proposals.js';

/** The proposal and voter a message was keyed with (`proposal[:voter]`). */
function keyed(key: string): { proposalId: number; voter: string } {
  const [id, voter] = key.split(':');
  return { proposalId: Number(id), voter: voter ?? '' };
}

/** The proposal as it stands, and the votes it needs (none shown for a withdrawn one). */
interface ProposalShown {
  state: ProposalState;
  required: number | undefined;
}

/** The message that puts a proposal to the Core, with its vote buttons and live tally: once per proposal. */
export const proposal = messageKind({
  key: ({ state }: ProposalShown) => String(state.proposal.id),
  render: ({ state, required }) => proposalMessage(state, required),
  stillWanted: (db, row) => proposalStillOpen(db, row.team_id, keyed(row.dedupe_key).proposalId),
  failure: { means: 'the Core was not asked to vote on a proposal', told: 'backbone' },
});

/** The proposal's message rewritten in place at the close: no buttons, the outcome. Once per proposal. */
export const proposal_final = messageKind({
  key: ({ state }: ProposalShown) => String(state.proposal.id),
  render: ({ state, required }) => proposalMessage(state, required),
  failure: {
    means: 'a closed proposal’s message still offers its vote buttons (a click is refused)',
    told: 'backbone',
  },
});

/** The closed proposal's message rewritten once its outcome statement is written: no more button. Once. */
export const proposal_stated = messageKind({
  key: ({ state }: ProposalShown) => String(state.proposal.id),
  render: ({ state, required }) => proposalMessage(state, required),
  failure: {
    means: 'a closed proposal’s message still offers to write its outcome statement (a click is answered)',
    told: 'backbone',
  },
});

/** The threaded reply that states the outcome, why, and what was put into effect: once per proposal. */
export const proposal_outcome = messageKind({
  key: ({ state }: { state: ProposalState; decision: Decision | undefined; effect: string | undefined }) =>
    String(state.proposal.id),
  render: ({ state, decision, effect }) => outcomeReply(state, decision, effect),
  failure: { means: 'the Core did not hear a proposal’s outcome', told: 'backbone' },
});

/**
 * An agreed decision Concert could not put into effect: once in the proposal's thread and once to the
 * backbone (`proposal:thread`, `proposal:backbone`), who must do it by hand.
 */
export const proposal_effect_failed = messageKind({
  key: ({ proposal, where }: { proposal: Proposal; error: string; where: 'thread' | 'backbone' }) =>
    `${proposal.id}:${where}`,
  render: ({ proposal, error }) => effectFailedMessage(proposal, error),
  failure: { means: 'nobody heard that an agreed decision was not put into effect', told: 'backbone' },
});

/** The one reminder per proposal, by DM, to each eligible voter who has not voted: once per voter. */
export const proposal_reminder = messageKind({
  key: ({ proposal, voter }: { proposal: Proposal; voter: string }) => `${proposal.id}:${voter}`,
  render: ({ proposal }) => reminderMessage(proposal),
  stillWanted: (db, row) => voterStillAwaited(db, row.team_id, keyed(row.dedupe_key)),
  failure: { means: 'a voter was not reminded of a vote closing soon', told: 'nobody' },
});

/**
 * The one reminder, a day before the close, to each voter whose position stands on an earlier text: confirm
 * or change it. Once per proposal and voter (`proposal:voter`); not sent once they have.
 */
export const proposal_confirm_reminder = messageKind({
  key: ({ proposal, voter }: { proposal: Proposal; voter: string }) => `${proposal.id}:${voter}`,
  render: ({ proposal }) => confirmReminderMessage(proposal),
  stillWanted: (db, row) => positionStillToConfirm(db, row.team_id, keyed(row.dedupe_key)),
  failure: { means: 'a voter was not reminded to confirm a position before the close', told: 'nobody' },
});

/** A concern raised under a proposal, in its thread, with *Mark resolved*: once per concern. */
export const proposal_concern = messageKind({
  key: ({ concern }: { proposal: Proposal; concern: Concern }) => String(concern.id),
  render: ({ proposal, concern }) => concernReply(proposal, concern),
  failure: { means: 'a concern was not posted in its proposal’s thread', told: 'backbone' },
});

/** In the proposal's thread: its text was amended, by whom and why. Once per amendment (`proposal:version`). */
export const proposal_amended = messageKind({
  key: ({ proposal }: { proposal: Proposal; by: string; note: string | null }) =>
    `${proposal.id}:${proposal.text_version}`,
  render: ({ proposal, by, note }) => amendedReply(proposal, by, note),
  failure: { means: 'the Core was not told in the thread that a proposal was amended', told: 'backbone' },
});

/**
 * By DM, after an amendment, to each voter whose position stands on the earlier text: keep it or change it.
 * Once per amendment and voter (`proposal:version:voter`); not sent once they have.
 */
export const proposal_recheck = messageKind({
  key: ({ proposal, voter }: { proposal: Proposal; voter: string }) =>
    `${proposal.id}:${proposal.text_version}:${voter}`,
  render: ({ proposal }) => recheckMessage(proposal),
  stillWanted: (db, row) => {
    const [id, , voter] = row.dedupe_key.split(':');
    return positionStillToConfirm(db, row.team_id, { proposalId: Number(id), voter: voter ?? '' });
  },
  failure: { means: 'a voter was not asked to confirm a position after an amendment', told: 'nobody' },
});

/** By DM to the proposer, at once, for each Block with its ground: once per Block (`proposal:voter:at`). */
export const proposal_block_notice = messageKind({
  key: ({ proposal, vote }: { proposal: Proposal; vote: Vote }) =>
    `${proposal.id}:${vote.voter_id}:${new Date(vote.voted_at).getTime()}`,
  render: ({ proposal, vote }) => blockNoticeMessage(proposal, vote),
  stillWanted: (db, row) => proposalStillOpen(db, row.team_id, keyed(row.dedupe_key).proposalId),
  failure: { means: 'a proposer was not told of a Block on their proposal', told: 'nobody' },
});

/**
 * An extension of a vote's deadline: once in the thread (`proposal:extension:thread`) and once by DM to
 * each voter (`proposal:extension:voter`), only while the vote is open.
 */
export const proposal_extended = messageKind({
  key: ({ extension, to }: { proposal: Proposal; extension: Extension; to: string }) =>
    `${extension.proposal_id}:${extension.id}:${to}`,
  render: ({ proposal, extension, to }) => extendedMessage(proposal, extension, to),
  stillWanted: (db, row) => proposalStillOpen(db, row.team_id, keyed(row.dedupe_key).proposalId),
  failure: { means: 'the Core was not told a vote was given more time', told: 'backbone' },
});

/** The outcome statement in the proposal's thread, with its next steps: once per proposal. */
export const proposal_statement = messageKind({
  key: ({ proposal }: { proposal: Proposal; statement: OutcomeStatement; steps: ActionStep[] }) =>
    String(proposal.id),
  render: ({ proposal, statement, steps }) => statementReply(proposal, statement, steps),
  failure: { means: 'the Core did not see a decision’s outcome statement', told: 'backbone' },
});
