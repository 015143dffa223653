import type { ActionsBlock, KnownBlock, ModalView } from '@slack/types';
import type { ActionStep, Checkin, CheckinStepUpdate, StepProgress, WorkGroup } from '../db/schema.js';
import { TITLE_MAX } from '../services/action-steps.js';
import {
  ACTIONS_TAKEN_MAX,
  type CheckinForm,
  INTENTION_MAX,
  type IndicatorQuestion,
  NEXT_STEP_ROWS,
  NOTE_MAX,
  SUPPORT_MAX,
} from '../services/checkins.js';
import { formatDate, type IsoDate } from '../services/time.js';
import { dueText } from './action-steps.js';
import { context, MESSAGE_MAX_BLOCKS, type Message, section, sections, withinBlocks } from './blocks.js';
import { CHECKIN, nth } from './ids.js';
import { formatNumber } from './indicators.js';
import { dateInput, option, radioInput, selectInput, textInput, userInput } from './inputs.js';
import { clip, escapeMrkdwn, list, plain, user } from './text.js';

/** Slack's own date formatting: each reader sees the moment in their own time zone. */
export function slackDate(at: Date, format = '{date_short_pretty} at {time}'): string {
  const fallback = at.toISOString().replace('T', ' ').slice(0, 16);
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${fallback} UTC>`;
}

const ASSESSMENT_TEXT = {
  on_track: '🟢 On track',
  at_risk: '🟡 At risk',
  off_track: '🔴 Off track',
} as const;

const PROGRESS_TEXT: Record<StepProgress, string> = {
  done: 'Done',
  in_progress: 'In progress',
  not_started: 'Not started',
  dropped: 'Dropped',
};

const PROGRESS_MARK: Record<StepProgress, string> = {
  done: '✅',
  in_progress: '⏳',
  not_started: '⬜',
  dropped: '✖️',
};

const mrkdwn = section;
/** Slack takes at most 25 elements in a block of actions. */
const BUTTONS_PER_ROW = 25;

export interface CheckinModalMetadata {
  checkinId: number | null;
  groupId: number;
  /** Where `/checkin` was typed, to confirm there. */
  channelId?: string | undefined;
}

/** Blocks every form has besides the open steps: a budget that keeps the form inside Slack's 100 blocks. */
const FIXED_BLOCKS = 8 + 3 * NEXT_STEP_ROWS + 1;
const BLOCKS_PER_STEP = 3;
export const MAX_STEPS_IN_FORM = Math.floor((100 - FIXED_BLOCKS) / BLOCKS_PER_STEP);
/** The shared indicators a form asks for at most (each one block, with one heading); more steps give way. */
export const MAX_INDICATORS_IN_FORM = 10;

/** How many of my open steps fit beside this many indicator questions. */
function stepRoom(indicators: number): number {
  const asked = Math.min(indicators, MAX_INDICATORS_IN_FORM);
  return Math.floor((100 - FIXED_BLOCKS - (asked > 0 ? asked + 1 : 0)) / BLOCKS_PER_STEP);
}

/** "week of Mon 23 Nov" or "November 2026": the period a value is for. */
function periodText(question: IndicatorQuestion, today: IsoDate): string {
  if (question.indicator.frequency === 'monthly') {
    return new Date(`${question.periodStart}T12:00:00Z`).toLocaleDateString('en-US', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
  }
  return `the week of ${formatDate(question.periodStart, today)}`;
}

/** One question per indicator the group reports, prefilled with the value given for the period so far. */
function indicatorQuestions(questions: readonly IndicatorQuestion[], today: IsoDate): KnownBlock[] {
  const shown = questions.slice(0, MAX_INDICATORS_IN_FORM);
  if (shown.length === 0) return [];
  return [
    mrkdwn(
      '*The coalition’s shared numbers*\nYour work group’s number for each, for the period shown. Leave one empty if you don’t know it; someone else in the group can give it.',
    ),
    ...shown.map((q) =>
      textInput(
        nth(CHECKIN.INDICATOR_VALUE, q.indicator.id),
        clip(`${q.indicator.name} (${q.indicator.unit})`, 150),
        q.current ? String(q.current.value) : null,
        20,
        {
          optional: true,
          placeholder: 'A number, like 120',
          hint: q.current
            ? `For ${periodText(q, today)}. Given already: ${formatNumber(q.current.value)}; change it to correct it.`
            : `For ${periodText(q, today)}.`,
        },
      ),
    ),
  ];
}

function stepQuestions(step: ActionStep, previous: CheckinStepUpdate | undefined, today: IsoDate) {
  return [
    selectInput(
      nth(CHECKIN.STEP_STATUS, step.id),
      clip(step.title, 150),
      [
        option(PROGRESS_TEXT.done, 'done'),
        option(PROGRESS_TEXT.in_progress, 'in_progress'),
        option(PROGRESS_TEXT.not_started, 'not_started'),
        option(PROGRESS_TEXT.dropped, 'dropped'),
      ],
      previous?.status,
      `Due ${dueText(step.due_date, today)}. What became of it?`,
    ),
    // The date given before, only while it is still the step's date: moved since, it would move it back.
    dateInput(
      nth(CHECKIN.STEP_DATE, step.id),
      'New date, if it moves',
      previous?.new_due_date === step.due_date ? previous.new_due_date : null,
      { optional: true },
    ),
    textInput(nth(CHECKIN.STEP_NOTE, step.id), 'Reason or note', previous?.note, NOTE_MAX, {
      optional: true,
      hint: 'Needed when you drop it or move its date.',
    }),
  ];
}

/** The check-in in the coalition's progress-report order: intention, steps, actions, assessment, next steps. */
export function checkinModal(form: CheckinForm, userId: string, metadata: CheckinModalMetadata): ModalView {
  const { group, checkin, today } = form;
  const editing = checkin?.status === 'answered';
  const when = form.roundDate ? `the week of ${formatDate(form.roundDate, today)}` : 'an off-cycle report';
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `*${escapeMrkdwn(group.name)}* · ${when}${form.late ? ' · the round has closed; your answer is still added' : ''}`,
        },
      ],
    },
    textInput(CHECKIN.INTENTION, 'Intention', form.intention, INTENTION_MAX, {
      multiline: true,
      hint: 'What you set out to do this week.',
    }),
  ];
  const shown = form.steps.slice(0, stepRoom(form.indicators.length));
  if (shown.length > 0) {
    blocks.push(mrkdwn('*Your action steps in this group*\nFor each, say what became of it.'));
    for (const step of shown) blocks.push(...stepQuestions(step, form.previous.get(step.id), today));
    if (form.steps.length > shown.length) {
      blocks.push({
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `And ${form.steps.length - shown.length} more, due later: update them with \`/commit list\`.`,
          },
        ],
      });
    }
  }
  blocks.push(
    textInput(
      CHECKIN.ACTIONS_TAKEN,
      'Actions taken since last check-in',
      checkin?.actions_taken,
      ACTIONS_TAKEN_MAX,
      {
        multiline: true,
        optional: true,
      },
    ),
    ...indicatorQuestions(form.indicators, today),
    radioInput(
      CHECKIN.ASSESSMENT,
      'Progress toward the intention',
      [
        option(ASSESSMENT_TEXT.on_track, 'on_track'),
        option(ASSESSMENT_TEXT.at_risk, 'at_risk'),
        option(ASSESSMENT_TEXT.off_track, 'off_track'),
      ],
      checkin?.assessment,
    ),
    textInput(CHECKIN.ASSESSMENT_NOTE, 'About that', checkin?.assessment_note, NOTE_MAX, {
      multiline: true,
      optional: true,
      hint: 'Needed when it is at risk or off track.',
    }),
    mrkdwn(
      editing
        ? '*More next steps*\nThe ones you gave before are already action steps. Add any new ones here.'
        : '*Next steps*\nEach becomes an action step with its owner and date. Leave a row empty to skip it.',
    ),
  );
  for (let row = 0; row < NEXT_STEP_ROWS; row++) {
    blocks.push(
      textInput(nth(CHECKIN.NEXT_TITLE, row), `Next step ${row + 1}`, null, TITLE_MAX, { optional: true }),
      dateInput(nth(CHECKIN.NEXT_DUE, row), 'Done by', null, { optional: true }),
      userInput(nth(CHECKIN.NEXT_OWNER, row), 'Who', userId, { optional: true }),
    );
  }
  blocks.push(
    textInput(CHECKIN.SUPPORT, 'Support needed', checkin?.support_needed, SUPPORT_MAX, {
      multiline: true,
      optional: true,
      hint: 'Goes to the backbone.',
    }),
  );
  return {
    type: 'modal',
    callback_id: CHECKIN.CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain(editing ? 'Edit check-in' : 'Weekly check-in', 24),
    submit: plain(editing ? 'Save' : 'Check in', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

function checkinButtons(checkinId: number): ActionsBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: CHECKIN.START,
        text: plain('Start check-in'),
        style: 'primary',
        value: String(checkinId),
      },
      { type: 'button', action_id: CHECKIN.SKIP, text: plain('Skip this week'), value: String(checkinId) },
    ],
  };
}

function stepsLine(steps: readonly ActionStep[], today: IsoDate): string {
  if (steps.length === 0) return 'You have no open action steps in this group.';
  const overdue = steps.filter((s) => s.due_date < today).length;
  const count = steps.length === 1 ? 'one open action step' : `${steps.length} open action steps`;
  return `You have ${count} in this group${overdue > 0 ? `, ${overdue} overdue` : ''}.`;
}

/** The DM that opens a member's check-in. */
export function promptMessage(
  checkin: Checkin,
  group: WorkGroup,
  steps: readonly ActionStep[],
  today: IsoDate,
): Message {
  const name = escapeMrkdwn(group.name);
  return {
    text: `Time for the weekly check-in of ${name}.`,
    blocks: [
      mrkdwn(
        `*Weekly check-in: ${name}*\nWhat did you set out to do, what did you do, how is it going, and what comes next?`,
      ),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${stepsLine(steps, today)}${checkin.closes_at ? ` Open until ${slackDate(checkin.closes_at)}.` : ''}`,
          },
        ],
      },
      checkinButtons(checkin.id),
    ],
  };
}

/** The one reminder, to members who have neither answered nor skipped. */
export function reminderMessage(checkin: Checkin, group: WorkGroup): Message {
  const until = checkin.closes_at ? ` It closes ${slackDate(checkin.closes_at)}.` : '';
  return {
    text: `A reminder: your check-in for ${escapeMrkdwn(group.name)} is still open.`,
    blocks: [
      mrkdwn(`⏰ A reminder: your check-in for *${escapeMrkdwn(group.name)}* is still open.${until}`),
      checkinButtons(checkin.id),
    ],
  };
}

/** What the prompt and reminder become when the round closes unanswered: skipping is over, a late report is not. */
export function closedPromptMessage(checkin: Checkin, group: WorkGroup): Message {
  return {
    text: `This week’s check-in for ${escapeMrkdwn(group.name)} closed without your report.`,
    blocks: [
      mrkdwn(
        `This week’s check-in for *${escapeMrkdwn(group.name)}* closed without your report. A late report still counts as answered.`,
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: CHECKIN.START,
            text: plain('Check in late'),
            value: String(checkin.id),
          },
        ],
      },
    ],
  };
}

/** What the prompt and reminder become once answered or skipped, so their buttons cannot mislead. */
export function settledPromptMessage(checkin: Checkin, group: WorkGroup): Message {
  const name = escapeMrkdwn(group.name);
  if (checkin.status === 'skipped') {
    return {
      text: `You skipped this week’s check-in for ${name}.`,
      blocks: [
        mrkdwn(`You skipped this week’s check-in for *${name}*.`),
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: CHECKIN.START,
              text: plain('Check in after all'),
              value: String(checkin.id),
            },
          ],
        },
      ],
    };
  }
  return {
    text: `You checked in for ${name}.`,
    blocks: [
      mrkdwn(`✅ You checked in for *${name}*${checkin.late ? ' (after the round closed)' : ''}.`),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: CHECKIN.EDIT,
            text: plain('Edit check-in'),
            value: String(checkin.id),
          },
        ],
      },
    ],
  };
}

export function checkinSavedText(
  checkin: Checkin,
  group: WorkGroup,
  changed: number,
  created: readonly ActionStep[],
  firstAnswer: boolean,
): string {
  const parts = [
    firstAnswer
      ? `✅ Thank you: your check-in for *${escapeMrkdwn(group.name)}* is in${checkin.late ? ' (late, and still counted as answered)' : ''}.`
      : `✅ Your check-in for *${escapeMrkdwn(group.name)}* is updated.`,
  ];
  if (changed > 0) parts.push(`${changed === 1 ? 'One action step' : `${changed} action steps`} updated.`);
  if (created.length > 0) {
    parts.push(
      `New action steps: ${list(created.map((s) => `“${escapeMrkdwn(s.title)}” (${user(s.owner_id)})`))}.`,
    );
  }
  return parts.join(' ');
}

/** `/checkin` for a member of several groups: which one. */
export function chooseGroupMessage(groups: readonly WorkGroup[]): Message {
  // Slack takes 25 buttons in a row of actions: as many rows as the groups need, within the 50 blocks.
  const rows: ActionsBlock[] = [];
  for (let i = 0; i < groups.length; i += BUTTONS_PER_ROW) {
    rows.push({
      type: 'actions',
      elements: groups.slice(i, i + BUTTONS_PER_ROW).map((g) => ({
        type: 'button' as const,
        action_id: `${CHECKIN.START_GROUP}_${g.id}`,
        text: plain(g.name),
        value: String(g.id),
      })),
    });
  }
  return {
    text: 'Which work group are you checking in for?',
    blocks: [
      mrkdwn('Which work group are you checking in for?'),
      ...withinBlocks(
        rows,
        (left) =>
          `…and ${groups.length - (rows.length - left) * BUTTONS_PER_ROW} more groups, more than one message can offer.`,
        MESSAGE_MAX_BLOCKS - 1,
      ),
    ],
  };
}

export interface RoundSummary {
  group: WorkGroup;
  roundDate: IsoDate;
  checkins: readonly Checkin[];
}

function names(ids: readonly string[]): string {
  return ids.map(user).join(', ');
}

/** The round's parent message in the group's channel: who answered, skipped, did not answer, was away. */
export function summaryMessage({ group, roundDate, checkins }: RoundSummary): Message {
  const by = (status: Checkin['status']) => checkins.filter((c) => c.status === status).map((c) => c.user_id);
  const answered = by('answered');
  const skipped = by('skipped');
  const silent = [...by('missed'), ...by('pending')];
  const away = by('away');
  const counted = answered.length + skipped.length + silent.length;
  const mix = (['on_track', 'at_risk', 'off_track'] as const)
    .map(
      (a) =>
        `${ASSESSMENT_TEXT[a]} ${checkins.filter((c) => c.status === 'answered' && c.assessment === a).length}`,
    )
    .join(' · ');
  const counts = [
    `*${answered.length} of ${counted}* answered`,
    `${skipped.length} skipped`,
    `${silent.length} not answered`,
    ...(away.length > 0 ? [`${away.length} away`] : []),
  ].join(' · ');
  const lines = [
    answered.length > 0 ? `*Answered:* ${names(answered)}` : null,
    skipped.length > 0 ? `*Skipped:* ${names(skipped)}` : null,
    silent.length > 0 ? `*Not answered:* ${names(silent)}` : null,
    away.length > 0 ? `*Away:* ${names(away)}` : null,
  ].filter((l): l is string => l !== null);
  const title = (name: string) => `Check-in · ${name} · ${formatDate(roundDate)}`;
  // Every name is shown, in as many sections as they take, inside the message's 50 blocks.
  const named = withinBlocks(
    lines.length > 0 ? sections(lines.join('\n')) : [],
    (left) => `…and ${left} more sections of names: the backbone’s \`/concert export\` has every answer.`,
    MESSAGE_MAX_BLOCKS - 3,
  );
  return {
    text: `${title(escapeMrkdwn(group.name))}: ${answered.length} of ${counted} answered, ${skipped.length} skipped, ${silent.length} not answered.`,
    blocks: [
      { type: 'header', text: plain(title(group.name), 150) },
      mrkdwn(`${counts}\n${mix}`),
      ...named,
      context('Each report is in the thread. Late answers are added as they come.'),
    ],
  };
}

export interface ReportData {
  checkin: Checkin;
  updates: readonly (CheckinStepUpdate & { title: string })[];
  created: readonly ActionStep[];
}

/** One member's report, as a reply in the round's thread. */
export function reportMessage({ checkin, updates, created }: ReportData): Message {
  const assessment = checkin.assessment ? ASSESSMENT_TEXT[checkin.assessment] : 'No assessment';
  const blocks: KnownBlock[] = [
    mrkdwn(`${user(checkin.user_id)} · ${assessment}${checkin.late ? ' · _late_' : ''}`),
    ...sections(`*Intention*\n${escapeMrkdwn(checkin.intention ?? '')}`),
  ];
  if (updates.length > 0) {
    const lines = updates.map((u) => {
      const moved = u.new_due_date ? `, now due ${formatDate(u.new_due_date)}` : '';
      const note = u.note ? ` — ${escapeMrkdwn(u.note)}` : '';
      return `${PROGRESS_MARK[u.status]} ${escapeMrkdwn(u.title)}: ${PROGRESS_TEXT[u.status].toLowerCase()}${moved}${note}`;
    });
    blocks.push(...sections(`*Action steps*\n${lines.join('\n')}`));
  }
  if (checkin.actions_taken)
    blocks.push(...sections(`*Actions taken*\n${escapeMrkdwn(checkin.actions_taken)}`));
  if (checkin.assessment_note)
    blocks.push(...sections(`*Assessment*\n${escapeMrkdwn(checkin.assessment_note)}`));
  if (created.length > 0) {
    const lines = created.map(
      (s) => `• ${escapeMrkdwn(s.title)} — ${user(s.owner_id)}, by ${formatDate(s.first_due_date)}`,
    );
    blocks.push(...sections(`*Next steps*\n${lines.join('\n')}`));
  }
  if (checkin.support_needed)
    blocks.push(...sections(`*Support needed*\n${escapeMrkdwn(checkin.support_needed)}`));
  return {
    text: `Check-in from ${user(checkin.user_id)}: ${assessment}`,
    blocks: withinBlocks(
      blocks,
      (left) =>
        `…and ${left} more parts of this report, too long for one message: the backbone’s \`/concert export\` has it whole.`,
    ),
  };
}

/** A check-in's request for support, to the backbone channel. */
export function checkinSupportMessage(checkin: Checkin, group: WorkGroup): Message {
  const text = checkin.support_needed ?? '';
  return {
    text: `${user(checkin.user_id)} asks for support in their check-in for ${escapeMrkdwn(group.name)}.`,
    blocks: sections(
      `🙋 ${user(checkin.user_id)} asks for support in their check-in for *${escapeMrkdwn(group.name)}*:\n>${escapeMrkdwn(text).replace(/\n/g, '\n>')}`,
    ),
  };
}
