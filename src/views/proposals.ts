import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { DecisionRecord } from '../db/proposal-records.js';
import type {
  BackboneTrigger,
  BlockGround,
  Position,
  Proposal,
  ProposalKind,
  ProposalOutcome,
  Vote,
} from '../db/schema.js';
import type { Decision } from '../services/consensus.js';
import { currentVotes, DECISIONS_SHOWN, type ProposalState } from '../services/proposals.js';
import { context, MESSAGE_MAX_BLOCKS, type Message, section, sections, withinBlocks } from './blocks.js';
import { PROPOSAL } from './ids.js';
import { groupDecisionLine } from './partnership-endings.js';
import { amendedBlock, concernsBlock } from './proposal-concerns.js';
import { channel, escapeMrkdwn, list, plain, user, userMrkdwn } from './text.js';

export type { Message } from './blocks.js';

export const KIND_LABELS: Record<ProposalKind, string> = {
  add_work_group: 'Add a work group',
  end_work_group: 'End a work group partnership',
  change_backbone: 'Change the backbone',
  other: 'Other proposal',
};

export const OUTCOME_LABELS: Record<ProposalOutcome, string> = {
  consensus: 'Consensus reached',
  blocked: 'Blocked',
  no_quorum: 'No quorum',
  no_consensus: 'No consensus',
};

export const POSITION_LABELS: Record<Position, string> = {
  support: 'Support',
  stand_aside: 'Stand aside',
  block: 'Block',
};

/** The shared commitments a Block can name, as the charter words them. */
export const GROUND_LABELS: Record<BlockGround, string> = {
  common_agenda: 'the common agenda',
  accountabilities: 'the charter’s accountabilities',
  other: 'another shared commitment',
};

/** The charter's triggers for changing the backbone, as the proposal states them. */
const TRIGGER_LINES: Record<BackboneTrigger, string> = {
  no_longer_interested: 'the backbone is no longer interested',
  not_meeting_expectations: 'the backbone is not meeting the coalition’s expectations',
  better_placed: 'another partner is better placed to be the backbone',
  other: 'another reason, given in the details',
};

/** Slack shows this in each reader's own time zone; the fallback is for clients that cannot. */
export function slackDate(at: Date): string {
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${unix}^{date_short_pretty} at {time}|${fallback}>`;
}

const titleOf = (p: Proposal) => `*${escapeMrkdwn(p.title)}*`;

/** A proposal's kind as the decision log and the records name it: a group's own vote is said so. */
export function kindLabel(p: Pick<Proposal, 'kind' | 'stage'>): string {
  return p.stage === 'group' ? 'End a partnership: the work group’s own vote' : KIND_LABELS[p.kind];
}

/** Who decides a proposal: the Core, or (its own vote on ending its partnership) the work group. */
function decidersOf(state: Pick<ProposalState, 'proposal' | 'workGroup'>): string {
  return state.proposal.stage === 'group'
    ? `members of ${escapeMrkdwn(state.workGroup?.name ?? 'the work group')}`
    : 'Core members';
}

/** What the proposal would change, in a line. */
export function effectLine(
  state: Pick<ProposalState, 'proposal' | 'workGroup'> & Partial<Pick<ProposalState, 'groupDecision'>>,
): string | undefined {
  const { proposal, workGroup } = state;
  const payload = proposal.payload;
  if (proposal.stage === 'group')
    return `*${escapeMrkdwn(workGroup?.name ?? 'The work group')} decides first*, as the charter asks: if its members agree by consensus, its representatives present ending the partnership to the Core, and it ends only if the Core agrees too. Meanwhile the backbone and the representatives explore what support would let it continue.`;
  switch (proposal.kind) {
    case 'add_work_group':
      return `Adds the work group *${escapeMrkdwn(payload.groupName ?? '')}* in ${channel(payload.groupChannelId ?? '')}.${
        payload.joinRequestId
          ? ' The group asked to join and said it is willing to meet the coalition’s expectations.'
          : ''
      }`;
    case 'end_work_group': {
      const ends = `Ends the partnership with the work group *${escapeMrkdwn(workGroup?.name ?? 'unknown')}*: no more check-ins or nudges; its history is kept.`;
      return state.groupDecision
        ? `${ends}\n${groupDecisionLine(state.groupDecision, payload.presenters ?? [proposal.proposer_id])}`
        : ends;
    }
    case 'change_backbone':
      return `Makes ${channel(payload.backboneChannelId ?? '')} the backbone channel.${
        payload.backboneTrigger ? ` The charter’s reason: ${TRIGGER_LINES[payload.backboneTrigger]}.` : ''
      }`;
    case 'other':
      return undefined;
  }
}

export function tallyText(state: ProposalState): string {
  const current = currentVotes(state);
  const earlier = state.votes.filter((v) => !current.includes(v));
  const line = (p: Position) => {
    const votes = current.filter((v) => v.position === p);
    const before = earlier.filter((v) => v.position === p);
    const shown = [
      ...votes.map((v) => user(v.voter_id)),
      ...before.map((v) => `${user(v.voter_id)} _(on the earlier text)_`),
    ];
    return `*${POSITION_LABELS[p]}* (${votes.length})${shown.length > 0 ? `: ${shown.join(', ')}` : ''}`;
  };
  const waiting = state.voters.length - current.length;
  const toConfirm = earlier.length > 0 ? ` (${earlier.length} of them on the earlier text, to confirm)` : '';
  return [
    line('support'),
    line('stand_aside'),
    line('block'),
    `Not yet voted: ${waiting} of ${state.voters.length}${toConfirm}`,
  ].join('\n');
}

/** Support, Stand aside, Block: the same three wherever a proposal is offered for a vote. */
export function voteButtons(proposal: Proposal, blockId: string, withMenu: boolean): ActionsBlock {
  const value = String(proposal.id);
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      { type: 'button', action_id: PROPOSAL.SUPPORT, text: plain('Support'), style: 'primary', value },
      { type: 'button', action_id: PROPOSAL.STAND_ASIDE, text: plain('Stand aside'), value },
      { type: 'button', action_id: PROPOSAL.BLOCK, text: plain('Block'), style: 'danger', value },
      ...(withMenu
        ? [
            {
              type: 'overflow' as const,
              action_id: PROPOSAL.MORE,
              options: [
                { text: plain('Raise a concern'), value: `concern:${value}` },
                { text: plain('Amend the text'), value: `amend:${value}` },
                { text: plain('Extend the deadline'), value: `extend:${value}` },
                { text: plain('Close the vote now'), value: `close:${value}` },
                { text: plain('Withdraw'), value: `withdraw:${value}` },
              ],
            },
          ]
        : []),
    ],
  };
}

function closedLine(proposal: Proposal): string {
  if (proposal.status === 'withdrawn')
    return `*Withdrawn* by ${user(proposal.proposer_id)}. Nothing was decided.`;
  const outcome = proposal.outcome ? OUTCOME_LABELS[proposal.outcome] : 'Closed';
  const how =
    proposal.close_reason === 'early' && proposal.closed_by
      ? `closed early by ${user(proposal.closed_by)}`
      : proposal.close_reason === 'all_voted'
        ? 'closed when every eligible voter had voted'
        : 'closed at its deadline';
  return `*${outcome}* — ${how}. Reasons are in the thread.`;
}

/** “ (extended from …)”: the close as first set, when it was moved. */
function extendedNote(state: ProposalState): string {
  const first = state.extensions[0];
  if (!first) return '';
  const times = state.extensions.length === 1 ? '' : `, ${state.extensions.length} times`;
  return ` (extended from ${slackDate(first.old_closes_at)}${times})`;
}

/**
 * The closed proposal's last line: its outcome, and for a decided one the button with which the proposer
 * or the backbone writes the outcome statement (what was decided, what happens next, its next steps), until
 * it is written.
 */
function closedBlock(state: ProposalState): KnownBlock {
  const { proposal, statement } = state;
  // Written once: the button goes, and the line says where the statement is.
  if (statement)
    return section(
      `${closedLine(proposal)}\n:memo: Outcome statement by ${user(statement.written_by)}, in the thread.`,
    );
  const line = section(closedLine(proposal));
  if (proposal.status !== 'closed') return line;
  return {
    ...line,
    accessory: {
      type: 'button',
      action_id: PROPOSAL.WRITE_STATEMENT,
      text: plain('Outcome statement'),
      value: String(proposal.id),
    },
  };
}

/** The proposal as the Core sees it in its channel: live while open, final once closed. */
export function proposalMessage(state: ProposalState, required?: number): Message {
  const { proposal } = state;
  const open = proposal.status === 'open';
  const blocks: KnownBlock[] = [
    section(
      `:ballot_box_with_ballot: *Proposal:* ${titleOf(proposal)}\n${kindLabel(proposal)} · proposed by ${user(proposal.proposer_id)}`,
    ),
  ];
  const effect = effectLine(state);
  if (effect) blocks.push(section(effect));
  // The details whole, however long escaping makes them: the Core votes on what it can read.
  if (proposal.details) blocks.push(...sections(escapeMrkdwn(proposal.details)));
  const amended = amendedBlock(state);
  if (amended) blocks.push(amended);
  const concerns = concernsBlock(state);
  if (concerns) blocks.push(concerns);
  const quorum = required === undefined ? '' : ` · ${required} votes needed`;
  blocks.push(
    context(
      open
        ? `Voting closes ${slackDate(proposal.closes_at)}${extendedNote(state)} · ${state.voters.length} eligible ${decidersOf(state)}${quorum} · Stand aside and Block ask for a reason.`
        : `Voting closed ${slackDate(proposal.closed_at ?? proposal.closes_at)} · ${state.voters.length} eligible ${decidersOf(state)}${quorum}.`,
    ),
  );
  // Every voter by name, in as many sections as a large Core takes.
  blocks.push(...sections(tallyText(state), `proposal_tally_${proposal.id}`));
  const fitting = withinBlocks(
    blocks,
    (left) => `…and ${left} more sections of names: the backbone’s \`/concert export\` has every vote.`,
    MESSAGE_MAX_BLOCKS - 1,
  );
  fitting.push(open ? voteButtons(proposal, `proposal_${proposal.id}`, true) : closedBlock(state));
  const status = open
    ? 'open for a vote'
    : proposal.status === 'withdrawn'
      ? 'withdrawn'
      : OUTCOME_LABELS[proposal.outcome ?? 'no_quorum'];
  return { text: `Proposal: ${escapeMrkdwn(proposal.title)} (${status})`, blocks: fitting };
}

/** A reason as the outcome shows it; the form takes up to 1,000 characters, which escaping can lengthen. */
const REASON_SHOWN_MAX = 1200;
/** Reasons shown in the outcome, inside a message's 50 blocks with its summary, effect and “more” lines. */
const REASONS_SHOWN = 40;

function reasonsOf(votes: readonly Vote[], position: Position): string[] {
  return votes
    .filter((v) => v.position === position)
    .map((v) => {
      const ground = v.block_ground ? ` _(breaks ${GROUND_LABELS[v.block_ground]})_` : '';
      return `• ${user(v.voter_id)}${ground}${v.reason ? `: ${userMrkdwn(v.reason, REASON_SHOWN_MAX)}` : ''}`;
    });
}

/** The grounds the blocks gave, counted: “, on the grounds of the common agenda (2) and another …”. */
function groundsLine(votes: readonly Vote[]): string {
  const counts = new Map<BlockGround, number>();
  for (const v of votes)
    if (v.position === 'block' && v.block_ground)
      counts.set(v.block_ground, (counts.get(v.block_ground) ?? 0) + 1);
  if (counts.size === 0) return '';
  const parts = [...counts].map(([ground, n]) => `${GROUND_LABELS[ground]}${n > 1 ? ` (${n})` : ''}`);
  return `, who ${votes.filter((v) => v.position === 'block').length === 1 ? 'says it breaks' : 'say it breaks'} ${list(parts)}`;
}

/** One section per reason, the first under the heading; those beyond `room` are counted, not shown. */
function reasonBlocks(heading: string, reasons: readonly string[], room: number): KnownBlock[] {
  if (reasons.length === 0) return [];
  const shown = reasons.slice(0, Math.max(0, room));
  const blocks: KnownBlock[] = shown.map((reason, i) =>
    section(i === 0 ? `*${heading}*\n${reason}` : reason),
  );
  const more = reasons.length - shown.length;
  if (more > 0) {
    const count = `${more} more ${more === 1 ? 'reason' : 'reasons'}`;
    const where = 'the backbone’s `/concert export` has every vote with its reason';
    blocks.push(context(shown.length > 0 ? `…and ${count}: ${where}.` : `*${heading}*: ${count}: ${where}.`));
  }
  return blocks;
}

/** The threaded reply that states the outcome, why, and the reasons people gave. */
export function outcomeReply(
  state: ProposalState,
  decision: Decision | undefined,
  effect: string | undefined,
): Message {
  const { proposal } = state;
  // Only positions on the final text count; those left on an earlier text are said, not counted.
  const votes = currentVotes(state);
  const unconfirmed = state.votes.length - votes.length;
  if (proposal.status === 'withdrawn' || !decision) {
    const text = (title: string) => `${user(proposal.proposer_id)} withdrew ${title}. Nothing was decided.`;
    return { text: text(escapeMrkdwn(proposal.title)), blocks: [section(text(titleOf(proposal)))] };
  }
  const count = (p: Position) => votes.filter((v) => v.position === p).length;
  const grounds = groundsLine(votes);
  const turnout = `${decision.cast} of ${state.voters.length} eligible voted (${decision.required} needed): ${count('support')} support, ${count('stand_aside')} stand aside, ${count('block')} block.`;
  const why: Record<ProposalOutcome, string> = {
    blocked: `Blocked by ${list(votes.filter((v) => v.position === 'block').map((v) => user(v.voter_id)))}${grounds}.`,
    no_quorum: `Too few voted to decide: ${decision.required} votes were needed.`,
    no_consensus: `Too many stood aside: more than ${proposal.stand_aside_limit} of the votes cast.`,
    consensus: proposal.stage === 'group' ? 'The work group agreed.' : 'The Core agreed.',
  };
  const blocking = reasonsOf(votes, 'block');
  const asides = reasonsOf(votes, 'stand_aside');
  // Blocks are shown first: they are what decided the outcome.
  const amended =
    proposal.text_version > 1
      ? `\n\nThe text was amended ${proposal.text_version === 2 ? 'once' : `${proposal.text_version - 1} times`}; only positions on the final text count. ${
          unconfirmed === 0
            ? 'Every position given on an earlier text was confirmed or changed.'
            : `${unconfirmed} ${unconfirmed === 1 ? 'position' : 'positions'} given on an earlier text ${unconfirmed === 1 ? 'was' : 'were'} not confirmed and ${unconfirmed === 1 ? 'counts' : 'count'} as not voted.`
        }`
      : '';
  const blocks: KnownBlock[] = [
    section(
      `*${OUTCOME_LABELS[decision.outcome]}* on ${titleOf(proposal)}. ${why[decision.outcome]}\n\n${turnout}${amended}`,
    ),
    ...reasonBlocks('Blocks', blocking, REASONS_SHOWN),
    ...reasonBlocks('Stand asides', asides, REASONS_SHOWN - blocking.length),
  ];
  if (effect) blocks.push(section(effect));
  return { text: `${OUTCOME_LABELS[decision.outcome]}: ${escapeMrkdwn(proposal.title)}`, blocks };
}

/** `error` is mrkdwn already, its names escaped where it was written. */
export function effectFailedMessage(proposal: Proposal, error: string): Message {
  // A work group's decision to end its partnership goes to the Core on its own once what stopped it is fixed
  // (services/stalled-decisions.ts); any other decision waits for a person.
  const next =
    proposal.stage === 'group'
      ? 'Concert opens the Core’s proposal by itself as soon as that is fixed, for 30 days.'
      : 'The backbone needs to do it by hand or bring a new proposal.';
  const text = (title: string) =>
    `:warning: ${title} reached consensus, but Concert could not put it into effect: ${error} ${next}`;
  return {
    text: text(escapeMrkdwn(proposal.title)).replace(/\*/g, ''),
    blocks: [section(text(titleOf(proposal)))],
  };
}

export function reminderMessage(proposal: Proposal): Message {
  const whose = proposal.stage === 'group' ? 'your work group’s' : 'the Core’s';
  const text = `A reminder: ${whose} vote on ${titleOf(proposal)} closes ${slackDate(proposal.closes_at)}, and you haven’t voted yet.`;
  return {
    text: `A reminder: ${whose} vote on ${escapeMrkdwn(proposal.title)} closes soon, and you haven’t voted yet.`,
    blocks: [section(text), voteButtons(proposal, `proposal_${proposal.id}_reminder`, false)],
  };
}

/** Proposals awaiting my vote that the App Home shows, soonest to close first. */
export const AWAITING_SHOWN = 10;

/**
 * App Home: what is waiting for my vote, with the buttons: the first `shown`, and how many more wait in the
 * Core channel.
 */
export function awaitingVoteBlocks(
  proposals: readonly Proposal[],
  coreChannelId: string,
  shown = Math.min(proposals.length, AWAITING_SHOWN),
): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    { type: 'header', text: plain('Proposals awaiting your vote', 150) },
  ];
  if (proposals.length === 0) {
    blocks.push(section('Nothing is waiting for your vote.'));
    return blocks;
  }
  for (const p of proposals.slice(0, shown)) {
    blocks.push(section(`${titleOf(p)} · ${kindLabel(p)} · closes ${slackDate(p.closes_at)}`));
    blocks.push(voteButtons(p, `proposal_${p.id}_home`, false));
  }
  const more = proposals.length - shown;
  if (more > 0) {
    blocks.push(
      context(
        shown > 0
          ? `…and ${more} more awaiting your vote in ${channel(coreChannelId)}.`
          : `${more} ${more === 1 ? 'proposal awaits' : 'proposals await'} your vote in ${channel(coreChannelId)}.`,
      ),
    );
  }
  return blocks;
}

/** A decision's outcome statement and its next steps' follow-through, in a line under it. */
export function recordLine(record: DecisionRecord): string {
  const steps = record.steps.total > 0 ? record.steps : undefined;
  const decided = userMrkdwn(record.statement.decided.replace(/\s+/g, ' '), 160);
  const follow = steps
    ? ` · next steps: ${steps.done} of ${steps.total} done${steps.overdue > 0 ? `, ${steps.overdue} overdue` : ''}${steps.dropped > 0 ? `, ${steps.dropped} dropped` : ''}`
    : '';
  return `   _Outcome:_ ${decided}${follow}`;
}

export function decisionLine(p: Proposal, record?: DecisionRecord): string {
  const result = p.status === 'withdrawn' ? 'Withdrawn' : p.outcome ? OUTCOME_LABELS[p.outcome] : 'Closed';
  const when = p.closed_at ? slackDate(p.closed_at) : '';
  const effect = p.effect_error ? ' · :warning: not put into effect' : '';
  const line = `• ${titleOf(p)} — *${result}* · ${kindLabel(p)} · ${when}${effect}`;
  return record ? `${line}\n${recordLine(record)}` : line;
}

/** `/concert decisions`. */
export function decisionsMessage(
  proposals: readonly Proposal[],
  open: number,
  records: ReadonlyMap<number, DecisionRecord> = new Map(),
): Message {
  const intro =
    proposals.length === 0
      ? 'The Core has not decided anything with Concert yet. Anyone in the Core can put a proposal with `/propose`.'
      : `*Recent decisions of the Core* (newest first)`;
  const openLine =
    open > 0 ? `${open === 1 ? '1 proposal is' : `${open} proposals are`} open for a vote now.` : '';
  const blocks: KnownBlock[] = [
    section(intro),
    ...sections(proposals.map((p) => decisionLine(p, records.get(p.id))).join('\n')),
  ];
  if (proposals.length >= DECISIONS_SHOWN)
    blocks.push(
      context(
        `The latest ${DECISIONS_SHOWN}. Every decision, with its votes, is in the backbone’s \`/concert export\`.`,
      ),
    );
  if (openLine) blocks.push(context(openLine));
  return { text: proposals.length === 0 ? intro : `Recent decisions: ${proposals.length}`, blocks };
}

export function voteRecordedText(proposal: Proposal, position: Position, changed: boolean): string {
  const label = POSITION_LABELS[position].toLowerCase();
  return changed
    ? `Your position on ${titleOf(proposal)} is now *${label}*. You can change it until the vote closes.`
    : `Your position on ${titleOf(proposal)} is already *${label}*; nothing changed.`;
}
