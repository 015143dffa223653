import type { OpenStepForNudges } from '../db/action-steps.js';
import type { ActionStep, ActionStepEvent } from '../db/schema.js';
import type { NudgeKind } from '../services/nudge-schedule.js';
import { stepStillDue, stepStillOpen } from '../services/nudges.js';
import { messageKind } from '../services/outgoing.js';
import type { IsoDate } from '../services/time.js';
import {
  assignedMessage,
  escalationMessage,
  manualNudgeMessage,
  nudgeMessage,
  outcomeMessage,
} from '../views/action-steps.js';

/** A nudge to a step's owner: keyed by step, due date and the day it is for, so a new date starts afresh. */
interface Nudge {
  step: ActionStep;
  /** The day this nudge is for (the policy's, not the tick's). */
  day: IsoDate;
  /** The owner's date now. */
  today: IsoDate;
}

const nudgeKey = ({ step, day }: Nudge) => `${step.id}:${step.due_date}:${day}`;
/** The due date a nudge or escalation was keyed with: the step must still be due then. */
const keyedDueDate = (key: string) => key.split(':')[1] ?? '';

function nudge(kind: Exclude<NudgeKind, 'escalation'>, means: string) {
  return messageKind({
    key: nudgeKey,
    render: ({ step, today }: Nudge) => nudgeMessage(step, kind, today),
    stillWanted: (db, row) => stepStillDue(db, row.team_id, row.action_step_id, keyedDueDate(row.dedupe_key)),
    failure: { means, told: 'nobody' },
  });
}

export const nudge_before = nudge('nudge_before', 'the owner was not reminded of a step due soon');
export const nudge_due = nudge('nudge_due', 'the owner was not asked about a step due today');
export const nudge_overdue = nudge('nudge_overdue', 'the owner was not asked about an overdue step');

/** The backbone hears once of a step still overdue after the nudges: keyed by step and due date. */
export const escalation = messageKind({
  key: ({ step }: { step: OpenStepForNudges; daysOverdue: number; today: IsoDate }) =>
    `${step.id}:${step.due_date}`,
  render: ({ step, daysOverdue, today }) => escalationMessage(step, daysOverdue, today, step.work_group_name),
  stillWanted: (db, row) => stepStillDue(db, row.team_id, row.action_step_id, keyedDueDate(row.dedupe_key)),
  failure: { means: 'the backbone did not hear of a step long overdue', told: 'backbone' },
});

/** The DM that tells someone they were put down for a step: once per step and owner. */
export const assigned = messageKind({
  key: ({ step }: { step: ActionStep; today: IsoDate; groupName: string | null }) =>
    `${step.id}:${step.owner_id}`,
  render: ({ step, today, groupName }) => assignedMessage(step, today, groupName),
  stillWanted: (db, row) => stepStillOpen(db, row.team_id, row.action_step_id),
  failure: { means: 'the owner did not learn of a step someone gave them', told: 'nobody' },
});

/** A backbone member's nudge by hand: once per step under the click's (or command's) key. */
export const manual_nudge = messageKind({
  key: ({ step, once }: { step: ActionStep; actorId: string; today: IsoDate; once: string }) =>
    `${step.id}:${once}`,
  render: ({ step, actorId, today }) => manualNudgeMessage(step, actorId, today),
  stillWanted: (db, row) => stepStillOpen(db, row.team_id, row.action_step_id),
  failure: { means: 'the owner did not get the backbone’s nudge', told: 'nobody' },
});

/**
 * What a sent message that offered a step's buttons becomes once the step changed (rewritten in place by
 * refreshStepMessages, not queued): no stale buttons.
 */
export const step_outcome = messageKind({
  key: ({ step, event }: { step: ActionStep; event: ActionStepEvent; today: IsoDate }) =>
    `${step.id}:${event.id}`,
  render: ({ step, event, today }) => outcomeMessage(step, event, today),
  failure: {
    means: 'a message about a step still shows its buttons (a click on one is refused)',
    told: 'nobody',
  },
});
