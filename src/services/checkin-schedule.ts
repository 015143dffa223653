import { addDays, type IsoDate, instantAt, isoWeekday, laterBy, utcDate } from './time.js';

/** A work group's weekly check-in: its day and time, and how long until the reminder and the close. */
export interface CheckinSchedule {
  /** ISO weekday, Monday = 1. */
  weekday: number;
  /** Minutes after local midnight. */
  minute: number;
  reminderHours: number;
  closeHours: number;
}

/**
 * When one member's check-in opens, is reminded and closes, at the schedule's time in their time zone. A time
 * the clocks skip or repeat that day is read by `instantAt`'s rule; the reminder and close count whole days
 * on the member's calendar, so "a day after it opens" is the same time of day across a change of the clocks.
 */
export interface CheckinWindow {
  opensAt: Date;
  reminderAt: Date;
  closesAt: Date;
}

export function checkinWindow(roundDate: IsoDate, schedule: CheckinSchedule, tz: string): CheckinWindow {
  const opensAt = instantAt(roundDate, schedule.minute, tz);
  const after = (hours: number) => laterBy(opensAt, tz, { days: Math.floor(hours / 24), hours: hours % 24 });
  return { opensAt, reminderAt: after(schedule.reminderHours), closesAt: after(schedule.closeHours) };
}

/**
 * The check-in days whose rounds may be open at `now` somewhere on Earth: the schedule's weekday in the
 * week before, this week and the week after (by the UTC calendar). A round closes within six days, and time
 * zones are at most 26 hours apart, so no open round falls outside these three.
 */
export function candidateRoundDates(now: Date, weekday: number): IsoDate[] {
  const today = utcDate(now);
  const thisWeeks = addDays(today, weekday - isoWeekday(today));
  return [addDays(thisWeeks, -7), thisWeeks, addDays(thisWeeks, 7)];
}

/** The zones furthest ahead of and behind UTC (UTC+14 and UTC−12): every local time falls between them. */
const EARLIEST_ZONE = 'Etc/GMT-14';
const LATEST_ZONE = 'Etc/GMT+12';
/** More than any shift of the clocks can stretch a window by. */
const CLOCK_SHIFT_MS = 3 * 3_600_000;

/**
 * Whether anyone's check-in of `roundDate` may be open at `now`, in whatever zone they are: false means no
 * member's is, so a tick need not read the group's members to know that nothing of it is due.
 */
export function mayBeOpenAnywhere(roundDate: IsoDate, schedule: CheckinSchedule, now: Date): boolean {
  const first = checkinWindow(roundDate, schedule, EARLIEST_ZONE).opensAt.getTime();
  const last = checkinWindow(roundDate, schedule, LATEST_ZONE).closesAt.getTime() + CLOCK_SHIFT_MS;
  return first <= now.getTime() && now.getTime() < last;
}

/** Whether a member’s check-in is open at `now`. */
export function isOpen(window: CheckinWindow, now: Date): boolean {
  return window.opensAt.getTime() <= now.getTime() && now.getTime() < window.closesAt.getTime();
}

/**
 * The first moment after `now` at which this schedule opens a check-in for anyone in `zones` (the group's
 * zone, or each member's own).
 */
export function nextOpening(
  schedule: CheckinSchedule,
  zones: readonly string[],
  now: Date,
): Date | undefined {
  let soonest: Date | undefined;
  for (const roundDate of candidateRoundDates(now, schedule.weekday)) {
    for (const tz of zones) {
      const { opensAt } = checkinWindow(roundDate, schedule, tz);
      if (opensAt.getTime() > now.getTime() && (!soonest || opensAt < soonest)) soonest = opensAt;
    }
  }
  return soonest;
}
