import type { ActionsBlock, KnownBlock, ModalView } from '@slack/types';
import type { ActionStep, ActionStepEvent, WorkGroup } from '../db/schema.js';
import { DETAILS_MAX, REASON_MAX, TITLE_MAX } from '../services/action-steps.js';
import type { NudgeKind } from '../services/nudge-schedule.js';
import { daysBetween, formatDate, type IsoDate, localDate } from '../services/time.js';
import { context, type Message, section, sections } from './blocks.js';
import { ACTION_STEP } from './ids.js';
import { dateInput, option, selectInput, textInput, userInput } from './inputs.js';
import { clip, escapeMrkdwn, plain, user } from './text.js';

export type { Message } from './blocks.js';

const title = (step: ActionStep) => `*${escapeMrkdwn(step.title)}*`;
/** The step's title as a notification's text shows it: escaped, without the bold. */
const plainTitle = (step: ActionStep) => escapeMrkdwn(step.title);

/** A step's details as lists and nudges preview them. */
const DETAILS_PREVIEW = 300;
/** The changes the step's details form shows, newest last. */
const HISTORY_SHOWN = 20;
/** Steps per page of `/commit list`: two blocks each, inside a message's 50 with the heading and the “more”. */
export const STEPS_PER_PAGE = 20;

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/** “due today”, “due tomorrow (Tue 24 Nov)”, “due Tue 24 Nov, 3 days overdue”. */
export function dueText(due: IsoDate, today: IsoDate): string {
  const until = daysBetween(today, due);
  if (until === 0) return 'due today';
  if (until === 1) return `due tomorrow (${formatDate(due, today)})`;
  if (until > 1) return `due ${formatDate(due, today)}`;
  return `due ${formatDate(due, today)}, ${days(-until)} overdue`;
}

export function stepLine(step: ActionStep, today: IsoDate, groupName?: string | null): string {
  const overdue = step.status === 'open' && step.due_date < today ? ':warning: ' : '';
  const group = groupName ? ` · ${escapeMrkdwn(groupName)}` : '';
  return `${overdue}${title(step)} — ${dueText(step.due_date, today)}${group}`;
}

/** Done, New date, Need support, Drop: the four answers to “did you do what you said?”. */
export function stepButtons(step: ActionStep): ActionsBlock {
  const value = String(step.id);
  return {
    type: 'actions',
    block_id: `step_${step.id}`,
    elements: [
      { type: 'button', action_id: ACTION_STEP.DONE, text: plain('Done'), style: 'primary', value },
      { type: 'button', action_id: ACTION_STEP.NEW_DATE, text: plain('New date'), value },
      { type: 'button', action_id: ACTION_STEP.SUPPORT, text: plain('Need support'), value },
      { type: 'button', action_id: ACTION_STEP.DROP, text: plain('Drop'), value },
    ],
  };
}

/** A step with its buttons, for lists (App Home, `/commit list`). */
export function stepBlocks(step: ActionStep, today: IsoDate, groupName?: string | null): KnownBlock[] {
  return [section(stepLine(step, today, groupName)), stepButtons(step)];
}

export function nudgeMessage(step: ActionStep, kind: NudgeKind, today: IsoDate): Message {
  const overdue = daysBetween(step.due_date, today);
  const lead = (name: string) =>
    kind === 'nudge_before'
      ? `A reminder: ${name} is ${dueText(step.due_date, today)}.`
      : kind === 'nudge_due'
        ? `${name} is due today. Is it done?`
        : `${name} was due ${formatDate(step.due_date, today)}, ${days(overdue)} ago. Is it done, or does it need a new date?`;
  return {
    text: lead(plainTitle(step)),
    blocks: [section(lead(title(step))), ...detailBlocks(step), stepButtons(step)],
  };
}

/** A backbone member's nudge by hand (`/concert nudge`, the digest's button): who is asking, then the nudge. */
export function manualNudgeMessage(step: ActionStep, actorId: string, today: IsoDate): Message {
  const base = nudgeMessage(step, step.due_date < today ? 'nudge_overdue' : 'nudge_due', today);
  const lead = `${user(actorId)} from the backbone is checking in on this one.`;
  return { text: `${lead} ${base.text}`, blocks: [context(lead), ...base.blocks] };
}

function detailBlocks(step: ActionStep): KnownBlock[] {
  const parts: string[] = [];
  if (step.details) parts.push(escapeMrkdwn(clip(step.details, DETAILS_PREVIEW)));
  if (step.permalink) parts.push(`<${step.permalink}|From this message>`);
  return parts.length > 0 ? [context(parts.join(' · '))] : [];
}

/** Someone made a step for another person: tell the owner, with the step's buttons. */
export function assignedMessage(step: ActionStep, today: IsoDate, groupName?: string | null): Message {
  const lead = `${user(step.created_by)} put you down for an action step: ${title(step)}, ${dueText(step.due_date, today)}${groupName ? ` (${escapeMrkdwn(groupName)})` : ''}.`;
  return {
    text: `${user(step.created_by)} put you down for an action step: ${plainTitle(step)}`,
    blocks: [
      section(lead),
      ...detailBlocks(step),
      {
        ...stepButtons(step),
        elements: [
          { type: 'button', action_id: ACTION_STEP.OPEN, text: plain('Open'), value: String(step.id) },
          ...stepButtons(step).elements,
        ],
      },
    ],
  };
}

export function escalationMessage(
  step: ActionStep,
  daysOverdue: number,
  today: IsoDate,
  groupName?: string | null,
): Message {
  const group = groupName ? ` (${escapeMrkdwn(groupName)})` : '';
  const text = (name: string) =>
    `:warning: ${user(step.owner_id)}’s action step ${name}${group} was due ${formatDate(step.due_date, today)} and is ${days(daysOverdue)} overdue. Nudges have gone unanswered; a backbone member can check in with \`/concert nudge ${user(step.owner_id)}\`.`;
  return { text: text(plainTitle(step)), blocks: [section(text(title(step))), ...detailBlocks(step)] };
}

/**
 * What a message that offered a step's buttons says once the step has changed: no stale buttons. `today` is
 * the reader's date when the event happened.
 */
export function outcomeMessage(step: ActionStep, event: ActionStepEvent, today: IsoDate): Message {
  const by = user(event.actor_id);
  const reason = escapeMrkdwn(event.note ?? '');
  let text: (name: string) => string;
  switch (event.kind) {
    case 'done':
      text = (name) => `:white_check_mark: ${name}: done, marked by ${by} on ${formatDate(today, today)}.`;
      break;
    case 'dropped':
      text = (name) => `${name}: dropped by ${by}. Reason: ${reason}`;
      break;
    case 'renegotiated':
      text = (name) =>
        `${name}: new date ${formatDate(event.new_due_date as string, today)} (was ${formatDate(event.old_due_date as string, today)}), set by ${by}. Reason: ${reason}`;
      break;
    case 'support_requested':
      return {
        text: `Support requested for ${plainTitle(step)}`,
        blocks: [
          section(`${title(step)} — ${dueText(step.due_date, today)}`),
          context(`${by} asked the backbone for support: ${reason}`),
          stepButtons(step),
        ],
      };
    default:
      text = (name) => `${name} — ${dueText(step.due_date, today)}`;
  }
  return { text: text(plainTitle(step)), blocks: sections(text(title(step))) };
}

export function supportRequestMessage(
  step: ActionStep,
  event: ActionStepEvent,
  today: IsoDate,
  groupName?: string | null,
): Message {
  const group = groupName ? ` (${escapeMrkdwn(groupName)})` : '';
  const owner = step.owner_id === event.actor_id ? '' : ` (owner ${user(step.owner_id)})`;
  const text = `:raising_hand: ${user(event.actor_id)} asks for support with ${title(step)}${group}${owner}, ${dueText(step.due_date, today)}.\n>${escapeMrkdwn(event.note ?? '').replace(/\n/g, '\n>')}`;
  return {
    text: `${plainTitle(step)}: support requested`,
    blocks: [...sections(text), ...detailBlocks(step)],
  };
}

export interface StepModalDefaults {
  title?: string | null;
  details?: string | null;
  ownerId: string;
  workGroupId?: number | null;
  dueDate?: string | null;
}

export interface StepModalMetadata {
  source: 'commit' | 'shortcut';
  /** Where the form was opened from, to confirm there. */
  channelId?: string | undefined;
  /** For the shortcut: the message the step came from. */
  messageChannel?: string | undefined;
  messageTs?: string | undefined;
}

export function stepModal(
  defaults: StepModalDefaults,
  groups: readonly WorkGroup[],
  metadata: StepModalMetadata,
): ModalView {
  const groupOptions = groups.map((g) => option(g.name, String(g.id)));
  return {
    type: 'modal',
    callback_id: ACTION_STEP.CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain('New action step', 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    blocks: [
      textInput(ACTION_STEP.TITLE, 'What will be done', defaults.title, TITLE_MAX, {
        placeholder: 'Send the draft MOU to the school district',
      }),
      userInput(ACTION_STEP.OWNER, 'Who will do it', defaults.ownerId),
      dateInput(ACTION_STEP.DUE, 'Done by', defaults.dueDate),
      ...(groupOptions.length > 0
        ? [
            selectInput(
              ACTION_STEP.WORK_GROUP,
              'Work group',
              groupOptions,
              defaults.workGroupId ? String(defaults.workGroupId) : null,
              undefined,
              true,
            ),
          ]
        : []),
      textInput(ACTION_STEP.DETAILS, 'Details', defaults.details, DETAILS_MAX, {
        multiline: true,
        optional: true,
      }),
    ],
  };
}

export interface ChangeModalMetadata {
  stepId: number;
  /** The message whose button opened the form, so it can be brought up to date. */
  channelId?: string | undefined;
  responseUrl?: string | undefined;
}

function changeModal(
  callbackId: string,
  heading: string,
  step: ActionStep,
  metadata: ChangeModalMetadata,
  blocks: KnownBlock[],
  submit: string,
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify(metadata),
    title: plain(heading, 24),
    submit: plain(submit, 24),
    close: plain('Cancel', 24),
    blocks: [section(`${title(step)} — due ${formatDate(step.due_date)}`), ...blocks],
  };
}

export function newDateModal(step: ActionStep, metadata: ChangeModalMetadata): ModalView {
  return changeModal(
    ACTION_STEP.NEW_DATE_CALLBACK,
    'New date',
    step,
    metadata,
    [
      dateInput(ACTION_STEP.NEW_DUE, 'New date', null),
      textInput(ACTION_STEP.REASON, 'Why the date is changing', null, REASON_MAX, { multiline: true }),
    ],
    'Change date',
  );
}

export function dropModal(step: ActionStep, metadata: ChangeModalMetadata): ModalView {
  return changeModal(
    ACTION_STEP.DROP_CALLBACK,
    'Drop action step',
    step,
    metadata,
    [textInput(ACTION_STEP.REASON, 'Why it is being dropped', null, REASON_MAX, { multiline: true })],
    'Drop it',
  );
}

export function supportModal(step: ActionStep, metadata: ChangeModalMetadata): ModalView {
  return changeModal(
    ACTION_STEP.SUPPORT_CALLBACK,
    'Ask for support',
    step,
    metadata,
    [
      textInput(ACTION_STEP.NOTE, 'What help would move this forward', null, REASON_MAX, {
        multiline: true,
        hint: 'This goes to the backbone channel with the action step.',
      }),
    ],
    'Ask the backbone',
  );
}

const EVENT_WORDS: Record<ActionStepEvent['kind'], string> = {
  created: 'created it',
  done: 'marked it done',
  dropped: 'dropped it',
  renegotiated: 'set a new date',
  support_requested: 'asked for support',
  nudged: 'nudged the owner',
  reassigned: 'reassigned it',
};

/** One step in full, with its history (each event on its day in the reader's zone `tz`), from the *Open* button. */
export function stepDetailsModal(
  step: ActionStep,
  events: readonly ActionStepEvent[],
  today: IsoDate,
  tz: string,
): ModalView {
  const history = events.slice(-HISTORY_SHOWN).map((e) => {
    const dates =
      e.kind === 'renegotiated'
        ? ` (${formatDate(e.old_due_date as string, today)} → ${formatDate(e.new_due_date as string, today)})`
        : '';
    const note = e.note ? `: ${escapeMrkdwn(e.note)}` : '';
    return `${formatDate(localDate(e.at, tz), today)} · ${user(e.actor_id)} ${EVENT_WORDS[e.kind]}${dates}${note}`;
  });
  const earlier = events.length - history.length;
  return {
    type: 'modal',
    title: plain('Action step', 24),
    close: plain('Close', 24),
    blocks: [
      section(
        `${title(step)}\nOwner ${user(step.owner_id)} · ${step.status === 'open' ? dueText(step.due_date, today) : step.status}`,
      ),
      ...detailBlocks(step),
      ...(step.details && step.details.length > DETAILS_PREVIEW ? sections(escapeMrkdwn(step.details)) : []),
      { type: 'divider' },
      ...sections(`*History*\n${history.join('\n')}`),
      ...(earlier > 0
        ? [
            context(
              `The last ${history.length} of ${events.length} changes. All of them are in the backbone’s \`/concert export\`.`,
            ),
          ]
        : []),
    ],
  };
}

/** `/commit list [page]`: my open steps, soonest first, each with its buttons, a page at a time. */
export function myStepsMessage(
  steps: readonly ActionStep[],
  today: IsoDate,
  groupNames: ReadonlyMap<number, string>,
  page = 1,
): Message {
  if (steps.length === 0) {
    return {
      text: 'You have no open action steps. Make one with `/commit what you will do`.',
      blocks: [section('You have no open action steps. Make one with `/commit what you will do`.')],
    };
  }
  const pages = Math.ceil(steps.length / STEPS_PER_PAGE);
  const at = Math.min(Math.max(1, Math.floor(page)), pages);
  const first = (at - 1) * STEPS_PER_PAGE;
  const shown = steps.slice(first, first + STEPS_PER_PAGE);
  const overdue = steps.filter((s) => s.due_date < today).length;
  const heading = `Your open action steps: ${steps.length}${overdue > 0 ? `, ${overdue} overdue` : ''}.${pages > 1 ? ` Page ${at} of ${pages}.` : ''}`;
  const blocks: KnownBlock[] = [section(heading)];
  for (const step of shown) blocks.push(...stepBlocks(step, today, groupNameOf(step, groupNames)));
  const after = steps.length - first - shown.length;
  if (after > 0) blocks.push(context(`And ${after} more, due later: \`/commit list ${at + 1}\`.`));
  else if (at > 1)
    blocks.push(context(`The ${first} due sooner: \`/commit list${at > 2 ? ` ${at - 1}` : ''}\`.`));
  return { text: heading, blocks };
}

export function groupNameOf(step: ActionStep, names: ReadonlyMap<number, string>): string | null {
  return step.work_group_id ? (names.get(step.work_group_id) ?? null) : null;
}

export function stepSavedText(step: ActionStep, today: IsoDate, creatorId: string): string {
  const owner = step.owner_id === creatorId ? 'you' : user(step.owner_id);
  return `Saved: ${title(step)}, ${dueText(step.due_date, today)}, owner ${owner}.${step.owner_id === creatorId ? '' : ' They have been told.'}`;
}
