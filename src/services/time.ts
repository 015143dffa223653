import { Temporal } from 'temporal-polyfill';

/**
 * Concert's one model of local time: calendar dates, wall-clock times and the instants they name in a time
 * zone, for every rule that reads a local time (check-in windows, working hours and nudge days, proposal
 * closes, digest periods, `today`, exports), and the helpers settings, schedules and their views share.
 * Time zones are IANA names, read through Temporal (the `temporal-polyfill` package; zone data from the
 * runtime's Intl), never through the host's own zone.
 */

export const WEEKDAYS = [
  { iso: 1, name: 'Monday' },
  { iso: 2, name: 'Tuesday' },
  { iso: 3, name: 'Wednesday' },
  { iso: 4, name: 'Thursday' },
  { iso: 5, name: 'Friday' },
  { iso: 6, name: 'Saturday' },
  { iso: 7, name: 'Sunday' },
] as const;

export function weekdayName(iso: number): string {
  return WEEKDAYS.find((d) => d.iso === iso)?.name ?? `day ${iso}`;
}

const validZones = new Map<string, boolean>();

/** An IANA zone name such as 'Europe/Berlin', or 'UTC'; abbreviations ('EST') and offsets are not. */
export function isValidTimeZone(tz: string): boolean {
  let valid = validZones.get(tz);
  if (valid === undefined) {
    try {
      Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(tz);
      valid = tz.includes('/') || tz === 'UTC';
    } catch {
      valid = false;
    }
    validZones.set(tz, valid);
  }
  return valid;
}

/**
 * The zone a rule reads local time in when neither the person nor the workspace has one: UTC, the zone of
 * no place in particular. Chosen here only; every service and listener falls back through `timeZoneOf`.
 */
export const FALLBACK_TIME_ZONE = 'UTC';

/** The first of `zones` (most particular first: a person's, a group's, the workspace's) that is a zone. */
export function timeZoneOf(...zones: readonly (string | null | undefined)[]): string {
  return zones.find((tz): tz is string => !!tz && isValidTimeZone(tz)) ?? FALLBACK_TIME_ZONE;
}

/** 'HH:MM' (Slack's timepicker format) to minutes after midnight, or undefined when it is not a time. */
export function parseClockTime(value: string | null | undefined): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value ?? '');
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export function formatClockTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/**
 * Time zones offered in pickers. Slack's static selects hold at most 100 options, so this is a list of the
 * zones coalitions most often work in, one per distinct region; a person's own zone is added when missing.
 */
export const COMMON_TIME_ZONES: readonly string[] = [
  'Pacific/Honolulu',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/Phoenix',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Puerto_Rico',
  'America/Halifax',
  'America/St_Johns',
  'America/Mexico_City',
  'America/Bogota',
  'America/Lima',
  'America/Caracas',
  'America/Santiago',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
  'Atlantic/Reykjavik',
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Europe/Athens',
  'Europe/Helsinki',
  'Europe/Istanbul',
  'Europe/Moscow',
  'Africa/Lagos',
  'Africa/Cairo',
  'Africa/Johannesburg',
  'Africa/Nairobi',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Jakarta',
  'Asia/Singapore',
  'Asia/Manila',
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Seoul',
  'Asia/Tokyo',
  'Australia/Perth',
  'Australia/Adelaide',
  'Australia/Sydney',
  'Pacific/Auckland',
];

export function timeZoneChoices(include: readonly (string | null | undefined)[] = []): string[] {
  const extra = include.filter(
    (tz): tz is string => !!tz && isValidTimeZone(tz) && !COMMON_TIME_ZONES.includes(tz),
  );
  return [...new Set(extra), ...COMMON_TIME_ZONES];
}

/** A calendar date, 'YYYY-MM-DD', as Postgres `date` columns are read. */
export type IsoDate = string;

export interface LocalTime {
  date: IsoDate;
  /** Minutes after local midnight. */
  minute: number;
  /** ISO weekday, Monday = 1. */
  weekday: number;
}

const MINUTES_PER_DAY = 24 * 60;

/**
 * Remembers up to `limit` answers of a pure rule, then forgets them all and starts again. Planning a tick asks
 * the same questions of every step and member (today in a zone, when a check-in opens, the days between two
 * dates), and each of Temporal's answers costs microseconds.
 */
function memo<T>(limit = 10_000): (key: string, compute: () => T) => T {
  const answers = new Map<string, T>();
  return (key, compute) => {
    const known = answers.get(key);
    if (known !== undefined) return known;
    if (answers.size >= limit) answers.clear();
    const answer = compute();
    answers.set(key, answer);
    return answer;
  };
}

const wallClocks = memo<Readonly<LocalTime>>();

/** What a wall clock in `tz` shows at `instant` (to the minute). Throws RangeError for an unknown zone. */
export function localTime(instant: Date, tz: string): Readonly<LocalTime> {
  const ms = instant.getTime();
  return wallClocks(`${tz} ${ms}`, () => {
    const local = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).toPlainDateTime();
    return Object.freeze({
      date: local.toPlainDate().toString(),
      minute: local.hour * 60 + local.minute,
      weekday: local.dayOfWeek,
    });
  });
}

/** The calendar date in `tz` at `instant`. */
export function localDate(instant: Date, tz: string): IsoDate {
  return localTime(instant, tz).date;
}

/** The UTC calendar date at `instant`: for bounds that must hold in every zone, not for what anyone sees. */
export function utcDate(instant: Date): IsoDate {
  return localDate(instant, 'UTC');
}

const instants = memo<number>();

/**
 * The instant a wall clock in `tz` shows `minute` (0–1439) past midnight on `date`. The rule, for every
 * local time Concert reads (Temporal's 'compatible' disambiguation, as RFC 5545 calendars do):
 * - a time the clocks skip moves forward by the length of the jump: New York's 02:30 on the day the clocks
 *   go from 02:00 to 03:00 is 03:30; Lord Howe's 02:15, when they go from 02:00 to 02:30, is 02:45;
 *   Santiago's 00:30 on the day they go from midnight to 01:00 is 01:30 that same day;
 * - a time they repeat is the first (earlier) of the two: New York's 01:30 on the day the clocks go back
 *   from 02:00 to 01:00 is 01:30 daylight time.
 * Throws RangeError for a minute outside the day or an unknown zone.
 */
export function instantAt(date: IsoDate, minute: number, tz: string): Date {
  if (!Number.isInteger(minute) || minute < 0 || minute >= MINUTES_PER_DAY)
    throw new RangeError(`not a minute of the day: ${minute}`);
  const ms = instants(`${tz} ${date} ${minute}`, () => {
    const wall = Temporal.PlainDate.from(date).toPlainDateTime({
      hour: Math.floor(minute / 60),
      minute: minute % 60,
    });
    return wall.toZonedDateTime(tz, { disambiguation: 'compatible' }).epochMilliseconds;
  });
  return new Date(ms);
}

const laterInstants = memo<number>();

/**
 * The instant `days` calendar days and then `hours` hours after `instant` in `tz`: the same wall time
 * `days` days on (by `instantAt`'s rule when that day skips or repeats it), then `hours` of elapsed time.
 * A day later across a change of the clocks is 23 or 25 hours later, and still at the same time of day.
 */
export function laterBy(
  instant: Date,
  tz: string,
  { days = 0, hours = 0 }: { days?: number; hours?: number },
): Date {
  const ms = instant.getTime();
  const later = laterInstants(`${tz} ${ms} ${days} ${hours}`, () => {
    const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);
    return zoned.add({ days, hours }).epochMilliseconds;
  });
  return new Date(later);
}

const EPOCH = Temporal.PlainDate.from('1970-01-01');
const dayNumbers = memo<number>();
const datesOfDays = memo<IsoDate>();
const weekdays = memo<number>();

/** Days since 1970-01-01 on the ISO calendar: the count that calendar arithmetic adds and subtracts. */
function dayNumber(date: IsoDate): number {
  return dayNumbers(date, () => EPOCH.until(Temporal.PlainDate.from(date), { largestUnit: 'days' }).days);
}

function dateOfDay(day: number): IsoDate {
  return datesOfDays(String(day), () => EPOCH.add({ days: day }).toString());
}

/** ISO weekday of a date, Monday = 1. */
export function isoWeekday(date: IsoDate): number {
  return weekdays(date, () => Temporal.PlainDate.from(date).dayOfWeek);
}

/** The date `days` calendar days after `date` (before, when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return dateOfDay(dayNumber(date) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** A real calendar date written YYYY-MM-DD: 2026-02-30 is not one. */
export function isIsoDate(value: string | null | undefined): value is IsoDate {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    Temporal.PlainDate.from(value);
    return true;
  } catch {
    return false;
  }
}

/** 'Tue 24 Nov', or with the year when it is not the reference date's year. */
export function formatDate(date: IsoDate, reference?: IsoDate): string {
  const sameYear = !reference || reference.slice(0, 4) === date.slice(0, 4);
  return Temporal.PlainDate.from(date).toLocaleString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}
