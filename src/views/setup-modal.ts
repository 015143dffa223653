import type { ModalView } from '@slack/types';
import type { Workspace } from '../db/schema.js';
import { QUORUM_CHOICES, STAND_ASIDE_CHOICES } from '../services/setup.js';
import { formatClockTime, WEEKDAYS } from '../services/time.js';
import { SETUP } from './ids.js';
import {
  channelInput,
  checkboxesInput,
  option,
  radioInput,
  selectInput,
  textInput,
  timeInput,
  timeZoneInput,
} from './inputs.js';
import { plain } from './text.js';

export function setupModal(workspace: Workspace | undefined, fallbackTz: string): ModalView {
  return {
    type: 'modal',
    callback_id: SETUP.CALLBACK,
    title: plain('Set up Concert', 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Concert reads the coalition’s roles from two channels: whoever is in the *Core* channel votes on proposals, and whoever is in the *backbone* channel runs Concert. Private channels need Concert invited first.',
        },
      },
      channelInput(
        SETUP.CORE_CHANNEL,
        'Core channel',
        workspace?.core_channel_id,
        'Representatives of every work group.',
      ),
      channelInput(SETUP.BACKBONE_CHANNEL, 'Backbone channel', workspace?.backbone_channel_id),
      timeZoneInput(
        SETUP.DEFAULT_TZ,
        'Default time zone',
        workspace?.default_tz ?? fallbackTz,
        'Used for anyone whose Slack profile has no time zone.',
      ),
      timeInput(
        SETUP.WORKDAY_START,
        'Working day starts',
        formatClockTime(workspace?.workday_start_minute ?? 9 * 60),
      ),
      timeInput(
        SETUP.WORKDAY_END,
        'Working day ends',
        formatClockTime(workspace?.workday_end_minute ?? 17 * 60),
      ),
      checkboxesInput(
        SETUP.WORKING_DAYS,
        'Working days',
        WEEKDAYS.map((d) => option(d.name, String(d.iso))),
        (workspace?.working_days ?? [1, 2, 3, 4, 5]).map(String),
      ),
      selectInput(
        SETUP.NUDGE_REPEAT,
        'Overdue nudges every',
        range(1, 7).map((n) => option(n === 1 ? 'day' : `${n} days`, String(n))),
        String(workspace?.nudge_repeat_days ?? 2),
      ),
      selectInput(
        SETUP.NUDGE_MAX,
        'Overdue nudges at most',
        range(0, 5).map((n) => option(n === 0 ? 'none' : n === 1 ? 'once' : `${n} times`, String(n))),
        String(workspace?.nudge_max_overdue ?? 3),
      ),
      selectInput(
        SETUP.ESCALATE_AFTER,
        'Tell the backbone after',
        range(1, 14).map((n) => option(n === 1 ? '1 day overdue' : `${n} days overdue`, String(n))),
        String(workspace?.escalate_after_days ?? 3),
        'Once per action step and due date, in the backbone channel.',
      ),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Reminders reach people only on working days, within working hours, in their own time zone.',
          },
        ],
      },
      selectInput(
        SETUP.QUORUM,
        'Quorum for proposals',
        QUORUM_CHOICES.map((f) => option(f === '1/1' ? 'every Core member' : `${f} of the Core`, f)),
        workspace?.consensus_quorum ?? '2/3',
        'Of the Core members when a proposal opens, rounded up. Fewer votes: no quorum.',
      ),
      selectInput(
        SETUP.STAND_ASIDE_LIMIT,
        'Stand-asides allowed',
        STAND_ASIDE_CHOICES.map((f) => option(f === '0/1' ? 'none' : `up to ${f} of the votes`, f)),
        workspace?.stand_aside_limit ?? '1/3',
        'More stand-asides than this: no consensus. Any Block blocks a proposal.',
      ),
      selectInput(
        SETUP.DIGEST_DAY,
        'Weekly digest day',
        WEEKDAYS.map((d) => option(d.name, String(d.iso))),
        String(workspace?.digest_weekday ?? 1),
        'Posted in the backbone channel, covering the 7 days before.',
      ),
      timeInput(SETUP.DIGEST_TIME, 'Weekly digest time', formatClockTime(workspace?.digest_minute ?? 8 * 60)),
      radioInput(
        SETUP.SHOW_VOTERS,
        'Public records',
        [option('Show each decision’s tally only', 'no'), option('Also name who voted how', 'yes')],
        workspace?.records_show_voters ? 'yes' : 'no',
      ),
      textInput(SETUP.RECORDS_ADDRESS, 'Public records address', workspace?.records_address, 40, {
        optional: true,
        placeholder: 'riverside-coalition',
        hint: 'Leave empty to keep the decisions private. With an address, anyone can read the decisions at /records/<address> on Concert’s web address, if whoever runs Concert allows public records.',
      }),
    ],
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
