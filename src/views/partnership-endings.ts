import type { ActionStep, Proposal, WorkGroup } from '../db/schema.js';
import type { Decision } from '../services/consensus.js';
import type { GroupDecision } from '../services/proposals.js';
import { formatDate } from '../services/time.js';
import { type Message, section } from './blocks.js';
import { OUTCOME_LABELS, slackDate } from './proposals.js';
import { channel, escapeMrkdwn, list, user } from './text.js';

/**
 * Ending a partnership as the charter says: the work group's own vote first, in its channel; the Core's
 * proposal only after the group's consensus. These are the messages of the steps between.
 */

const titleOf = (p: Pick<Proposal, 'title'>) => `*${escapeMrkdwn(p.title)}*`;
const groupOf = (g: Pick<WorkGroup, 'name'>) => `*${escapeMrkdwn(g.name)}*`;

/** Said of the explore step, or of its absence. */
function exploreLine(group: WorkGroup, step: ActionStep | undefined): string {
  if (!step)
    return `Nobody in the backbone channel could take the action step *Explore supports with ${escapeMrkdwn(group.name)}*: a backbone member can make it with \`/commit\`.`;
  return `${user(step.owner_id)} of the backbone owns the action step *${escapeMrkdwn(step.title)}*, due ${formatDate(step.due_date)}: with the group’s representatives, explore what support would let it continue.`;
}

/**
 * To each representative (by DM) and to the backbone channel, once each (`proposal:to`): a representative
 * started ending the group's partnership; the group decides first; the explore step and who owns it.
 */
export function partnershipStartedMessage(
  proposal: Proposal,
  group: WorkGroup,
  step: ActionStep | undefined,
  audience: 'representative' | 'backbone',
): Message {
  const toRepresentative = audience === 'representative';
  const text = `:handshake: ${user(proposal.proposer_id)} started ending ${groupOf(group)}’s partnership with the coalition (${titleOf(proposal)}). As the charter asks, the group decides first, by consensus in ${channel(group.channel_id)} (its vote closes ${slackDate(proposal.closes_at)}); only if it agrees ${toRepresentative ? 'do you, its representatives,' : 'do its representatives'} present it to the Core.`;
  return {
    text: `${escapeMrkdwn(group.name)}: ending its partnership is up to the group first`,
    blocks: [section(text), section(exploreLine(group, step))],
  };
}

/** Why a group's vote did not reach consensus, in words. */
function whyNot(decision: Decision): string {
  switch (decision.outcome) {
    case 'blocked':
      return 'a member blocked it';
    case 'no_quorum':
      return `too few of its members voted (${decision.required} were needed, ${decision.cast} voted)`;
    case 'no_consensus':
      return 'too many of its members stood aside';
    case 'consensus':
      return '';
  }
}

/**
 * By DM to each representative and to whoever started it, once each (`proposal:to`): how the group's own
 * vote closed, and so whether the Core's proposal opened.
 */
export function groupOutcomeMessage(
  proposal: Proposal,
  group: WorkGroup,
  decision: Decision,
  core: Proposal | null,
): Message {
  const named = `${groupOf(group)}’s vote on ending its partnership (${titleOf(proposal)})`;
  let text: string;
  if (decision.outcome !== 'consensus')
    text = `${named} closed *${OUTCOME_LABELS[decision.outcome]}*: ${whyNot(decision)}. Nothing goes to the Core, and the partnership continues. The group’s decision and its reasons are in ${channel(group.channel_id)}.`;
  else if (core) {
    const presenters = list((core.payload.presenters ?? [core.proposer_id]).map(user));
    text = `${named} reached *consensus*. Its proposal is now open for the Core’s vote in ${channel(core.channel_id)}, presented by ${presenters}; the partnership ends only if the Core agrees too.`;
  } else
    text = `:warning: ${named} reached *consensus*, but Concert could not open the Core’s proposal; the backbone has been told, and it is in the group’s thread in ${channel(group.channel_id)}.`;
  return {
    text: `${escapeMrkdwn(group.name)}: the group’s vote on ending its partnership closed`,
    blocks: [section(text)],
  };
}

/** On the Core's proposal: who presents it, and the group's decision it follows. */
export function groupDecisionLine(groupDecision: GroupDecision, presenters: readonly string[]): string {
  const { proposal, votes, voters, link } = groupDecision;
  const count = (p: string) => votes.filter((v) => v.position === p).length;
  const outcome = proposal.outcome ? OUTCOME_LABELS[proposal.outcome] : 'Closed';
  const when = slackDate(proposal.closed_at ?? proposal.closes_at);
  return `Presented by ${list(presenters.map(user))}, its representatives. *The work group decided first:* ${outcome} in ${channel(proposal.channel_id)}, ${when} — ${votes.length} of ${voters} members voted: ${count('support')} support, ${count('stand_aside')} stand aside, ${count('block')} block. ${link ? `<${link}|Its vote, reasons and thread>` : 'Its vote, reasons and thread'} are in that channel.`;
}

/**
 * In the group's thread and the backbone channel, once each: the Core's proposal that could not open when the
 * group agreed is open now.
 */
export function coreOpenedLateMessage(groupVote: Proposal, group: WorkGroup, core: Proposal): Message {
  const presenters = list((core.payload.presenters ?? [core.proposer_id]).map(user));
  return {
    text: `${escapeMrkdwn(group.name)}: the Core’s vote on ending its partnership is open`,
    blocks: [
      section(
        `${groupOf(group)} agreed to end its partnership (${titleOf(groupVote)}), but the Core’s proposal could not open then. It is open now in ${channel(core.channel_id)}, presented by ${presenters}; the partnership ends only if the Core agrees too.`,
      ),
    ],
  };
}
