import type { ProposalRefusal, ResolveResult } from '../services/concerns.js';
import type { StatementRefusal } from '../services/outcome-statements.js';
import type { CloseResult } from '../services/proposal-closing.js';
import type { Roles } from '../services/roles.js';
import type { VoteRefusal } from '../services/votes.js';
import { OUTCOME_LABELS } from './proposals.js';
import { channel, escapeMrkdwn, user } from './text.js';

/** Why a vote was not taken; nothing was recorded in any of these cases. */
export function voteRefusalText(refusal: VoteRefusal, coreChannelId?: string | null): string {
  switch (refusal.reason) {
    case 'not-found':
      return 'That proposal no longer exists. Nothing was recorded.';
    case 'closed': {
      const p = refusal.proposal;
      const title = `*${escapeMrkdwn(p.title)}*`;
      if (p.status === 'withdrawn')
        return `${title} was withdrawn, so it takes no votes. Nothing was recorded.`;
      const outcome = p.outcome ? ` (${OUTCOME_LABELS[p.outcome]})` : '';
      return `Voting on ${title} has closed${outcome}. Your vote was not recorded.`;
    }
    case 'not-voter': {
      if (refusal.proposal.stage === 'group')
        return `Only the members of the work group’s channel ${channel(refusal.proposal.channel_id)} when *${escapeMrkdwn(refusal.proposal.title)}* was put to them can vote on it: ending a partnership is the group’s own decision first. Nothing was recorded.`;
      const core = coreChannelId ? `the members of ${channel(coreChannelId)}` : 'the Core’s members';
      return `Only ${core} when *${escapeMrkdwn(refusal.proposal.title)}* was put to the Core can vote on it. Nothing was recorded.`;
    }
  }
}

/** The answer to *Close the vote now* or *Withdraw* from the proposal's menu. */
export function closeAnswerText(
  result: Exclude<CloseResult, { reason: 'repeat' }>,
  action: 'close' | 'withdraw',
): string {
  if (result.ok) {
    const title = `*${escapeMrkdwn(result.proposal.title)}*`;
    return action === 'withdraw'
      ? `You withdrew ${title}. ${result.proposal.stage === 'group' ? 'The work group’s channel' : 'The Core channel'} has been told.`
      : `You closed the vote on ${title}. The outcome is in its thread.`;
  }
  switch (result.reason) {
    case 'not-found':
      return 'That proposal no longer exists.';
    case 'already-closed':
      return `*${escapeMrkdwn(result.proposal.title)}* is already ${result.proposal.status === 'withdrawn' ? 'withdrawn' : 'closed'}; nothing changed.`;
    case 'not-allowed':
      return action === 'withdraw'
        ? `Only ${user(result.proposal.proposer_id)}, who proposed it, can withdraw this proposal.`
        : `Only members of the backbone channel${result.backboneChannelId ? ` ${channel(result.backboneChannelId)}` : ''} can close a vote early. It closes by itself at its deadline, or once everyone eligible has voted.`;
  }
}

/** `/propose` from someone who may propose nothing at all. */
export function mayNotProposeText(roles: Roles): string {
  const core = roles.workspace?.core_channel_id;
  const backbone = roles.workspace?.backbone_channel_id;
  return `Only members of the Core channel${core ? ` ${channel(core)}` : ''} can make proposals (and the backbone${backbone ? `, ${channel(backbone)},` : ''} can propose adding a work group). Ask a Core member to put it forward, or ask to join the Core channel.`;
}

/** Why a concern or an amendment was not taken; nothing was recorded in any of these cases. */
export function proposalChangeRefusalText(
  refusal: ProposalRefusal,
  what: 'concern' | 'amend' | 'read' | 'extend',
): string {
  const things = { concern: 'concerns', amend: 'amendments', read: 'readers', extend: 'extensions' };
  switch (refusal.reason) {
    case 'not-found':
      return 'That proposal no longer exists. Nothing was recorded.';
    case 'closed':
      return `*${escapeMrkdwn(refusal.proposal.title)}* is no longer open for a vote, so it takes no more ${things[what]}. Nothing was recorded.`;
    case 'not-core':
      if (refusal.proposal.stage === 'group')
        return what === 'read'
          ? `Only members of the work group’s channel ${channel(refusal.proposal.channel_id)} and the backbone can read this proposal’s earlier texts.`
          : `Only members of the work group’s channel ${channel(refusal.proposal.channel_id)} can raise a concern on its own vote. Ask one of them to raise it.`;
      if (what === 'read')
        return `Only members of the Core channel${refusal.coreChannelId ? ` ${channel(refusal.coreChannelId)}` : ''} and the backbone can read a proposal’s earlier texts.`;
      return `Only members of the Core channel${refusal.coreChannelId ? ` ${channel(refusal.coreChannelId)}` : ''} can raise a concern on a proposal. Ask one of them to raise it.`;
    case 'not-proposer':
      return `Only ${user(refusal.proposal.proposer_id)}, who proposed it, or a member of the backbone channel${refusal.backboneChannelId ? ` ${channel(refusal.backboneChannelId)}` : ''} can ${what === 'extend' ? 'extend the vote on' : 'amend'} *${escapeMrkdwn(refusal.proposal.title)}*.${what === 'extend' ? ' Ask one of them to.' : ' Raise a concern instead: it is listed under the proposal for them to answer.'}`;
  }
}

/** Why the outcome statement form was not opened, or not taken. */
export function statementRefusalText(refusal: StatementRefusal): string {
  switch (refusal.reason) {
    case 'not-found':
      return 'That proposal no longer exists.';
    case 'not-closed':
      return refusal.proposal.status === 'withdrawn'
        ? `*${escapeMrkdwn(refusal.proposal.title)}* was withdrawn: nothing was decided, so there is no outcome to state.`
        : `The vote on *${escapeMrkdwn(refusal.proposal.title)}* is still open: the outcome statement is written once it closes.`;
    case 'written':
      return `The outcome statement of *${escapeMrkdwn(refusal.proposal.title)}* was written by ${user(refusal.statement.written_by)}; it is in the proposal’s thread, and its next steps are action steps.`;
    case 'not-allowed':
      return `Only ${user(refusal.proposal.proposer_id)}, who proposed it, or a member of the backbone channel${refusal.backboneChannelId ? ` ${channel(refusal.backboneChannelId)}` : ''} can write the outcome statement of *${escapeMrkdwn(refusal.proposal.title)}*.`;
  }
}

/** The answer to *Mark resolved* on a concern. */
export function resolveAnswerText(result: Exclude<ResolveResult, { reason: 'repeat' }>): string {
  if (result.ok)
    return result.changed
      ? 'Your concern is marked resolved; the proposal shows it so.'
      : 'Your concern was already marked resolved; nothing changed.';
  return result.reason === 'not-found'
    ? 'That concern no longer exists.'
    : `Only ${user(result.concern.raised_by)}, who raised this concern, can mark it resolved.`;
}
