import type { ModalView } from '@slack/types';
import type { WorkGroup } from '../db/schema.js';
import { formatClockTime, WEEKDAYS } from '../services/time.js';
import { WORK_GROUP_NAME_MAX } from '../services/work-groups.js';
import { WORK_GROUP } from './ids.js';
import {
  channelInput,
  option,
  radioInput,
  selectInput,
  textInput,
  timeInput,
  timeZoneInput,
} from './inputs.js';
import { plain } from './text.js';

const REMINDER_CHOICES = [2, 4, 8, 12, 24, 36, 48, 72, 96];
const CLOSE_CHOICES = [4, 8, 24, 36, 48, 72, 96, 120, 144];

function hoursText(hours: number): string {
  if (hours % 24 !== 0) return `${hours} hours`;
  return hours === 24 ? '1 day' : `${hours / 24} days`;
}

export interface WorkGroupModalDefaults {
  tz: string;
  /** For a new group: the channel it was asked for from. */
  channelId?: string | undefined;
}

/** Add (no group) or edit a work group; the group's id travels in private_metadata. */
export function workGroupModal(group: WorkGroup | undefined, defaults: WorkGroupModalDefaults): ModalView {
  return {
    type: 'modal',
    callback_id: WORK_GROUP.CALLBACK,
    private_metadata: JSON.stringify({ id: group?.id ?? null }),
    title: plain(group ? 'Edit work group' : 'Add a work group', 24),
    submit: plain(group ? 'Save' : 'Add', 24),
    close: plain('Cancel', 24),
    blocks: [
      textInput(WORK_GROUP.NAME, 'Name', group?.name, WORK_GROUP_NAME_MAX),
      channelInput(
        WORK_GROUP.CHANNEL,
        'Channel',
        group?.channel_id ?? defaults.channelId,
        'Everyone in this channel is a member of the work group and is asked to check in.',
      ),
      selectInput(
        WORK_GROUP.WEEKDAY,
        'Check-in day',
        WEEKDAYS.map((d) => option(d.name, String(d.iso))),
        String(group?.checkin_weekday ?? 1),
      ),
      timeInput(WORK_GROUP.TIME, 'Check-in time', formatClockTime(group?.checkin_minute ?? 10 * 60)),
      radioInput(
        WORK_GROUP.TZ_MODE,
        'Whose time zone',
        [
          option('The group’s time zone: everyone at the same moment', 'group'),
          option('Each member’s own time zone', 'member'),
        ],
        group?.tz_mode ?? 'group',
      ),
      timeZoneInput(
        WORK_GROUP.TZ,
        'Group time zone',
        group?.tz ?? defaults.tz,
        'With members’ own time zones, this is used for anyone whose profile has none.',
      ),
      selectInput(
        WORK_GROUP.REMINDER_HOURS,
        'Remind those who have not answered',
        REMINDER_CHOICES.map((h) => option(`${hoursText(h)} after it opens`, String(h))),
        String(group?.checkin_reminder_hours ?? 24),
      ),
      selectInput(
        WORK_GROUP.CLOSE_HOURS,
        'Close the round and post the summary',
        CLOSE_CHOICES.map((h) => option(`${hoursText(h)} after it opens`, String(h))),
        String(group?.checkin_close_hours ?? 48),
        'Answers after the close are still taken, and added to the summary’s thread.',
      ),
    ],
  };
}
