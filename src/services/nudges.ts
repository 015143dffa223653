import {
  findActionStep,
  listOpenStepsDueBy,
  listOpenStepsOf,
  type OpenStepForNudges,
  type StepPageStart,
} from '../db/action-steps.js';
import type { Db } from '../db/database.js';
import { queuedKeysAbout, sentMessagesAbout } from '../db/outbox.js';
import type { ActionStep, ActionStepEvent, Workspace } from '../db/schema.js';
import { findWorkGroup } from '../db/work-groups.js';
import type { Logger } from '../logger.js';
import { recordManualNudge, todayFor } from './action-steps.js';
import type { MessageSender } from './delivery.js';
import { eachAlone } from './isolation.js';
import { escalationAt, type NudgePolicy, ownerNudgeAt, type WorkingHours } from './nudge-schedule.js';
import { type MessageName, type Outgoing, queueMessage, renderMessage } from './outgoing.js';
import { addDays, localDate, timeZoneOf, utcDate } from './time.js';

export function policyOf(workspace: Workspace): NudgePolicy {
  return {
    repeatDays: workspace.nudge_repeat_days,
    maxOverdue: workspace.nudge_max_overdue,
    escalateAfterDays: workspace.escalate_after_days,
  };
}

export function hoursOf(workspace: Workspace, tz: string | null | undefined): WorkingHours {
  return {
    tz: timeZoneOf(tz, workspace.default_tz),
    startMinute: workspace.workday_start_minute,
    endMinute: workspace.workday_end_minute,
    workingDays: workspace.working_days,
  };
}

/**
 * Open steps read and planned at a time: every statement of a tick has a bounded number of parameters
 * (PostgreSQL takes at most 65,535), whatever the number of open steps.
 */
export const NUDGE_PAGE = 1_000;

/**
 * Days after its day that a nudge or escalation not yet queued still goes (Concert was down, or the day
 * fell on a day off): after that it is dropped, so a tick reads only the steps whose nudges can still fall
 * due, never every step long overdue.
 */
export const NUDGE_CATCH_UP_DAYS = 7;

/**
 * The earliest due date (YYYY-MM-DD) whose last overdue nudge or escalation can still go at `now`: its last
 * overdue nudge belongs to day due + 1 + (max − 1) × repeat, its escalation to due + escalateAfterDays;
 * one day more covers every time zone's date.
 */
export function earliestDueNudged(now: Date, policy: NudgePolicy): string {
  const lastNudge = policy.maxOverdue > 0 ? 1 + (policy.maxOverdue - 1) * policy.repeatDays : 0;
  const reach = Math.max(lastNudge, policy.escalateAfterDays);
  return addDays(utcDate(now), -(reach + NUDGE_CATCH_UP_DAYS + 1));
}

/**
 * Queues every nudge and escalation that falls due at `now` in one workspace. Each is keyed by kind, step,
 * due date and day, so planning the same moment twice (or on two instances) queues it once.
 */
export async function planNudges(
  db: Db,
  workspace: Workspace,
  now: Date,
  log: Logger,
  pageSize = NUDGE_PAGE,
): Promise<number> {
  // The reminder before a Monday due date goes on the Friday: look a few days ahead, past any time zone.
  const horizon = addDays(utcDate(now), 5);
  const policy = policyOf(workspace);
  const backboneHours = hoursOf(workspace, workspace.default_tz);
  let queuedCount = 0;
  let after: StepPageStart | undefined;
  for (;;) {
    const dates = { from: earliestDueNudged(now, policy), until: horizon };
    const steps = await listOpenStepsDueBy(db, workspace.team_id, dates, { limit: pageSize, after });
    if (steps.length === 0) break;
    // A step long overdue keeps its last nudge and its escalation due at every tick: read what is queued
    // already once per page, rather than trying each insert again.
    const done = await queuedKeysAbout(
      db,
      workspace.team_id,
      steps.map((s) => s.id),
    );
    queuedCount += await planPage(db, workspace, steps, done, { policy, backboneHours, now, log });
    const last = steps.at(-1) as OpenStepForNudges;
    after = { dueDate: last.due_date, id: last.id };
    if (steps.length < pageSize) break;
  }
  return queuedCount;
}

async function planPage(
  db: Db,
  workspace: Workspace,
  steps: readonly OpenStepForNudges[],
  done: ReadonlySet<string>,
  context: { policy: NudgePolicy; backboneHours: WorkingHours; now: Date; log: Logger },
): Promise<number> {
  const { policy, backboneHours, now, log } = context;
  const enqueueOnce = async <K extends MessageName>(message: Outgoing<K>) =>
    (await queueMessage(db, message, now, { queued: done })) !== undefined;
  let queuedCount = 0;
  // One step that cannot be planned (its text refused, a bad time zone) fails alone.
  const planOne = async (step: OpenStepForNudges) => {
    // A deactivated owner is not nudged, nor escalated: the backbone was told their steps need a new owner.
    if (step.work_group_status === 'ended' || step.owner_deleted) return;
    const subject = { dueDate: step.due_date, createdAt: step.created_at };
    const ownerHours = hoursOf(workspace, step.owner_tz);
    const nudge = ownerNudgeAt(subject, ownerHours, policy, now);
    if (nudge) {
      const today = localDate(now, ownerHours.tz);
      const queued = await enqueueOnce({
        teamId: step.team_id,
        kind: nudge.kind,
        data: { step, day: nudge.day, today },
        to: step.owner_id,
        stepId: step.id,
      });
      if (queued) queuedCount++;
    }
    const escalation = workspace.backbone_channel_id
      ? escalationAt(subject, backboneHours, policy, now)
      : undefined;
    if (escalation && workspace.backbone_channel_id) {
      const today = localDate(now, backboneHours.tz);
      const queued = await enqueueOnce({
        teamId: step.team_id,
        kind: 'escalation',
        data: { step, daysOverdue: escalation.daysOverdue, today },
        to: workspace.backbone_channel_id,
        stepId: step.id,
      });
      if (queued) queuedCount++;
    }
  };
  await eachAlone(
    steps,
    planOne,
    log,
    (s) => ({ teamId: s.team_id, stepId: s.id }),
    'planning a step’s nudges',
  );
  return queuedCount;
}

/** A message about a step (an assignment, a nudge by hand) goes out only while the step is open. */
export async function stepStillOpen(db: Db, teamId: string, stepId: number | null): Promise<boolean> {
  if (stepId === null) return true;
  return (await findActionStep(db, teamId, stepId))?.status === 'open';
}

/** A scheduled nudge or escalation goes out only while the step is open and still due on the date it was for. */
export async function stepStillDue(
  db: Db,
  teamId: string,
  stepId: number | null,
  dueDate: string,
): Promise<boolean> {
  if (stepId === null) return true;
  const step = await findActionStep(db, teamId, stepId);
  return step?.status === 'open' && step.due_date === dueDate;
}

/** Brings every message that offered this step's buttons up to date, so none can be clicked to act twice. */
export async function refreshStepMessages(
  db: Db,
  sender: MessageSender,
  step: ActionStep,
  event: ActionStepEvent,
  log: Logger,
): Promise<number> {
  const rows = await sentMessagesAbout(db, step.team_id, step.id);
  let updated = 0;
  for (const row of rows) {
    // Dates read as the recipient's own: a DM's person, or for a channel message the step's owner.
    const reader = row.channel_id.startsWith('U') ? row.channel_id : step.owner_id;
    const today = await todayFor(db, step.team_id, reader, event.at);
    const [message] = renderMessage('step_outcome', { step, event, today });
    if (!message) continue;
    try {
      await sender.update(
        row.message_channel as string,
        row.message_ts as string,
        message.text,
        message.blocks as unknown[],
      );
      updated++;
    } catch (error) {
      log.warn({ err: error, outboxId: row.id, stepId: step.id }, 'could not update a message about a step');
    }
  }
  return updated;
}

/**
 * `/concert nudge @person`: a DM about each of their open steps that is due or overdue, recorded on each
 * step. Returns the queued rows' ids, to send at once, and the steps.
 */
export async function nudgeByHand(
  db: Db,
  teamId: string,
  ownerId: string,
  actorId: string,
  now: Date,
  /** Nudges given under one key are given once: a second click on the same digest nudges nobody twice. */
  onceKey: string = now.toISOString(),
): Promise<{ ids: number[]; steps: ActionStep[] }> {
  const today = await todayFor(db, teamId, ownerId, now);
  const steps = (await listOpenStepsOf(db, teamId, ownerId)).filter((s) => s.due_date <= today);
  const ids: number[] = [];
  for (const step of steps) {
    const row = await queueMessage(
      db,
      {
        teamId,
        kind: 'manual_nudge',
        data: { step, actorId, today, once: onceKey },
        to: ownerId,
        stepId: step.id,
      },
      now,
    );
    if (row) {
      ids.push(row.id);
      await recordManualNudge(db, step, actorId, now);
    }
  }
  return { ids, steps };
}

export async function groupNameFor(db: Db, step: ActionStep): Promise<string | null> {
  if (!step.work_group_id) return null;
  return (await findWorkGroup(db, step.team_id, step.work_group_id))?.name ?? null;
}

/** Queues the DM that tells someone they were put down for a step; returns the row's id to send at once. */
export async function queueAssignment(db: Db, step: ActionStep, now: Date): Promise<number | undefined> {
  const ownerToday = await todayFor(db, step.team_id, step.owner_id, now);
  const row = await queueMessage(
    db,
    {
      teamId: step.team_id,
      kind: 'assigned',
      data: { step, today: ownerToday, groupName: await groupNameFor(db, step) },
      to: step.owner_id,
      stepId: step.id,
    },
    now,
  );
  return row?.id;
}
