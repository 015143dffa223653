import {
  findActionStep,
  insertActionStep,
  insertActionStepEvent,
  lastClosingEvent,
  lockActionStep,
  updateActionStep,
} from '../db/action-steps.js';
import type { Db } from '../db/database.js';
import { takeOnce, wasTaken } from '../db/interaction-effects.js';
import { findPerson } from '../db/people.js';
import type { ActionStep, ActionStepEvent, ActionStepSource } from '../db/schema.js';
import { findWorkGroup } from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
import { type Once, REPEAT, type Repeat, unlessTwinTook } from './once.js';
import { isCountedPerson } from './people.js';
import { rolesOf } from './roles.js';
import type { SlackDirectory } from './slack-directory.js';
import { type IsoDate, isIsoDate, localDate, timeZoneOf } from './time.js';
import { type FieldErrors, hasErrors } from './validation.js';

export const TITLE_MAX = 150;
export const DETAILS_MAX = 3000;
export const REASON_MAX = 1000;

export type StepField = 'title' | 'owner' | 'workGroup' | 'dueDate' | 'details';

export interface StepDraft {
  title: string | null;
  details: string | null;
  ownerId: string | null;
  workGroupId: number | null;
  dueDate: string | null;
}

export interface NewStepInput {
  teamId: string;
  draft: StepDraft;
  createdBy: string;
  source: ActionStepSource;
  sourceRef?: string | null;
  permalink?: string | null;
}

export type CreateResult =
  | { ok: true; step: ActionStep }
  | { ok: false; errors: FieldErrors<StepField>; reason?: undefined }
  | (Repeat & { errors?: undefined });

/** Where this person reads dates: their Slack time zone, else the workspace's default. */
export async function timeZoneFor(db: Db, teamId: string, userId: string): Promise<string> {
  const [person, workspace] = await Promise.all([findPerson(db, teamId, userId), findWorkspace(db, teamId)]);
  return timeZoneOf(person?.tz, workspace?.default_tz);
}

/** The calendar date where this person is at `now`. */
export async function todayFor(db: Db, teamId: string, userId: string, now: Date): Promise<IsoDate> {
  return localDate(now, await timeZoneFor(db, teamId, userId));
}

function validateText(value: string | null, max: number, empty: string, tooLong: string): string | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return empty;
  if (text.length > max) return `${tooLong} to ${max} characters or fewer (this one has ${text.length}).`;
  return undefined;
}

/** The parts of a step's form that need nothing but the form and today's date. */
export function validateDraft(draft: StepDraft, today: IsoDate): FieldErrors<StepField> {
  const errors: FieldErrors<StepField> = {};
  const title = validateText(draft.title, TITLE_MAX, 'Say what will be done.', 'Keep the title');
  if (title) errors.title = title;
  if (!draft.ownerId) errors.owner = 'Choose who will do it.';
  if (!isIsoDate(draft.dueDate)) errors.dueDate = 'Choose the date it will be done by.';
  else if (draft.dueDate < today)
    errors.dueDate = 'That date has already passed. Choose today or a later date.';
  if ((draft.details?.length ?? 0) > DETAILS_MAX) {
    errors.details = `Keep the details to ${DETAILS_MAX} characters or fewer (these have ${draft.details?.length}).`;
  }
  return errors;
}

/**
 * Creates an action step and its first event. Used by `/commit`, the message shortcut, check-ins and
 * decisions alike; the form's mistakes come back keyed by field and nothing is written. Anyone of a set-up
 * workspace may make one, for anyone who is a person (see services/authorization.ts). With `once` (the
 * form's view), the same form submitted again, even at the same moment, makes no second step: `repeat`.
 */
export async function createActionStep(
  db: Db,
  directory: SlackDirectory,
  input: NewStepInput,
  now: Date,
  once?: Once,
): Promise<CreateResult> {
  const { draft, teamId } = input;
  // Already made: checked again, the form could now fail (its date passed), though it was taken.
  if (await wasTaken(db, once)) return REPEAT;
  const today = await todayFor(db, teamId, input.createdBy, now);
  const errors = validateDraft(draft, today);
  // Action steps belong to a coalition: none before setup (DESIGN.md, roles table), whoever sends the form.
  if (!(await findWorkspace(db, teamId))?.set_up_at) {
    errors.title =
      'Concert isn’t set up yet, so nobody can make action steps. A workspace admin or owner runs `/concert setup` first.';
  }
  if (!errors.owner && draft.ownerId && !(await isCountedPerson(db, directory, teamId, draft.ownerId, now))) {
    errors.owner = 'Choose a person. An app or a deactivated account can’t own an action step.';
  }
  if (draft.workGroupId !== null) {
    const group = await findWorkGroup(db, teamId, draft.workGroupId);
    if (group?.status !== 'active') errors.workGroup = 'That work group has ended. Choose another, or none.';
  }
  if (hasErrors(errors)) return { ok: false, errors };
  return db.transaction().execute(async (tx): Promise<CreateResult> => {
    if (!(await takeOnce(tx, once, now))) return REPEAT;
    return { ok: true, step: await insertStepWithEvent(tx, input, now) };
  });
}

/** Writes a validated step and its 'created' event; the caller holds the transaction. */
export async function insertStepWithEvent(tx: Db, input: NewStepInput, now: Date): Promise<ActionStep> {
  const { draft, teamId } = input;
  const created = await insertActionStep(tx, {
    team_id: teamId,
    title: (draft.title ?? '').trim(),
    details: draft.details?.trim() || null,
    owner_id: draft.ownerId as string,
    created_by: input.createdBy,
    work_group_id: draft.workGroupId,
    due_date: draft.dueDate as string,
    first_due_date: draft.dueDate as string,
    source: input.source,
    source_ref: input.sourceRef ?? null,
    permalink: input.permalink ?? null,
    created_at: now,
    updated_at: now,
  });
  await insertActionStepEvent(tx, {
    team_id: teamId,
    action_step_id: created.id,
    actor_id: input.createdBy,
    kind: 'created',
    new_due_date: created.due_date,
    at: now,
  });
  return created;
}

export type StepChange =
  | { kind: 'done' }
  | { kind: 'drop'; reason: string | null }
  | { kind: 'renegotiate'; dueDate: string | null; reason: string | null }
  | { kind: 'support'; note: string | null };

export type ChangeField = 'reason' | 'dueDate' | 'note';

export type ChangeRefusal =
  | { reason: 'not-found' }
  | { reason: 'not-allowed'; step: ActionStep }
  | { reason: 'closed'; step: ActionStep; closedBy: ActionStepEvent | undefined };

export type ChangeResult =
  | { ok: true; step: ActionStep; event: ActionStepEvent }
  | ({ ok: false; errors?: undefined } & ChangeRefusal)
  | { ok: false; reason: 'invalid'; errors: FieldErrors<ChangeField> }
  | (Repeat & { errors?: undefined });

/**
 * Only the owner, whoever made the step, or the backbone may change it (DESIGN.md, roles table: a work
 * group's members "own action steps"; the backbone follows them up).
 */
export async function mayChangeStep(db: Db, step: ActionStep, userId: string): Promise<boolean> {
  if (step.owner_id === userId || step.created_by === userId) return true;
  return (await rolesOf(db, step.team_id, userId)).isBackbone;
}

/**
 * Who may see a step's details and history (*Open*): whoever may change it, and the members of its work
 * group, who see its reports in their channel anyway (DESIGN.md, *Weekly check-in*: the summary goes to
 * the work group's channel). Everyone else sees nothing of it; those who may not change it see it read-only.
 */
export async function mayViewStep(db: Db, step: ActionStep, userId: string): Promise<boolean> {
  if (await mayChangeStep(db, step, userId)) return true;
  if (step.work_group_id === null) return false;
  const roles = await rolesOf(db, step.team_id, userId);
  return roles.workGroups.some((g) => g.id === step.work_group_id);
}

export function validateChange(
  change: StepChange,
  step: ActionStep,
  today: IsoDate,
): FieldErrors<ChangeField> {
  const errors: FieldErrors<ChangeField> = {};
  if (change.kind === 'drop') {
    const reason = validateText(change.reason, REASON_MAX, 'Say why it is being dropped.', 'Keep the reason');
    if (reason) errors.reason = reason;
  }
  if (change.kind === 'renegotiate') {
    const reason = validateText(
      change.reason,
      REASON_MAX,
      'Say why the date is changing.',
      'Keep the reason',
    );
    if (reason) errors.reason = reason;
    if (!isIsoDate(change.dueDate)) errors.dueDate = 'Choose the new date.';
    else if (change.dueDate < today)
      errors.dueDate = 'That date has already passed. Choose today or a later date.';
    else if (change.dueDate === step.due_date)
      errors.dueDate = 'That is the date already agreed. Choose a new one.';
  }
  if (change.kind === 'support') {
    const note = validateText(
      change.note,
      REASON_MAX,
      'Say what help would move this forward.',
      'Keep the note',
    );
    if (note) errors.note = note;
  }
  return errors;
}

/**
 * Applies one change to a step, recording it as an event: done, dropped, a new date, or a request for
 * support. The step is locked while it changes, so a double click or a retried request finds it already
 * closed and records nothing the second time. With `once` (the click, or the form's view), the same
 * click or submission again is a `repeat` and records and says nothing; a new date chosen in a new form is
 * a new change. Done twice is Done once, a change after it is refused as closed.
 */
export async function changeActionStep(
  db: Db,
  request: { teamId: string; stepId: number; actorId: string; change: StepChange },
  now: Date,
  once?: Once,
): Promise<ChangeResult> {
  const { teamId, stepId, actorId, change } = request;
  // Already applied: checked again, a new date would now be the date already agreed.
  if (await wasTaken(db, once)) return REPEAT;
  const found = await findActionStep(db, teamId, stepId);
  if (!found) return { ok: false, reason: 'not-found' };
  if (!(await mayChangeStep(db, found, actorId))) return { ok: false, reason: 'not-allowed', step: found };
  const today = await todayFor(db, teamId, actorId, now);
  const errors = validateChange(change, found, today);
  if (hasErrors(errors)) return unlessTwinTook(db, once, { ok: false, reason: 'invalid', errors });

  return db.transaction().execute(async (tx): Promise<ChangeResult> => {
    // Taken before the step is locked, so a second delivery waits here and then changes nothing.
    if (!(await takeOnce(tx, once, now))) return REPEAT;
    return applyStepChange(tx, { teamId, stepId, actorId, change }, now);
  });
}

/**
 * The write half of a change, for a caller already in a transaction (a check-in changes several steps at
 * once). The step is locked first; a step already closed is reported, not changed.
 */
export async function applyStepChange(
  tx: Db,
  request: { teamId: string; stepId: number; actorId: string; change: StepChange },
  now: Date,
): Promise<ChangeResult> {
  const { teamId, stepId, actorId, change } = request;
  const step = await lockActionStep(tx, teamId, stepId);
  if (!step) return { ok: false, reason: 'not-found' };
  if (step.status !== 'open') {
    const closedBy = await lastClosingEvent(tx, teamId, stepId);
    return { ok: false, reason: 'closed', step, closedBy };
  }
  const base = { team_id: teamId, action_step_id: stepId, actor_id: actorId, at: now };
  switch (change.kind) {
    case 'done':
    case 'drop': {
      const kind = change.kind === 'done' ? 'done' : 'dropped';
      const event = await insertActionStepEvent(tx, {
        ...base,
        kind,
        old_due_date: step.due_date,
        note: change.kind === 'drop' ? (change.reason ?? '').trim() : null,
      });
      const updated = await updateActionStep(tx, teamId, stepId, {
        status: kind,
        closed_at: now,
        updated_at: now,
      });
      return { ok: true, step: updated, event };
    }
    case 'renegotiate': {
      const event = await insertActionStepEvent(tx, {
        ...base,
        kind: 'renegotiated',
        old_due_date: step.due_date,
        new_due_date: change.dueDate,
        note: (change.reason ?? '').trim(),
      });
      const updated = await updateActionStep(tx, teamId, stepId, {
        due_date: change.dueDate as string,
        updated_at: now,
      });
      return { ok: true, step: updated, event };
    }
    case 'support': {
      const event = await insertActionStepEvent(tx, {
        ...base,
        kind: 'support_requested',
        old_due_date: step.due_date,
        note: (change.note ?? '').trim(),
      });
      return { ok: true, step, event };
    }
  }
}

/** Records that a backbone member nudged the owner about a step by hand. */
export async function recordManualNudge(db: Db, step: ActionStep, actorId: string, now: Date): Promise<void> {
  await insertActionStepEvent(db, {
    team_id: step.team_id,
    action_step_id: step.id,
    actor_id: actorId,
    kind: 'nudged',
    old_due_date: step.due_date,
    at: now,
  });
}
