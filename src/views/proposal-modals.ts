import type { KnownBlock, ModalView } from '@slack/types';
import type { BackboneTrigger, Position, Proposal, ProposalKind, WorkGroup } from '../db/schema.js';
import { MAX_OPEN_DAYS } from '../services/closing-time.js';
import {
  BACKBONE_TRIGGERS,
  PROPOSAL_DETAILS_MAX,
  PROPOSAL_KINDS,
  PROPOSAL_TITLE_MAX,
} from '../services/proposals.js';
import { BLOCK_GROUNDS, VOTE_REASON_MAX } from '../services/votes.js';
import { WORK_GROUP_NAME_MAX } from '../services/work-groups.js';
import { PROPOSAL } from './ids.js';
import { channelInput, dateInput, option, radioInput, selectInput, textInput, timeInput } from './inputs.js';
import { GROUND_LABELS, KIND_LABELS, POSITION_LABELS } from './proposals.js';
import { escapeMrkdwn, plain } from './text.js';

/** Carried from the first form to the second, and on to the submission. */
export interface ProposalModalMetadata {
  kind?: ProposalKind;
  title?: string;
  channelId?: string;
  /** Adding a work group from its request to join. */
  joinRequestId?: number;
}

/** The charter's triggers for changing the backbone, as the form offers them. */
export const TRIGGER_LABELS: Record<BackboneTrigger, string> = {
  no_longer_interested: 'The backbone is no longer interested',
  not_meeting_expectations: 'The backbone is not meeting the coalition’s expectations',
  better_placed: 'Another partner is better placed to be the backbone',
  other: 'Another reason (say which in the details)',
};

const WHO_MAY: Record<ProposalKind, string> = {
  add_work_group: 'proposed by the backbone',
  end_work_group: 'proposed by the group’s representatives in the Core',
  change_backbone: 'proposed by any Core member',
  other: 'proposed by any Core member',
};

/** First form: which kind of proposal, since each kind asks for different things. */
export function proposalKindModal(meta: ProposalModalMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: PROPOSAL.KIND_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain('New proposal', 24),
    submit: plain('Next', 24),
    close: plain('Cancel', 24),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'The Core decides by formal consensus: each member supports, stands aside or blocks.',
        },
      },
      radioInput(
        PROPOSAL.KIND,
        'Kind of proposal',
        PROPOSAL_KINDS.map((k) => option(`${KIND_LABELS[k]} (${WHO_MAY[k]})`, k)),
        meta.kind ?? null,
      ),
    ],
  };
}

export interface ProposalFormDefaults {
  title: string | null;
  closeDate: string;
  closeTime: string;
  tz: string;
  /** For ending a partnership: the groups this person represents. */
  represented: readonly WorkGroup[];
  /** For adding a work group from its request to join: what the request said. */
  prefill?: { groupName: string; groupChannelId: string; details: string };
}

function kindInputs(kind: ProposalKind, defaults: ProposalFormDefaults): KnownBlock[] {
  switch (kind) {
    case 'add_work_group':
      return [
        textInput(
          PROPOSAL.GROUP_NAME,
          'New work group’s name',
          defaults.prefill?.groupName,
          WORK_GROUP_NAME_MAX,
        ),
        channelInput(
          PROPOSAL.GROUP_CHANNEL,
          'Its channel',
          defaults.prefill?.groupChannelId,
          'Everyone in this channel becomes a member of the group. It checks in weekly, Mondays at 10:00, until the backbone changes that.',
        ),
      ];
    case 'end_work_group':
      return [
        selectInput(
          PROPOSAL.WORK_GROUP,
          'Work group',
          defaults.represented.map((g) => option(g.name, String(g.id))),
          defaults.represented.length === 1 ? String(defaults.represented[0]?.id) : null,
          'A group you represent in the Core. Its members decide first, by consensus in its channel, while the backbone explores with you what support would let it continue; only if they agree does it go to the Core. If the Core agrees too, its check-ins and nudges stop; its history is kept.',
        ),
      ];
    case 'change_backbone':
      return [
        channelInput(
          PROPOSAL.BACKBONE_CHANNEL,
          'New backbone channel',
          null,
          'Its members will run Concert.',
        ),
        radioInput(
          PROPOSAL.BACKBONE_TRIGGER,
          'Which of the charter’s reasons applies?',
          BACKBONE_TRIGGERS.map((t) => option(TRIGGER_LABELS[t], t)),
          null,
        ),
      ];
    case 'other':
      return [];
  }
}

/** Second form: the proposal itself, and what its kind needs. */
export function proposalModal(
  kind: ProposalKind,
  defaults: ProposalFormDefaults,
  meta: ProposalModalMetadata,
): ModalView {
  return {
    type: 'modal',
    callback_id: PROPOSAL.CALLBACK,
    private_metadata: JSON.stringify({ ...meta, kind }),
    title: plain('New proposal', 24),
    submit: plain('Put to the Core', 24),
    close: plain('Cancel', 24),
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: `*${KIND_LABELS[kind]}*` }] },
      textInput(PROPOSAL.TITLE, 'Title', defaults.title, PROPOSAL_TITLE_MAX),
      ...kindInputs(kind, defaults),
      textInput(PROPOSAL.DETAILS, 'Details', defaults.prefill?.details, PROPOSAL_DETAILS_MAX, {
        multiline: true,
        optional: true,
        hint: 'What is proposed and why: what the Core should weigh before it decides.',
      }),
      dateInput(PROPOSAL.CLOSE_DATE, 'Voting closes on', defaults.closeDate),
      timeInput(PROPOSAL.CLOSE_TIME, 'at', defaults.closeTime),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `In your time zone, ${escapeMrkdwn(defaults.tz)}. At least an hour from now, at most ${MAX_OPEN_DAYS} days.`,
          },
        ],
      },
    ],
  };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export interface VoteModalMetadata {
  proposalId: number;
  position: Position;
  channelId?: string | undefined;
}

/** Stand aside and Block ask why (and Support may say why), in a form of their own. */
export function voteReasonModal(proposal: Proposal, position: Position, meta: VoteModalMetadata): ModalView {
  const label = POSITION_LABELS[position];
  return {
    type: 'modal',
    callback_id: PROPOSAL.VOTE_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain(label, 24),
    submit: plain(label, 24),
    close: plain('Cancel', 24),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(proposal.title)}*` } },
      ...(position === 'block'
        ? [
            radioInput(
              PROPOSAL.GROUND,
              'Which shared commitment would it break?',
              BLOCK_GROUNDS.map((g) =>
                option(
                  g === 'other' ? 'Another shared commitment (name it below)' : capitalized(GROUND_LABELS[g]),
                  g,
                ),
              ),
              null,
            ),
          ]
        : []),
      textInput(
        PROPOSAL.REASON,
        position === 'support' ? 'Why you support it' : 'Your reason',
        null,
        VOTE_REASON_MAX,
        {
          multiline: true,
          optional: position === 'support',
          hint:
            position === 'block'
              ? 'A block stops the proposal, and is for a proposal that would break what the coalition shares. Say how, and what would have to change for you to let it pass. The proposer is told at once.'
              : position === 'stand_aside'
                ? 'You let it pass without your support. Your reason is shared with the Core when the vote closes.'
                : 'Shared with the Core when the vote closes.',
        },
      ),
    ],
  };
}
