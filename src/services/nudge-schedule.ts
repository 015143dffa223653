import { addDays, daysBetween, type IsoDate, isoWeekday, type LocalTime, localTime } from './time.js';

/** When someone may be messaged: their time zone, their working hours, their working days. */
export interface WorkingHours {
  tz: string;
  startMinute: number;
  endMinute: number;
  /** ISO weekdays, Monday = 1. */
  workingDays: readonly number[];
}

export interface NudgePolicy {
  /** Days between overdue nudges. */
  repeatDays: number;
  /** At most this many overdue nudges per due date. */
  maxOverdue: number;
  /** Days overdue after which the backbone hears of it. */
  escalateAfterDays: number;
}

export type NudgeKind = 'nudge_before' | 'nudge_due' | 'nudge_overdue' | 'escalation';

export interface DueNudge {
  kind: NudgeKind;
  /** The day this nudge belongs to; with the step and its due date, what makes it unique. */
  day: IsoDate;
  /** Days past the due date on the local calendar (0 on the day, negative before). */
  daysOverdue: number;
}

export interface NudgedStep {
  dueDate: IsoDate;
  createdAt: Date;
}

export function isWorkingTime(local: LocalTime, hours: WorkingHours): boolean {
  return (
    hours.workingDays.includes(local.weekday) &&
    local.minute >= hours.startMinute &&
    local.minute < hours.endMinute
  );
}

/** The local date at `now` when it is working time there, else undefined. */
function workingDate(now: Date, hours: WorkingHours): IsoDate | undefined {
  const local = localTime(now, hours.tz);
  return isWorkingTime(local, hours) ? local.date : undefined;
}

/** The last working day before `date`, looking back at most a week. */
export function lastWorkingDayBefore(date: IsoDate, workingDays: readonly number[]): IsoDate | undefined {
  for (let back = 1; back <= 7; back++) {
    const day = addDays(date, -back);
    if (workingDays.includes(isoWeekday(day))) return day;
  }
  return undefined;
}

/**
 * The owner's nudge that falls due at `now`, if any. Nudges go only in the owner's working hours on their
 * working days: the last working day before the due date, on the due date, then every `repeatDays` while
 * overdue up to `maxOverdue` times. A nudge whose day fell on a day off goes on the next working day; when
 * several were missed only the latest goes. A step made on the day gets no reminder that same day.
 */
export function ownerNudgeAt(
  step: NudgedStep,
  hours: WorkingHours,
  policy: NudgePolicy,
  now: Date,
): DueNudge | undefined {
  const today = workingDate(now, hours);
  if (!today) return undefined;
  const daysOverdue = daysBetween(step.dueDate, today);
  const madeToday = localTime(step.createdAt, hours.tz).date >= today;
  if (daysOverdue < 0) {
    if (madeToday) return undefined;
    const before = lastWorkingDayBefore(step.dueDate, hours.workingDays);
    return before === today ? { kind: 'nudge_before', day: today, daysOverdue } : undefined;
  }
  if (daysOverdue === 0) return madeToday ? undefined : { kind: 'nudge_due', day: today, daysOverdue };
  if (policy.maxOverdue <= 0) return undefined;
  // The k-th overdue nudge belongs to day due + 1 + k·repeat; take the latest whose day has come.
  const k = Math.min(Math.floor((daysOverdue - 1) / policy.repeatDays), policy.maxOverdue - 1);
  return { kind: 'nudge_overdue', day: addDays(step.dueDate, 1 + k * policy.repeatDays), daysOverdue };
}

/** The escalation to the backbone, once per step and due date, in the backbone's (workspace's) hours. */
export function escalationAt(
  step: NudgedStep,
  hours: WorkingHours,
  policy: NudgePolicy,
  now: Date,
): DueNudge | undefined {
  const today = workingDate(now, hours);
  if (!today) return undefined;
  const daysOverdue = daysBetween(step.dueDate, today);
  if (daysOverdue < policy.escalateAfterDays) return undefined;
  return { kind: 'escalation', day: step.dueDate, daysOverdue };
}
