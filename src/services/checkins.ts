import { findActionStep, listOpenStepsOf } from '../db/action-steps.js';
import { clearAway, findAway, setAway } from '../db/away.js';
import { channelMemberIds } from '../db/channel-members.js';
import {
  ensureOffCycleCheckin,
  findCheckin,
  findOffCycleCheckin,
  findRound,
  lastIntention,
  listStepUpdates,
  lockCheckin,
  openCheckinsOf,
  reopenRoundReports,
  saveStepUpdate,
  setAwayInOpenRounds,
  updateCheckin,
} from '../db/checkins.js';
import type { Db } from '../db/database.js';
import type { Indicator, IndicatorValue } from '../db/indicator-schema.js';
import {
  activeIndicatorsOfGroup,
  findIndicator,
  groupsReporting,
  saveIndicatorValue,
  valuesOfGroup,
} from '../db/indicators.js';
import { takeOnce } from '../db/interaction-effects.js';
import type {
  ActionStep,
  ActionStepEvent,
  Assessment,
  Checkin,
  CheckinStepUpdate,
  StepProgress,
  WorkGroup,
} from '../db/schema.js';
import { findWorkGroup, listWorkGroupsOfMember } from '../db/work-groups.js';
import {
  applyStepChange,
  insertStepWithEvent,
  type StepChange,
  todayFor,
  validateChange,
  validateDraft,
} from './action-steps.js';
import { checkValue, periodStart } from './indicators.js';
import { type Once, REPEAT, type Repeat } from './once.js';
import { isCountedPerson } from './people.js';
import type { SlackDirectory } from './slack-directory.js';
import { addDays, type IsoDate, isIsoDate } from './time.js';

export const INTENTION_MAX = 3000;
export const ACTIONS_TAKEN_MAX = 3000;
export const NOTE_MAX = 1000;
export const SUPPORT_MAX = 2000;
export const NEXT_STEP_ROWS = 5;
export const AWAY_MAX_DAYS = 366;

export const ASSESSMENTS: readonly Assessment[] = ['on_track', 'at_risk', 'off_track'];
export const PROGRESS: readonly StepProgress[] = ['done', 'in_progress', 'not_started', 'dropped'];

/** Which check-in a form is for: a member's row in a round, or an off-cycle report for a group. */
export type CheckinTarget = { checkinId: number } | { groupId: number };

export interface CheckinForm {
  group: WorkGroup;
  /** The row being answered or edited; undefined for a new off-cycle report. */
  checkin: Checkin | undefined;
  roundDate: IsoDate | null;
  /** Answering after the member's round closed. */
  late: boolean;
  /** My open action steps in this group, soonest due first. */
  steps: ActionStep[];
  /** What an earlier answer said of each step, to prefill an edit. */
  previous: ReadonlyMap<number, CheckinStepUpdate>;
  intention: string | null;
  today: IsoDate;
  /** The shared indicators the group reports, each with this period's value when one was given. */
  indicators: IndicatorQuestion[];
}

/** An indicator asked for in the check-in: its period (by the round's day) and the value given so far. */
export interface IndicatorQuestion {
  indicator: Indicator;
  periodStart: IsoDate;
  current: IndicatorValue | undefined;
}

/** The day a check-in's values are for: its round's day, or for an off-cycle report the member's today. */
function reportDay(roundDate: IsoDate | null | undefined, today: IsoDate): IsoDate {
  return roundDate ?? today;
}

/** The group's indicators for the period of `day`, with the values given for it. */
async function indicatorQuestions(
  db: Db,
  teamId: string,
  groupId: number,
  day: IsoDate,
): Promise<IndicatorQuestion[]> {
  const indicators = await activeIndicatorsOfGroup(db, teamId, groupId);
  const periods = indicators.map((indicator) => ({
    indicatorId: indicator.id,
    periodStart: periodStart(indicator.frequency, day),
  }));
  const values = await valuesOfGroup(db, groupId, periods);
  return indicators.map((indicator, i) => ({
    indicator,
    periodStart: periods[i]?.periodStart as IsoDate,
    current: values.get(indicator.id),
  }));
}

export type CheckinRefusal =
  | { reason: 'not-found' }
  | { reason: 'not-yours' }
  | { reason: 'not-member'; group: WorkGroup }
  | { reason: 'group-ended'; group: WorkGroup };

async function resolveTarget(
  db: Db,
  teamId: string,
  userId: string,
  target: CheckinTarget,
): Promise<{ ok: true; group: WorkGroup; checkin: Checkin | undefined } | ({ ok: false } & CheckinRefusal)> {
  let checkin: Checkin | undefined;
  let groupId: number;
  if ('checkinId' in target) {
    checkin = await findCheckin(db, teamId, target.checkinId);
    if (!checkin) return { ok: false, reason: 'not-found' };
    if (checkin.user_id !== userId) return { ok: false, reason: 'not-yours' };
    groupId = checkin.work_group_id;
  } else groupId = target.groupId;
  const group = await findWorkGroup(db, teamId, groupId);
  if (!group) return { ok: false, reason: 'not-found' };
  if (group.status !== 'active') return { ok: false, reason: 'group-ended', group };
  if (!checkin) {
    if (!(await channelMemberIds(db, teamId, group.channel_id)).includes(userId))
      return { ok: false, reason: 'not-member', group };
    checkin = await findOffCycleCheckin(db, teamId, group.id, userId);
  }
  return { ok: true, group, checkin };
}

/** Everything the check-in form shows, for one member and one check-in. */
export async function checkinForm(
  db: Db,
  request: { teamId: string; userId: string; target: CheckinTarget },
  now: Date,
): Promise<{ ok: true; form: CheckinForm } | ({ ok: false } & CheckinRefusal)> {
  const { teamId, userId } = request;
  const resolved = await resolveTarget(db, teamId, userId, request.target);
  if (!resolved.ok) return resolved;
  const { group, checkin } = resolved;
  const [allSteps, previous, earlierIntention, today, round] = await Promise.all([
    listOpenStepsOf(db, teamId, userId),
    checkin ? listStepUpdates(db, checkin.id) : Promise.resolve([]),
    lastIntention(db, teamId, group.id, userId),
    todayFor(db, teamId, userId, now),
    checkin?.round_id ? findRound(db, teamId, checkin.round_id) : Promise.resolve(undefined),
  ]);
  const indicators = await indicatorQuestions(db, teamId, group.id, reportDay(round?.round_date, today));
  return {
    ok: true,
    form: {
      indicators,
      group,
      checkin,
      roundDate: round?.round_date ?? null,
      late: checkin?.closes_at != null && checkin.closes_at.getTime() <= now.getTime(),
      // Steps this check-in made are next week's to report on, not this one's.
      steps: allSteps.filter(
        (s) => s.work_group_id === group.id && !(checkin && s.source_ref === `checkin:${checkin.id}`),
      ),
      previous: new Map(previous.map((u) => [u.action_step_id, u])),
      intention: checkin?.intention ?? earlierIntention,
      today,
    },
  };
}

/**
 * What `/checkin` opens for a group: my check-in in its round still open (to answer, or edit if answered),
 * else an off-cycle report, which the group's next round counts.
 */
export async function currentTarget(
  db: Db,
  teamId: string,
  userId: string,
  groupId: number,
): Promise<CheckinTarget> {
  const open = (await openCheckinsOf(db, teamId, userId)).find((c) => c.work_group_id === groupId);
  return open ? { checkinId: open.id } : { groupId };
}

export async function groupsToCheckInFor(db: Db, teamId: string, userId: string): Promise<WorkGroup[]> {
  return listWorkGroupsOfMember(db, teamId, userId);
}

export interface StepAnswer {
  stepId: number;
  progress: string | null;
  newDate: string | null;
  note: string | null;
}

export interface NextStepAnswer {
  title: string | null;
  dueDate: string | null;
  ownerId: string | null;
}

export interface CheckinAnswers {
  intention: string | null;
  actionsTaken: string | null;
  assessment: string | null;
  assessmentNote: string | null;
  support: string | null;
  steps: readonly StepAnswer[];
  next: readonly NextStepAnswer[];
  /** This period's value of each indicator shown, as typed; blank leaves a value given before as it is. */
  indicators?: readonly IndicatorAnswer[];
}

export interface IndicatorAnswer {
  indicatorId: number;
  value: string | null;
}

/** Where an answer went wrong: a top-level field, a part of one step's answer, or a part of one next step. */
export type CheckinErrorKey =
  | 'intention'
  | 'actionsTaken'
  | 'assessment'
  | 'assessmentNote'
  | 'support'
  | `step:${number}:${'progress' | 'date' | 'note'}`
  | `next:${number}:${'title' | 'dueDate' | 'owner'}`
  | `indicator:${number}`;

export type CheckinErrors = Partial<Record<CheckinErrorKey, string>>;

export interface SubmittedCheckin {
  checkin: Checkin;
  group: WorkGroup;
  /** The first answer to this check-in, rather than an edit of one. */
  firstAnswer: boolean;
  /** The same form submitted again: nothing was written. */
  repeated: boolean;
  changed: { step: ActionStep; event: ActionStepEvent }[];
  created: ActionStep[];
  /** Support asked for in this submission, new or changed. */
  supportAsked: boolean;
}

export type SubmitResult =
  | { ok: true; value: SubmittedCheckin }
  | { ok: false; errors: CheckinErrors }
  | ({ ok: false; errors?: undefined } & CheckinRefusal);

function clean(text: string | null): string {
  return (text ?? '').trim();
}

function tooLong(label: string, text: string, max: number): string | undefined {
  return text.length > max
    ? `Keep ${label} to ${max} characters or fewer (this has ${text.length}).`
    : undefined;
}

/** The change a step's answer asks for, if any: done, dropped, or a new date. */
function stepChangeOf(answer: StepAnswer, step: ActionStep): StepChange | undefined {
  if (answer.progress === 'done') return { kind: 'done' };
  if (answer.progress === 'dropped') return { kind: 'drop', reason: answer.note };
  // The date already agreed (an edit shows the new date given before) moves nothing.
  if (answer.newDate && answer.newDate !== step.due_date)
    return { kind: 'renegotiate', dueDate: answer.newDate, reason: answer.note };
  return undefined;
}

async function validate(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  userId: string,
  group: WorkGroup,
  answers: CheckinAnswers,
  today: IsoDate,
  now: Date,
): Promise<CheckinErrors> {
  const errors: CheckinErrors = {};
  const intention = clean(answers.intention);
  if (!intention) errors.intention = 'Say what you set out to do.';
  else errors.intention = tooLong('the intention', intention, INTENTION_MAX);
  errors.actionsTaken = tooLong('the actions taken', clean(answers.actionsTaken), ACTIONS_TAKEN_MAX);
  const assessment = answers.assessment as Assessment | null;
  if (!assessment || !ASSESSMENTS.includes(assessment)) errors.assessment = 'Choose how it is going.';
  const note = clean(answers.assessmentNote);
  if (assessment && assessment !== 'on_track' && !note) {
    errors.assessmentNote =
      assessment === 'off_track' ? 'Say what put it off track.' : 'Say what puts it at risk.';
  } else errors.assessmentNote = tooLong('the note', note, NOTE_MAX);
  errors.support = tooLong('the request', clean(answers.support), SUPPORT_MAX);

  for (const answer of answers.steps) {
    const step = await findActionStep(db, teamId, answer.stepId);
    if (step?.status !== 'open') continue;
    if (!answer.progress || !PROGRESS.includes(answer.progress as StepProgress)) {
      errors[`step:${step.id}:progress`] = 'Choose what became of it.';
      continue;
    }
    const change = stepChangeOf(answer, step);
    if (!change) {
      const long = tooLong('the note', clean(answer.note), NOTE_MAX);
      if (long) errors[`step:${step.id}:note`] = long;
      continue;
    }
    const problems = validateChange(change, step, today);
    if (problems.reason) {
      errors[`step:${step.id}:note`] =
        change.kind === 'drop'
          ? 'Say why it is being dropped.'
          : change.kind === 'renegotiate' && !clean(answer.note)
            ? 'Say why the date is changing.'
            : problems.reason;
    }
    if (problems.dueDate) errors[`step:${step.id}:date`] = problems.dueDate;
  }

  for (const [row, next] of answers.next.entries()) {
    if (!clean(next.title) && !next.dueDate) continue;
    const problems = validateDraft(
      {
        title: next.title,
        details: null,
        ownerId: next.ownerId ?? userId,
        workGroupId: group.id,
        dueDate: next.dueDate,
      },
      today,
    );
    if (problems.title) errors[`next:${row}:title`] = problems.title;
    if (problems.dueDate) errors[`next:${row}:dueDate`] = problems.dueDate;
    const owner = next.ownerId ?? userId;
    if (owner !== userId && !(await isCountedPerson(db, directory, teamId, owner, now)))
      errors[`next:${row}:owner`] =
        'Choose a person. An app or a deactivated account can’t own an action step.';
  }
  for (const [key, message] of Object.entries(await checkIndicatorValues(db, teamId, group, answers)))
    errors[key as CheckinErrorKey] = message;
  for (const key of Object.keys(errors) as CheckinErrorKey[]) if (!errors[key]) delete errors[key];
  return errors;
}

/**
 * The indicator values given, each checked in the words shown under its field: a number (checkValue), for
 * an indicator still reported and reported by this group. Returns the values to save, or the errors.
 */
async function checkIndicatorValues(
  db: Db,
  teamId: string,
  group: WorkGroup,
  answers: CheckinAnswers,
): Promise<Partial<Record<`indicator:${number}`, string>>> {
  const errors: Partial<Record<`indicator:${number}`, string>> = {};
  for (const { indicatorId, indicator, text } of await givenValues(db, teamId, group, answers)) {
    if (!indicator) {
      errors[`indicator:${indicatorId}`] =
        'This work group no longer reports this indicator. Leave it empty.';
      continue;
    }
    if (indicator.status !== 'active') {
      errors[`indicator:${indicator.id}`] =
        `“${indicator.name}” has been retired, so it no longer takes values. Leave it empty.`;
      continue;
    }
    const checked = checkValue(indicator, text);
    if (checked.error) errors[`indicator:${indicator.id}`] = checked.error;
  }
  return errors;
}

/** Each non-blank indicator answer with its indicator (undefined when it is not this group's). */
async function givenValues(db: Db, teamId: string, group: WorkGroup, answers: CheckinAnswers) {
  const given = (answers.indicators ?? []).filter((a) => a.value !== null && a.value.trim() !== '');
  const reporting = await groupsReporting(
    db,
    given.map((a) => a.indicatorId),
  );
  const result: { indicatorId: number; indicator: Indicator | undefined; text: string }[] = [];
  for (const answer of given) {
    const indicator = await findIndicator(db, teamId, answer.indicatorId);
    const ours = indicator && reporting.get(indicator.id)?.includes(group.id);
    result.push({
      indicatorId: answer.indicatorId,
      indicator: ours ? indicator : undefined,
      text: answer.value as string,
    });
  }
  return result;
}

/**
 * Saves a check-in answer (or an edit of one): the report, what became of each open step (through the
 * action steps' own rules, each change an event), and the next steps as new action steps. One form applies
 * once: submitted again (a retry), it changes nothing.
 */
export async function submitCheckin(
  db: Db,
  directory: SlackDirectory,
  request: { teamId: string; userId: string; target: CheckinTarget; viewId: string; answers: CheckinAnswers },
  now: Date,
): Promise<SubmitResult> {
  const { teamId, userId, answers } = request;
  // A form opened as an off-cycle report just before the group's round opened answers that round.
  const target =
    'groupId' in request.target
      ? await currentTarget(db, teamId, userId, request.target.groupId)
      : request.target;
  const resolved = await resolveTarget(db, teamId, userId, target);
  if (!resolved.ok) return resolved;
  const { group } = resolved;
  if (resolved.checkin && resolved.checkin.view_id === request.viewId) {
    // Already applied: validating again would find its own changes (a step already moved) and refuse.
    return {
      ok: true,
      value: {
        checkin: resolved.checkin,
        group,
        firstAnswer: false,
        repeated: true,
        changed: [],
        created: [],
        supportAsked: false,
      },
    };
  }
  const today = await todayFor(db, teamId, userId, now);
  const errors = await validate(db, directory, teamId, userId, group, answers, today, now);
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const value = await db.transaction().execute(async (tx): Promise<SubmittedCheckin> => {
    const base = resolved.checkin
      ? resolved.checkin
      : await ensureOffCycleCheckin(tx, {
          team_id: teamId,
          work_group_id: group.id,
          user_id: userId,
          status: 'pending',
          created_at: now,
          updated_at: now,
        });
    const locked = (await lockCheckin(tx, teamId, base.id)) as Checkin;
    const same = { checkin: locked, group, changed: [], created: [], supportAsked: false };
    if (locked.view_id === request.viewId) return { ...same, firstAnswer: false, repeated: true };
    const firstAnswer = locked.status !== 'answered';
    const support = clean(answers.support) || null;
    const checkin = await updateCheckin(tx, teamId, locked.id, {
      status: 'answered',
      intention: clean(answers.intention),
      actions_taken: clean(answers.actionsTaken) || null,
      assessment: answers.assessment as Assessment,
      assessment_note: clean(answers.assessmentNote) || null,
      support_needed: support,
      answered_at: locked.answered_at ?? now,
      // Late is how the first answer came; an edit after the close does not make it late.
      late: firstAnswer
        ? locked.closes_at !== null && locked.closes_at.getTime() <= now.getTime()
        : locked.late,
      view_id: request.viewId,
      updated_at: now,
    });
    if (firstAnswer && checkin.round_id !== null) await reopenRoundReports(tx, teamId, checkin.round_id);
    const changed: SubmittedCheckin['changed'] = [];
    for (const answer of answers.steps) {
      const step = await findActionStep(tx, teamId, answer.stepId);
      if (step?.status !== 'open' || step.owner_id !== userId) continue;
      await saveStepUpdate(tx, {
        checkin_id: checkin.id,
        action_step_id: step.id,
        team_id: teamId,
        status: answer.progress as StepProgress,
        new_due_date: answer.progress === 'done' || answer.progress === 'dropped' ? null : answer.newDate,
        note: clean(answer.note) || null,
        at: now,
      });
      const change = stepChangeOf(answer, step);
      if (!change) continue;
      const result = await applyStepChange(tx, { teamId, stepId: step.id, actorId: userId, change }, now);
      if (result.ok) changed.push({ step: result.step, event: result.event });
    }
    const created: ActionStep[] = [];
    for (const next of answers.next) {
      if (!clean(next.title) && !next.dueDate) continue;
      created.push(
        await insertStepWithEvent(
          tx,
          {
            teamId,
            createdBy: userId,
            source: 'checkin',
            sourceRef: `checkin:${checkin.id}`,
            draft: {
              title: next.title,
              details: null,
              ownerId: next.ownerId ?? userId,
              workGroupId: group.id,
              dueDate: next.dueDate,
            },
          },
          now,
        ),
      );
    }
    const round = checkin.round_id ? await findRound(tx, teamId, checkin.round_id) : undefined;
    const day = reportDay(round?.round_date, today);
    for (const { indicator, text } of await givenValues(tx, teamId, group, answers)) {
      const value = indicator ? checkValue(indicator, text).value : undefined;
      if (!indicator || value === undefined) continue;
      await saveIndicatorValue(tx, {
        teamId,
        indicatorId: indicator.id,
        groupId: group.id,
        periodStart: periodStart(indicator.frequency, day),
        value,
        by: userId,
        at: now,
        checkinId: checkin.id,
      });
    }
    return {
      checkin,
      group,
      firstAnswer,
      repeated: false,
      changed,
      created,
      supportAsked: support !== null && support !== locked.support_needed,
    };
  });
  return { ok: true, value };
}

export type SkipResult =
  | { ok: true; checkin: Checkin; group: WorkGroup }
  | ({ ok: false } & CheckinRefusal)
  | { ok: false; reason: 'answered' | 'closed'; checkin: Checkin }
  | Repeat;

/**
 * *Skip this week*: counted as a skip, not a miss. An answer already given stays; a closed round stays
 * closed. With `once` (the click), the same click again (a double click, a retry) is a `repeat`: nothing
 * is written or said again.
 */
export async function skipCheckin(
  db: Db,
  request: { teamId: string; userId: string; checkinId: number },
  now: Date,
  once?: Once,
): Promise<SkipResult> {
  const { teamId, userId } = request;
  const resolved = await resolveTarget(db, teamId, userId, { checkinId: request.checkinId });
  if (!resolved.ok) return resolved;
  return db.transaction().execute(async (tx): Promise<SkipResult> => {
    if (!(await takeOnce(tx, once, now))) return REPEAT;
    const checkin = (await lockCheckin(tx, teamId, request.checkinId)) as Checkin;
    if (checkin.status === 'answered') return { ok: false, reason: 'answered', checkin };
    if (checkin.status === 'skipped') return { ok: true, checkin, group: resolved.group };
    if (checkin.status === 'missed' || (checkin.closes_at && checkin.closes_at.getTime() <= now.getTime()))
      return { ok: false, reason: 'closed', checkin };
    const skipped = await updateCheckin(tx, teamId, checkin.id, {
      status: 'skipped',
      skipped_at: now,
      updated_at: now,
    });
    return { ok: true, checkin: skipped, group: resolved.group };
  });
}

export type AwayResult =
  | { ok: true; until: IsoDate; rounds: number }
  | { ok: false; problem: 'format' | 'past' | 'too-far'; latest: IsoDate };

/** `/checkin away until DATE`: not asked, not reminded and not counted missing through that day. */
export async function goAway(
  db: Db,
  request: { teamId: string; userId: string; until: string },
  now: Date,
): Promise<AwayResult> {
  const today = await todayFor(db, request.teamId, request.userId, now);
  const latest = addDays(today, AWAY_MAX_DAYS);
  if (!isIsoDate(request.until)) return { ok: false, problem: 'format', latest };
  if (request.until < today) return { ok: false, problem: 'past', latest };
  if (request.until > latest) return { ok: false, problem: 'too-far', latest };
  await setAway(db, request.teamId, request.userId, request.until, now);
  const rounds = await setAwayInOpenRounds(db, request.teamId, request.userId, { until: request.until }, now);
  return { ok: true, until: request.until, rounds };
}

/** `/checkin back`: asked again, from the rounds still open. */
export async function comeBack(
  db: Db,
  request: { teamId: string; userId: string },
  now: Date,
): Promise<{ wasAway: boolean; reopened: number }> {
  const wasAway = await clearAway(db, request.teamId, request.userId);
  const reopened = await setAwayInOpenRounds(db, request.teamId, request.userId, null, now);
  return { wasAway, reopened };
}

export async function awayUntil(db: Db, teamId: string, userId: string, now: Date): Promise<IsoDate | null> {
  const notice = await findAway(db, teamId, userId);
  if (!notice) return null;
  return notice.away_until >= (await todayFor(db, teamId, userId, now)) ? notice.away_until : null;
}

/** My check-in rows in rounds not yet closed: to show on App Home. */
export async function openCheckinsFor(db: Db, teamId: string, userId: string): Promise<Checkin[]> {
  return openCheckinsOf(db, teamId, userId);
}
