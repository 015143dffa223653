/** Calendar and clock helpers shared by settings, schedules and their views. */

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

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
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

const localFormats = new Map<string, Intl.DateTimeFormat>();

/** What a wall clock in `tz` shows at `instant`. */
export function localTime(instant: Date, tz: string): LocalTime {
  let format = localFormats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    localFormats.set(tz, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, minute: Number(parts.hour) * 60 + Number(parts.minute), weekday: isoWeekday(date) };
}

export function isoWeekday(date: IsoDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A real calendar date written YYYY-MM-DD: 2026-02-30 is not one, though Date.parse takes it. */
export function isIsoDate(value: string | null | undefined): value is IsoDate {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === value;
}

/** 'Tue 24 Nov', or with the year when it is not the reference date's year. */
export function formatDate(date: IsoDate, reference?: IsoDate): string {
  const d = new Date(`${date}T00:00:00Z`);
  const sameYear = !reference || reference.slice(0, 4) === date.slice(0, 4);
  return d.toLocaleDateString('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

/**
 * The instant a wall clock in `tz` shows `minute` past midnight on `date`. In a daylight-saving gap the
 * clock jumps past that minute; the instant just after the jump is used.
 */
export function instantAt(date: IsoDate, minute: number, tz: string): Date {
  const wanted = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  let guess = wanted;
  // Two corrections settle the offset, also across a daylight-saving change between guess and answer.
  for (let i = 0; i < 2; i++) {
    const local = localTime(new Date(guess), tz);
    const shown = Date.parse(`${local.date}T00:00:00Z`) + local.minute * 60_000;
    guess += wanted - shown;
  }
  return new Date(guess);
}
