import { type IsoDate, isIsoDate, localTime, parseClockTime } from './time.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_OPEN_DAYS = 7;
export const MIN_OPEN_MS = HOUR_MS;
export const MAX_OPEN_DAYS = 60;

/** How far the wall clock in `tz` is ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: number, tz: string): number {
  const local = localTime(new Date(at), tz);
  return Date.parse(`${local.date}T00:00:00Z`) + local.minute * 60_000 - Math.floor(at / 60_000) * 60_000;
}

/**
 * The instant a wall clock in `tz` shows `minute` past midnight on `date`. When the clocks fall back and the
 * time comes twice, the later one, so nobody loses the hour. When they spring forward past it, the time
 * moves on by the hour skipped (02:30 becomes 03:30), as calendars do.
 */
export function instantAt(date: IsoDate, minute: number, tz: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  // The offsets a day either side: the same, or the two a daylight-saving change that day switches between.
  const before = offsetAt(wall - DAY_MS, tz);
  const after = offsetAt(wall + DAY_MS, tz);
  const shows = (at: number) => at + offsetAt(at, tz) === wall;
  const candidates = [wall - before, wall - after].filter(shows);
  if (candidates.length > 0) return new Date(Math.max(...candidates));
  // In the gap: the offset from before the change carries the time past it by the hour skipped.
  return new Date(wall - before);
}

/** The default closing time as the proposer's date and time pickers show it: a week on, at the next quarter hour. */
export function defaultClosing(now: Date, tz: string): { date: IsoDate; time: string } {
  const quarter = 15 * 60_000;
  const at = new Date(Math.ceil((now.getTime() + DEFAULT_OPEN_DAYS * DAY_MS) / quarter) * quarter);
  const local = localTime(at, tz);
  const hh = String(Math.floor(local.minute / 60)).padStart(2, '0');
  const mm = String(local.minute % 60).padStart(2, '0');
  return { date: local.date, time: `${hh}:${mm}` };
}

export type ClosingCheck =
  | { ok: true; closesAt: Date }
  | { ok: false; field: 'date' | 'time'; error: string };

/** Reads the closing date and time in the proposer's zone; at least an hour away and at most 60 days. */
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
  if (closesAt.getTime() - now.getTime() > MAX_OPEN_DAYS * DAY_MS) {
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
