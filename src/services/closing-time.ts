import {
  formatClockTime,
  type IsoDate,
  instantAt,
  isIsoDate,
  laterBy,
  localTime,
  parseClockTime,
} from './time.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_OPEN_DAYS = 7;
export const MIN_OPEN_MS = HOUR_MS;
export const MAX_OPEN_DAYS = 60;

/**
 * The default closing time as the proposer's date and time pickers show it: a week on in their calendar,
 * at the next quarter hour of their wall clock.
 */
export function defaultClosing(now: Date, tz: string): { date: IsoDate; time: string } {
  // Every zone's offset is a whole number of quarter hours, so a quarter of UTC is one of the wall clock.
  const quarter = 15 * 60_000;
  const weekOn = laterBy(now, tz, { days: DEFAULT_OPEN_DAYS }).getTime();
  const local = localTime(new Date(Math.ceil(weekOn / quarter) * quarter), tz);
  return { date: local.date, time: formatClockTime(local.minute) };
}

export type ClosingCheck =
  | { ok: true; closesAt: Date }
  | { ok: false; field: 'date' | 'time'; error: string };

/**
 * Reads the closing date and time in the proposer's zone (by `instantAt`'s rule for times the clocks skip
 * or repeat); at least an hour away and at most 60 days, counted on the proposer's calendar.
 */
export function checkClosing(date: string | null, time: string | null, tz: string, now: Date): ClosingCheck {
  if (!isIsoDate(date)) return { ok: false, field: 'date', error: 'Choose the day the vote closes.' };
  const minute = parseClockTime(time);
  if (minute === undefined) return { ok: false, field: 'time', error: 'Choose the time the vote closes.' };
  const closesAt = instantAt(date, minute, tz);
  if (closesAt.getTime() - now.getTime() < MIN_OPEN_MS) {
    return {
      ok: false,
      field: 'date',
      error: 'Give the Core at least an hour: choose a later closing time.',
    };
  }
  if (closesAt > laterBy(now, tz, { days: MAX_OPEN_DAYS })) {
    return {
      ok: false,
      field: 'date',
      error: `A vote can stay open ${MAX_OPEN_DAYS} days at most: choose an earlier day.`,
    };
  }
  return { ok: true, closesAt };
}

/** The one reminder: a day before the close, or halfway through for votes shorter than two days. */
export function reminderAt(openedAt: Date, closesAt: Date): Date {
  const length = closesAt.getTime() - openedAt.getTime();
  return length >= 2 * DAY_MS
    ? new Date(closesAt.getTime() - DAY_MS)
    : new Date(openedAt.getTime() + Math.floor(length / 2));
}
