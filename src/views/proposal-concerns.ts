import type { KnownBlock, ModalView } from '@slack/types';
import type { Concern, Proposal, Vote } from '../db/schema.js';
import { AMENDMENT_NOTE_MAX, CONCERN_MAX } from '../services/concerns.js';
import { PROPOSAL_DETAILS_MAX, PROPOSAL_TITLE_MAX, type ProposalState } from '../services/proposals.js';
import { context, type Message, section, sections, withinBlocks } from './blocks.js';
import { PROPOSAL } from './ids.js';
import { textInput } from './inputs.js';
import { GROUND_LABELS, slackDate } from './proposals.js';
import { clipMrkdwn, escapeMrkdwn, plain, SECTION_MAX, user, userMrkdwn } from './text.js';

/** Slack refuses a modal of more blocks than this. */
const MODAL_MAX_BLOCKS = 100;
/** A concern as listed under the proposal: enough to know it, the whole of it in the thread. */
const CONCERN_LISTED_MAX = 200;

/** Carried by the concern and amendment forms to their submission. */
export interface ProposalChangeMetadata {
  proposalId: number;
  /** The text version the amendment form was opened on. */
  fromVersion?: number;
  channelId?: string | undefined;
}

const titleOf = (p: Pick<Proposal, 'title'>) => `*${escapeMrkdwn(p.title)}*`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** *Raise a concern*: a short form. */
export function concernModal(proposal: Proposal, meta: ProposalChangeMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: PROPOSAL.CONCERN_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain('Raise a concern', 24),
    submit: plain('Raise it', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(`On ${titleOf(proposal)}`),
      textInput(PROPOSAL.CONCERN, 'Your concern', null, CONCERN_MAX, {
        multiline: true,
        hint: 'Listed under the proposal and in its thread, with your name. The proposer can amend the text in answer.',
      }),
    ],
  };
}

/** *Amend the text*: the text as it stands, to change. */
export function amendModal(proposal: Proposal, meta: ProposalChangeMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: PROPOSAL.AMEND_CALLBACK,
    private_metadata: JSON.stringify({ ...meta, fromVersion: proposal.text_version }),
    title: plain('Amend the proposal', 24),
    submit: plain('Amend', 24),
    close: plain('Cancel', 24),
    blocks: [
      context(
        'Positions given so far stay on the earlier text; their voters are asked to confirm or change them, and only positions on the final text count.',
      ),
      textInput(PROPOSAL.TITLE, 'Title', proposal.title, PROPOSAL_TITLE_MAX),
      textInput(PROPOSAL.DETAILS, 'Details', proposal.details, PROPOSAL_DETAILS_MAX, {
        multiline: true,
        optional: true,
      }),
      textInput(PROPOSAL.AMEND_NOTE, 'What changed, and why', null, AMENDMENT_NOTE_MAX, {
        multiline: true,
        optional: true,
        hint: 'Say which concern it answers. Shown in the thread and kept with the earlier text.',
      }),
    ],
  };
}

/** The earlier texts, newest first, each with who replaced it and why. */
export function earlierTextsModal(state: ProposalState): ModalView {
  const blocks: KnownBlock[] = [
    section(
      `${titleOf(state.proposal)} as it stands is text ${state.proposal.text_version}. Earlier texts, newest first:`,
    ),
  ];
  for (const text of [...state.earlierTexts].reverse()) {
    blocks.push({ type: 'divider' });
    blocks.push(
      section(
        `*Text ${text.version}:* ${titleOf(text)}\nReplaced by ${user(text.replaced_by)} on ${text.replaced_at.toISOString().slice(0, 16).replace('T', ' ')} UTC${text.note ? `: ${userMrkdwn(text.note, 600)}` : ''}`,
      ),
    );
    if (text.details) blocks.push(...sections(escapeMrkdwn(text.details)));
  }
  return {
    type: 'modal',
    title: plain('Earlier texts', 24),
    close: plain('Close', 24),
    blocks: withinBlocks(
      blocks,
      (left) =>
        `…and ${left} more blocks of earlier texts: the backbone’s \`/concert export\` keeps every one.`,
      MODAL_MAX_BLOCKS,
    ),
  };
}

/**
 * The concerns under a proposal, in one section: each with who raised it, cut to a line, as many as fit,
 * then how many more (every one is in the thread).
 */
export function concernsBlock(state: ProposalState): KnownBlock | undefined {
  const { concerns } = state;
  if (concerns.length === 0) return undefined;
  const open = concerns.filter((c) => !c.resolved_at).length;
  const heading = `*Concerns* (${concerns.length}${open < concerns.length ? `, ${concerns.length - open} resolved` : ''})`;
  const lines: string[] = [];
  let length = heading.length;
  const reserve = 120;
  for (const concern of concerns) {
    const line = concernLine(concern);
    if (length + line.length + 1 > SECTION_MAX - reserve) break;
    lines.push(line);
    length += line.length + 1;
  }
  const more = concerns.length - lines.length;
  const tail =
    more > 0 ? [`…and ${plural(more, 'more concern', 'more concerns')}: every one is in the thread.`] : [];
  return section([heading, ...lines, ...tail].join('\n'), `proposal_concerns_${state.proposal.id}`);
}

function concernLine(concern: Concern): string {
  const text = userMrkdwn(concern.text.replace(/\s+/g, ' '), CONCERN_LISTED_MAX);
  return concern.resolved_at
    ? `• ~${user(concern.raised_by)}: ${text}~ _resolved_`
    : `• ${user(concern.raised_by)}: ${text}`;
}

/** Under an amended proposal: that it was amended, with the earlier texts one click away. */
export function amendedBlock(state: ProposalState): KnownBlock | undefined {
  const { proposal, earlierTexts } = state;
  if (proposal.text_version <= 1) return undefined;
  const earlier = earlierTexts.length || proposal.text_version - 1;
  return {
    type: 'section',
    block_id: `proposal_amended_${proposal.id}`,
    text: {
      type: 'mrkdwn',
      text: clipMrkdwn(
        `:pencil2: _Amended ${earlier === 1 ? 'once' : `${earlier} times`}._ Positions given before the last amendment are shown as on the earlier text and count only once confirmed.`,
        SECTION_MAX,
      ),
    },
    accessory: {
      type: 'button',
      action_id: PROPOSAL.EARLIER_TEXTS,
      text: plain('Earlier texts'),
      value: String(proposal.id),
    },
  };
}

/** A concern, in the proposal's thread, with the button its author marks it resolved with. */
export function concernReply(proposal: Proposal, concern: Concern): Message {
  const text = `:raising_hand: ${user(concern.raised_by)} raised a concern on ${titleOf(proposal)}:\n>${userMrkdwn(concern.text).replace(/\n/g, '\n>')}`;
  const blocks: KnownBlock[] = concern.resolved_at
    ? [section(text), context(`Resolved by ${user(concern.raised_by)}.`)]
    : [
        section(text),
        {
          type: 'actions',
          block_id: `proposal_concern_${concern.id}`,
          elements: [
            {
              type: 'button',
              action_id: PROPOSAL.RESOLVE_CONCERN,
              text: plain('Mark resolved'),
              value: String(concern.id),
            },
          ],
        },
        context('Only the person who raised it can mark it resolved.'),
      ];
  return { text: `A concern on ${escapeMrkdwn(proposal.title)}`, blocks };
}

/** In the thread: the text was amended, by whom and why. */
export function amendedReply(proposal: Proposal, by: string, note: string | null): Message {
  const text = `:pencil2: ${user(by)} amended the proposal (now text ${proposal.text_version}): ${titleOf(proposal)}${note ? `\n>${userMrkdwn(note).replace(/\n/g, '\n>')}` : ''}\nPositions given before stay on the earlier text; their voters have been asked to confirm or change them.`;
  return { text: `The proposal ${escapeMrkdwn(proposal.title)} was amended`, blocks: [section(text)] };
}

/** By DM to a voter whose position stands on the earlier text: keep it, or give another. */
export function recheckMessage(proposal: Proposal): Message {
  const text = `${titleOf(proposal)} was amended after you gave your position. It now stands on the earlier text and counts only if you confirm it or give another before the vote closes.`;
  return {
    text: `${escapeMrkdwn(proposal.title)} was amended: confirm or change your position`,
    blocks: [
      section(text),
      confirmButtons(proposal, `proposal_${proposal.id}_recheck_${proposal.text_version}`),
    ],
  };
}

/** Keep my position, or Support, Stand aside or Block on the amended text. */
export function confirmButtons(proposal: Proposal, blockId: string): KnownBlock {
  const value = String(proposal.id);
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      {
        type: 'button',
        action_id: PROPOSAL.KEEP_POSITION,
        text: plain('Keep my position'),
        style: 'primary',
        value,
      },
      { type: 'button', action_id: PROPOSAL.SUPPORT, text: plain('Support'), value },
      { type: 'button', action_id: PROPOSAL.STAND_ASIDE, text: plain('Stand aside'), value },
      { type: 'button', action_id: PROPOSAL.BLOCK, text: plain('Block'), style: 'danger', value },
    ],
  };
}

/**
 * By DM, a day before the close (once): the voter's position still stands on an earlier text, and counts only
 * if they confirm it or give another before the vote closes.
 */
export function confirmReminderMessage(proposal: Proposal): Message {
  const text = `A reminder: the vote on ${titleOf(proposal)} closes ${slackDate(proposal.closes_at)}. It was amended after you gave your position, which stands on the earlier text and counts only if you confirm it or give another before then.`;
  return {
    text: `A reminder: confirm or change your position on ${escapeMrkdwn(proposal.title)} before the vote closes`,
    blocks: [section(text), confirmButtons(proposal, `proposal_${proposal.id}_confirm_reminder`)],
  };
}

/** Proposals awaiting my confirmation that the App Home shows, soonest to close first. */
export const CONFIRMATIONS_SHOWN = 10;

/** App Home: the proposals amended since I gave my position, each with its buttons: the first `shown`. */
export function awaitingConfirmationBlocks(
  proposals: readonly Proposal[],
  shown = Math.min(proposals.length, CONFIRMATIONS_SHOWN),
): KnownBlock[] {
  if (proposals.length === 0) return [];
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    { type: 'header', text: plain('Positions to confirm', 150) },
    context(
      'Amended after you gave your position: it counts only if you keep it or give another before the close.',
    ),
  ];
  for (const p of proposals.slice(0, shown)) {
    blocks.push(section(`${titleOf(p)} · amended · closes ${slackDate(p.closes_at)}`));
    blocks.push(confirmButtons(p, `proposal_${p.id}_home_confirm`));
  }
  const more = proposals.length - shown;
  if (more > 0)
    blocks.push(
      context(
        `${shown > 0 ? '…and ' : ''}${more} more ${more === 1 ? 'awaits' : 'await'} your confirmation: each was sent to you by DM.`,
      ),
    );
  return blocks;
}

/** By DM to the proposer: a Block, its ground and its reason, while there is time to discuss it. */
export function blockNoticeMessage(proposal: Proposal, vote: Vote): Message {
  const ground = vote.block_ground ? `, saying it would break ${GROUND_LABELS[vote.block_ground]}` : '';
  const reason = vote.reason ? `\n>${userMrkdwn(vote.reason).replace(/\n/g, '\n>')}` : '';
  const text = `:octagonal_sign: ${user(vote.voter_id)} blocked your proposal ${titleOf(proposal)}${ground}.${reason}\nThe vote closes ${slackDate(proposal.closes_at)}: there is time to talk it through, in the thread or with them, and to amend the text from the proposal’s menu.`;
  return {
    text: `A Block on your proposal ${escapeMrkdwn(proposal.title)}`,
    blocks: [section(text)],
  };
}
