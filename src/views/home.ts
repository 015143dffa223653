import type { HomeView, KnownBlock } from '@slack/types';
import type { ActionStep, Checkin, Proposal } from '../db/schema.js';
import type { Roles } from '../services/roles.js';
import { formatDate, type IsoDate } from '../services/time.js';
import type { WorkGroupSummary } from '../services/work-groups.js';
import { groupNameOf, stepBlocks } from './action-steps.js';
import { section, sections } from './blocks.js';
import { slackDate } from './checkins.js';
import { CHECKIN, DIGEST, HOME, INDICATOR } from './ids.js';
import { awaitingConfirmationBlocks, CONFIRMATIONS_SHOWN } from './proposal-concerns.js';
import { AWAITING_SHOWN, awaitingVoteBlocks } from './proposals.js';
import { channel, clipMrkdwn, escapeMrkdwn, list, plain } from './text.js';
import { WORK_GROUPS_LISTED, workGroupBlocks } from './work-group-list.js';

export interface HomeData {
  roles: Roles;
  /** Whether this person may run setup (shown a button for it). */
  maySetUp: boolean;
  /** The backbone's view of the work groups; empty for everyone else. */
  workGroups: readonly WorkGroupSummary[];
  /** This person's open action steps, soonest due first. */
  steps: readonly ActionStep[];
  today: IsoDate;
  groupNames: ReadonlyMap<number, string>;
  /** My check-ins in rounds still open, that have opened for me. */
  checkins: readonly Checkin[];
  /** My last day away, while I am away. */
  awayUntil: IsoDate | null;
  /** For the backbone: the digest's headline for the last 7 days. */
  backboneHeadline?: string | undefined;
  /** Open proposals this person may vote on and has not. */
  awaitingVote?: readonly Proposal[];
  /** Open proposals amended since this person gave their position, which counts only once confirmed. */
  awaitingConfirmation?: readonly Proposal[];
  /** For the backbone: the names of the shared indicators still reported. */
  indicators?: readonly string[];
}

function checkinLine(checkin: Checkin, groupName: string): { text: string; button?: [string, string] } {
  const name = `*${escapeMrkdwn(groupName)}*`;
  const until = checkin.closes_at ? ` It is open until ${slackDate(checkin.closes_at)}.` : '';
  switch (checkin.status) {
    case 'pending':
      return {
        text: `📝 Your weekly check-in for ${name} is waiting.${until}`,
        button: [CHECKIN.START, 'Start check-in'],
      };
    case 'answered':
      return { text: `✅ You checked in for ${name} this week.`, button: [CHECKIN.EDIT, 'Edit check-in'] };
    case 'skipped':
      return {
        text: `You skipped this week’s check-in for ${name}.`,
        button: [CHECKIN.START, 'Check in after all'],
      };
    case 'away':
      return { text: `You are away this week, so ${name} does not expect your check-in.` };
    case 'missed':
      return {
        text: `The check-in for ${name} closed without your answer.`,
        button: [CHECKIN.START, 'Answer late'],
      };
  }
}

function checkinSection(
  checkins: readonly Checkin[],
  groupNames: ReadonlyMap<number, string>,
  awayUntil: IsoDate | null,
  today: IsoDate,
  shown = checkins.length,
): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (const checkin of checkins.slice(0, shown)) {
    const line = checkinLine(checkin, groupNames.get(checkin.work_group_id) ?? 'your work group');
    blocks.push({
      ...section(line.text),
      ...(line.button
        ? {
            accessory: {
              type: 'button' as const,
              action_id: line.button[0],
              text: plain(line.button[1]),
              value: String(checkin.id),
              ...(checkin.status === 'pending' ? { style: 'primary' as const } : {}),
            },
          }
        : {}),
    });
  }
  if (checkins.length > shown) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${shown > 0 ? `…and ${checkins.length - shown} more` : `${checkins.length} check-ins`}: \`/checkin\` opens any of them.`,
        },
      ],
    });
  }
  if (awayUntil) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `You are away until ${formatDate(awayUntil, today)}: no check-ins until then. \`/checkin back\` when you return.`,
        },
      ],
    });
  }
  return blocks.length > 0
    ? [{ type: 'divider' }, { type: 'header', text: plain('Your check-in', 150) }, ...blocks]
    : [];
}

const HOME_STEPS = 15;

/** Slack refuses a Home tab of more blocks than this. */
const HOME_MAX_BLOCKS = 100;

/** One of the Home tab's lists: how many of its items it shows, and its blocks when it shows that many. */
interface HomeList {
  shown: number;
  render(shown: number): KnownBlock[];
}

/**
 * Renders the page, shortening its lists until it fits Slack's limit: an item at a time from whichever
 * list takes the most blocks, each list then saying how many more it has.
 */
function withinBudget(lists: readonly HomeList[], page: () => KnownBlock[]): KnownBlock[] {
  let blocks = page();
  while (blocks.length > HOME_MAX_BLOCKS) {
    let longest: HomeList | undefined;
    let longestSize = 0;
    for (const candidate of lists) {
      const size = candidate.render(candidate.shown).length;
      if (candidate.shown > 0 && size > longestSize) {
        longest = candidate;
        longestSize = size;
      }
    }
    if (!longest) break;
    longest.shown--;
    blocks = page();
  }
  return blocks;
}

function stepsSection(
  steps: readonly ActionStep[],
  today: IsoDate,
  groupNames: ReadonlyMap<number, string>,
  shown = Math.min(steps.length, HOME_STEPS),
): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    { type: 'header', text: plain('Your action steps', 150) },
  ];
  if (steps.length === 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'You have no open action steps. Make one with `/commit what you will do`.',
      },
    });
    return blocks;
  }
  for (const step of steps.slice(0, shown))
    blocks.push(...stepBlocks(step, today, groupNameOf(step, groupNames)));
  const more = steps.length - shown;
  if (more > 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            shown > 0
              ? `And ${more} more, due later: \`/commit list\`.`
              : `You have ${more} open action steps: \`/commit list\`.`,
        },
      ],
    });
  }
  return blocks;
}

function rolesLine(roles: Roles): string {
  const parts: string[] = [];
  if (roles.isBackbone) parts.push('the backbone');
  if (roles.isCore) parts.push('the Core');
  if (roles.workGroups.length > 0) {
    parts.push(
      `${roles.workGroups.length === 1 ? 'the work group' : 'the work groups'} ${list(roles.workGroups.map((g) => `*${escapeMrkdwn(g.name)}*`))}`,
    );
  }
  const base =
    parts.length > 0
      ? `You are in ${list(parts)}.`
      : 'You are not in the backbone, the Core or a work group yet.';
  const represents = roles.representativeOf.map((g) => `*${escapeMrkdwn(g.name)}*`);
  return represents.length > 0 ? `${base} You represent ${list(represents)} in the Core.` : base;
}

export function homeView({
  roles,
  maySetUp,
  workGroups,
  steps,
  today,
  groupNames,
  checkins,
  awayUntil,
  awaitingVote = [],
  awaitingConfirmation = [],
  backboneHeadline,
  indicators = [],
}: HomeData): HomeView {
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('Concert', 150) }];
  const ws = roles.workspace;
  if (!roles.isSetUp || !ws?.core_channel_id || !ws.backbone_channel_id) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: maySetUp
          ? 'Concert isn’t set up yet. Choose the Core and backbone channels to begin.'
          : 'Concert isn’t set up yet. A workspace admin or owner sets it up with `/concert setup`.',
      },
    });
    if (maySetUp) {
      blocks.push({
        type: 'actions',
        elements: [
          { type: 'button', action_id: HOME.OPEN_SETUP, text: plain('Set up Concert'), style: 'primary' },
        ],
      });
    }
    return { type: 'home', blocks };
  }
  const coreChannel = ws.core_channel_id;
  const intro: KnownBlock[] = [
    ...blocks,
    ...sections(rolesLine(roles)),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Core: ${channel(ws.core_channel_id)} · Backbone: ${channel(ws.backbone_channel_id)}`,
        },
      ],
    },
  ];
  const homeList = (total: number, shown: number, render: (shown: number) => KnownBlock[]): HomeList => ({
    shown: Math.min(total, shown),
    render,
  });
  const checkinList = homeList(checkins.length, checkins.length, (n) =>
    checkinSection(checkins, groupNames, awayUntil, today, n),
  );
  const stepList = homeList(steps.length, HOME_STEPS, (n) => stepsSection(steps, today, groupNames, n));
  const showVotes = roles.isCore || awaitingVote.length > 0;
  const voteList = homeList(showVotes ? awaitingVote.length : 0, AWAITING_SHOWN, (n) =>
    showVotes ? awaitingVoteBlocks(awaitingVote, coreChannel, n) : [],
  );
  const confirmList = homeList(awaitingConfirmation.length, CONFIRMATIONS_SHOWN, (n) =>
    awaitingConfirmationBlocks(awaitingConfirmation, n),
  );
  const groupList = homeList(roles.isBackbone ? workGroups.length : 0, WORK_GROUPS_LISTED, (n) =>
    roles.isBackbone ? workGroupBlocks(workGroups, n) : [],
  );
  const backbone = (): KnownBlock[] =>
    roles.isBackbone
      ? [
          { type: 'divider' },
          { type: 'header', text: plain('Backbone', 150) },
          ...(backboneHeadline
            ? [
                {
                  type: 'section' as const,
                  text: { type: 'mrkdwn' as const, text: `*The last 7 days:* ${backboneHeadline}` },
                },
              ]
            : []),
          ...groupList.render(groupList.shown),
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                text: clipMrkdwn(
                  indicators.length === 0
                    ? '*Shared indicators:* none yet. Add the numbers the work groups agree to track the same way.'
                    : `*Shared indicators:* ${indicators.map(escapeMrkdwn).join(', ')}. \`/concert indicators\` to edit or retire one.`,
                  3000,
                ),
              },
            ],
          },
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: DIGEST.POST, text: plain('Post the digest'), value: '1' },
              { type: 'button', action_id: INDICATOR.ADD, text: plain('Add an indicator') },
              { type: 'button', action_id: HOME.OPEN_SETUP, text: plain('Concert settings') },
            ],
          },
        ]
      : [];
  const page = (): KnownBlock[] => [
    ...intro,
    ...checkinList.render(checkinList.shown),
    ...stepList.render(stepList.shown),
    ...voteList.render(voteList.shown),
    ...confirmList.render(confirmList.shown),
    ...backbone(),
  ];
  return {
    type: 'home',
    blocks: withinBudget([checkinList, stepList, voteList, confirmList, groupList], page),
  };
}
