import { channelMemberIds } from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import { takeOnce, wasTaken } from '../db/interaction-effects.js';
import type { TzMode, WorkGroup } from '../db/schema.js';
import {
  findActiveWorkGroupByChannel,
  findActiveWorkGroupByName,
  findWorkGroup,
  insertWorkGroup,
  listActiveWorkGroups,
  updateWorkGroup,
} from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
import { channelAccessProblem } from './channel-access.js';
import { type Once, REPEAT, type Repeat, unlessTwinTook } from './once.js';
import type { SlackDirectory } from './slack-directory.js';
import { isValidTimeZone, parseClockTime } from './time.js';
import { type FieldErrors, hasErrors, type Validated } from './validation.js';

export const WORK_GROUP_NAME_MAX = 80;

export type WorkGroupField =
  | 'name'
  | 'channel'
  | 'weekday'
  | 'time'
  | 'tzMode'
  | 'tz'
  | 'reminderHours'
  | 'closeHours';

/** A round stays open long enough to answer, and closes before the next week's opens. */
export const CLOSE_HOURS_MAX = 144;

export interface WorkGroupInput {
  /** Set when editing an existing group. */
  id: number | null;
  name: string | null;
  channelId: string | null;
  weekday: number | null;
  time: string | null;
  tzMode: string | null;
  tz: string | null;
  /** Absent from older forms: the group keeps what it has, a new group gets the defaults. */
  reminderHours?: number | null;
  closeHours?: number | null;
}

interface ValidWorkGroup {
  name: string;
  channelId: string;
  weekday: number;
  minute: number;
  tzMode: TzMode;
  tz: string;
  reminderHours: number | undefined;
  closeHours: number | undefined;
}

export type SaveWorkGroupResult =
  | Validated<WorkGroupField, { group: WorkGroup; created: boolean; channelChanged: boolean }>
  | (Repeat & { errors?: undefined });

async function validate(
  db: Db,
  teamId: string,
  input: WorkGroupInput,
): Promise<Validated<WorkGroupField, ValidWorkGroup>> {
  const errors: FieldErrors<WorkGroupField> = {};
  const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) errors.name = 'Give the work group a name.';
  else if (name.length > WORK_GROUP_NAME_MAX) {
    errors.name = `Keep the name to ${WORK_GROUP_NAME_MAX} characters or fewer (this one has ${name.length}).`;
  } else {
    const sameName = await findActiveWorkGroupByName(db, teamId, name);
    if (sameName && sameName.id !== input.id)
      errors.name = `There is already a work group called “${sameName.name}”.`;
  }

  if (!input.channelId) errors.channel = 'Choose the channel where this work group works.';
  else {
    const workspace = await findWorkspace(db, teamId);
    if (input.channelId === workspace?.core_channel_id) {
      errors.channel = 'That is the Core channel. Choose the work group’s own channel.';
    } else if (input.channelId === workspace?.backbone_channel_id) {
      errors.channel = 'That is the backbone channel. Choose the work group’s own channel.';
    } else {
      const owner = await findActiveWorkGroupByChannel(db, teamId, input.channelId);
      if (owner && owner.id !== input.id)
        errors.channel = `That channel already belongs to the work group “${owner.name}”.`;
    }
  }

  if (input.weekday == null || input.weekday < 1 || input.weekday > 7)
    errors.weekday = 'Choose the check-in day.';
  const minute = parseClockTime(input.time);
  if (minute === undefined) errors.time = 'Choose the check-in time.';
  if (input.tzMode !== 'group' && input.tzMode !== 'member')
    errors.tzMode = 'Choose whose time zone the check-in follows.';
  if (!input.tz || !isValidTimeZone(input.tz)) errors.tz = 'Choose the group’s time zone.';
  const reminder = input.reminderHours ?? undefined;
  const close = input.closeHours ?? undefined;
  if (close !== undefined && (!Number.isInteger(close) || close < 2 || close > CLOSE_HOURS_MAX))
    errors.closeHours = `Close the check-in between 2 hours and ${CLOSE_HOURS_MAX / 24} days after it opens.`;
  if (reminder !== undefined && (!Number.isInteger(reminder) || reminder < 1))
    errors.reminderHours = 'Choose when to remind those who have not answered.';
  else if (reminder !== undefined && close !== undefined && reminder >= close)
    errors.reminderHours =
      'The reminder has to come before the check-in closes. Choose an earlier reminder or a later close.';

  if (hasErrors(errors)) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      channelId: input.channelId as string,
      weekday: input.weekday as number,
      minute: minute as number,
      tzMode: input.tzMode as TzMode,
      tz: input.tz as string,
      reminderHours: reminder,
      closeHours: close,
    },
  };
}

/**
 * Adds or edits a work group bound to a channel. Membership of a new channel is reconciled by the caller.
 * With `once` (the form's view), the same form submitted again adds or announces nothing: `repeat`.
 */
export async function saveWorkGroup(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  userId: string,
  input: WorkGroupInput,
  now: Date,
  once?: Once,
): Promise<SaveWorkGroupResult> {
  // Already saved: checked again, a new group's name would now be taken by itself.
  if (await wasTaken(db, once)) return REPEAT;
  const existing = input.id == null ? undefined : await findWorkGroup(db, teamId, input.id);
  if (input.id != null && existing?.status !== 'active') {
    return { ok: false, errors: { name: 'This work group has ended and can no longer be edited.' } };
  }
  const checked = await validate(db, teamId, input);
  if (!checked.ok) return unlessTwinTook(db, once, checked);
  const g = checked.value;
  const channelChanged = existing?.channel_id !== g.channelId;
  if (channelChanged) {
    const problem = await channelAccessProblem(directory, g.channelId);
    if (problem) return { ok: false, errors: { channel: problem } };
  }
  const fields = {
    name: g.name,
    channel_id: g.channelId,
    checkin_weekday: g.weekday,
    checkin_minute: g.minute,
    tz_mode: g.tzMode,
    tz: g.tz,
    ...(g.reminderHours !== undefined ? { checkin_reminder_hours: g.reminderHours } : {}),
    ...(g.closeHours !== undefined ? { checkin_close_hours: g.closeHours } : {}),
    updated_at: now,
  };
  return db.transaction().execute(async (tx): Promise<SaveWorkGroupResult> => {
    if (!(await takeOnce(tx, once, now))) return REPEAT;
    const group = existing
      ? await updateWorkGroup(tx, teamId, existing.id, fields)
      : await insertWorkGroup(tx, { ...fields, team_id: teamId, created_by: userId, created_at: now });
    return { ok: true, value: { group, created: !existing, channelChanged } };
  });
}

export interface WorkGroupSummary {
  group: WorkGroup;
  members: number;
}

export async function summarizeWorkGroups(db: Db, teamId: string): Promise<WorkGroupSummary[]> {
  const groups = await listActiveWorkGroups(db, teamId);
  return Promise.all(
    groups.map(async (group) => ({
      group,
      members: (await channelMemberIds(db, teamId, group.channel_id)).length,
    })),
  );
}
