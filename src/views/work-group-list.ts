import type { KnownBlock } from '@slack/types';
import type { WorkGroup } from '../db/schema.js';
import { formatClockTime, weekdayName } from '../services/time.js';
import type { WorkGroupSummary } from '../services/work-groups.js';
import type { Message } from './help.js';
import { WORK_GROUP } from './ids.js';
import { channel, clipMrkdwn, escapeMrkdwn, plain } from './text.js';

/** Room for the header and the add button inside a message's 50 blocks. */
export const WORK_GROUPS_LISTED = 45;

export function scheduleText(group: WorkGroup): string {
  const when = `${weekdayName(group.checkin_weekday)}s at ${formatClockTime(group.checkin_minute)}`;
  return group.tz_mode === 'group' ? `${when} (${group.tz})` : `${when}, each member’s own time`;
}

/** The work groups with an Edit button each: the first `shown`, then how many more. */
export function workGroupBlocks(
  summaries: readonly WorkGroupSummary[],
  shown = Math.min(summaries.length, WORK_GROUPS_LISTED),
): KnownBlock[] {
  const blocks: KnownBlock[] = summaries.slice(0, shown).map(({ group, members }) => ({
    type: 'section',
    block_id: `wg_${group.id}`,
    text: {
      type: 'mrkdwn',
      text: `*${escapeMrkdwn(group.name)}* · ${channel(group.channel_id)}\nCheck-in ${scheduleText(group)} · ${members} ${members === 1 ? 'member' : 'members'}`,
    },
    accessory: { type: 'button', action_id: WORK_GROUP.EDIT, text: plain('Edit'), value: String(group.id) },
  }));
  const more = summaries.length - shown;
  if (more > 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${shown > 0 ? `…and ${more} more` : `${more} work groups`}. Use \`/concert group #channel\` to edit one.`,
        },
      ],
    });
  }
  blocks.push({
    type: 'actions',
    block_id: 'wg_actions',
    elements: [
      { type: 'button', action_id: WORK_GROUP.ADD, text: plain('Add a work group'), style: 'primary' },
    ],
  });
  return blocks;
}

export function workGroupListMessage(summaries: readonly WorkGroupSummary[]): Message {
  const intro =
    summaries.length === 0
      ? 'There are no work groups yet. Add one for each channel where a work group does its work.'
      : `*Work groups* (${summaries.length})`;
  return {
    text:
      summaries.length === 0
        ? intro
        : clipMrkdwn(`Work groups: ${summaries.map((s) => escapeMrkdwn(s.group.name)).join(', ')}`, 3000),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: intro } }, ...workGroupBlocks(summaries)],
  };
}

/** Posted in the backbone channel whenever a work group is added or changed. */
export function workGroupSavedMessage(
  group: WorkGroup,
  by: string,
  created: boolean,
  members: number | undefined,
): Message {
  const what = created ? 'added the work group' : 'updated the work group';
  const count = members === undefined ? '' : ` · ${members} ${members === 1 ? 'member' : 'members'}`;
  const text = `<@${by}> ${what} *${escapeMrkdwn(group.name)}* in ${channel(group.channel_id)}: check-in ${scheduleText(group)}${count}.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
