import { describe, expect, it } from 'vitest';
import { periodEnding } from '../src/services/follow-through.js';
import {
  addDays,
  daysBetween,
  FALLBACK_TIME_ZONE,
  formatDate,
  instantAt,
  isIsoDate,
  isoWeekday,
  laterBy,
  localDate,
  localTime,
  timeZoneOf,
  utcDate,
} from '../src/services/time.js';

// The host's own zone must not matter: this file runs as if on a machine at UTC+14.
process.env.TZ = 'Pacific/Kiritimati';

const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const SANTIAGO = 'America/Santiago';
const KOLKATA = 'Asia/Kolkata';
const LORD_HOWE = 'Australia/Lord_Howe';

const hhmm = (text: string) => {
  const [h, m] = text.split(':').map(Number);
  return (h as number) * 60 + (m as number);
};
const utc = (iso: string) => new Date(iso);

describe('what a wall clock shows', () => {
  it('west and east of UTC, in the southern hemisphere and at half-hour offsets', () => {
    const at = utc('2026-11-24T04:30:00Z');
    expect(localTime(at, NEW_YORK)).toEqual({ date: '2026-11-23', minute: hhmm('23:30'), weekday: 1 });
    expect(localTime(at, BERLIN)).toEqual({ date: '2026-11-24', minute: hhmm('05:30'), weekday: 2 });
    // Santiago keeps summer time in November (UTC−3).
    expect(localTime(at, SANTIAGO)).toEqual({ date: '2026-11-24', minute: hhmm('01:30'), weekday: 2 });
    expect(localTime(at, KOLKATA)).toEqual({ date: '2026-11-24', minute: hhmm('10:00'), weekday: 2 });
    // Lord Howe's summer time is half an hour: UTC+11 from UTC+10:30.
    expect(localTime(at, LORD_HOWE)).toEqual({ date: '2026-11-24', minute: hhmm('15:30'), weekday: 2 });
    expect(localDate(at, NEW_YORK)).toBe('2026-11-23');
    expect(utcDate(at)).toBe('2026-11-24');
  });

  it('follows each zone across its own change of the clocks', () => {
    // New York springs forward at 07:00 UTC on 14 March 2027: 01:59 EST, then 03:00 EDT.
    expect(localTime(utc('2027-03-14T06:59:00Z'), NEW_YORK).minute).toBe(hhmm('01:59'));
    expect(localTime(utc('2027-03-14T07:00:00Z'), NEW_YORK).minute).toBe(hhmm('03:00'));
    // Santiago's clocks go from midnight to 01:00 on Sunday 6 September 2026: Saturday ends at 23:59.
    expect(localTime(utc('2026-09-06T03:59:00Z'), SANTIAGO)).toMatchObject({
      date: '2026-09-05',
      minute: hhmm('23:59'),
    });
    expect(localTime(utc('2026-09-06T04:00:00Z'), SANTIAGO)).toMatchObject({
      date: '2026-09-06',
      minute: hhmm('01:00'),
    });
    // Lord Howe goes back half an hour at 02:00 on 4 April 2027: 01:30–02:00 comes twice.
    expect(localTime(utc('2027-04-03T14:59:00Z'), LORD_HOWE).minute).toBe(hhmm('01:59'));
    expect(localTime(utc('2027-04-03T15:00:00Z'), LORD_HOWE).minute).toBe(hhmm('01:30'));
  });
});

describe('the instant of a wall-clock time', () => {
  it('is the plain offset on an ordinary day, whatever the offset', () => {
    expect(instantAt('2026-11-30', hhmm('10:00'), NEW_YORK)).toEqual(utc('2026-11-30T15:00:00Z'));
    expect(instantAt('2027-07-01', hhmm('10:00'), NEW_YORK)).toEqual(utc('2027-07-01T14:00:00Z'));
    expect(instantAt('2026-11-30', hhmm('10:00'), BERLIN)).toEqual(utc('2026-11-30T09:00:00Z'));
    expect(instantAt('2026-11-30', hhmm('10:00'), SANTIAGO)).toEqual(utc('2026-11-30T13:00:00Z'));
    // Midnight in Kolkata is the evening before in UTC.
    expect(instantAt('2026-11-30', hhmm('00:00'), KOLKATA)).toEqual(utc('2026-11-29T18:30:00Z'));
    expect(instantAt('2026-11-30', hhmm('10:00'), LORD_HOWE)).toEqual(utc('2026-11-29T23:00:00Z'));
  });

  it('moves a time the clocks skip forward by the length of the jump', () => {
    // New York, 14 March 2027: 02:00 EST becomes 03:00 EDT.
    expect(instantAt('2027-03-14', hhmm('02:30'), NEW_YORK)).toEqual(utc('2027-03-14T07:30:00Z'));
    expect(localTime(instantAt('2027-03-14', hhmm('02:30'), NEW_YORK), NEW_YORK).minute).toBe(hhmm('03:30'));
    // Berlin, 28 March 2027: 02:00 CET becomes 03:00 CEST.
    expect(instantAt('2027-03-28', hhmm('02:30'), BERLIN)).toEqual(utc('2027-03-28T01:30:00Z'));
    // Santiago, 6 September 2026: midnight becomes 01:00, so 00:30 is 01:30 that Sunday, not the day before.
    expect(instantAt('2026-09-06', hhmm('00:30'), SANTIAGO)).toEqual(utc('2026-09-06T04:30:00Z'));
    expect(localTime(instantAt('2026-09-06', hhmm('00:30'), SANTIAGO), SANTIAGO)).toMatchObject({
      date: '2026-09-06',
      minute: hhmm('01:30'),
    });
    expect(instantAt('2026-09-06', hhmm('00:00'), SANTIAGO)).toEqual(utc('2026-09-06T04:00:00Z'));
    // Lord Howe, 4 October 2026: 02:00 becomes 02:30, so 02:15 is 02:45.
    expect(instantAt('2026-10-04', hhmm('02:15'), LORD_HOWE)).toEqual(utc('2026-10-03T15:45:00Z'));
    expect(localTime(instantAt('2026-10-04', hhmm('02:15'), LORD_HOWE), LORD_HOWE).minute).toBe(
      hhmm('02:45'),
    );
  });

  it('takes the first of a time the clocks repeat', () => {
    // New York, 1 November 2026: 01:30 comes at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    expect(instantAt('2026-11-01', hhmm('01:30'), NEW_YORK)).toEqual(utc('2026-11-01T05:30:00Z'));
    // Berlin, 25 October 2026: 02:30 comes at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    expect(instantAt('2026-10-25', hhmm('02:30'), BERLIN)).toEqual(utc('2026-10-25T00:30:00Z'));
    // Santiago, 4 April 2027: midnight goes back to 23:00 on the Saturday, so 23:30 comes twice.
    expect(instantAt('2027-04-03', hhmm('23:30'), SANTIAGO)).toEqual(utc('2027-04-04T02:30:00Z'));
    // Lord Howe, 4 April 2027: 01:45 at UTC+11 and again at UTC+10:30.
    expect(instantAt('2027-04-04', hhmm('01:45'), LORD_HOWE)).toEqual(utc('2027-04-03T14:45:00Z'));
  });

  it('shows its own time again for every minute of a change day, or the time after the jump', () => {
    const days: [string, string, number][] = [
      [NEW_YORK, '2027-03-14', 60],
      [NEW_YORK, '2026-11-01', 0],
      [BERLIN, '2027-03-28', 60],
      [BERLIN, '2026-10-25', 0],
      [SANTIAGO, '2026-09-06', 60],
      [SANTIAGO, '2027-04-03', 0],
      [KOLKATA, '2026-11-01', 0],
      [LORD_HOWE, '2026-10-04', 30],
      [LORD_HOWE, '2027-04-04', 0],
    ];
    for (const [tz, date, gap] of days) {
      let moved = 0;
      for (let minute = 0; minute < 24 * 60; minute++) {
        const shown = localTime(instantAt(date, minute, tz), tz);
        expect(shown.date).toBe(date);
        if (shown.minute !== minute) {
          expect([tz, shown.minute - minute]).toEqual([tz, gap]);
          moved++;
        }
      }
      expect([tz, date, moved]).toEqual([tz, date, gap]);
    }
  });

  it('refuses a minute outside the day and a zone that is not one', () => {
    expect(() => instantAt('2026-11-30', 24 * 60, NEW_YORK)).toThrow(RangeError);
    expect(() => instantAt('2026-11-30', 600, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('days later on the local calendar', () => {
  it('keeps the time of day across a change of the clocks', () => {
    // Saturday 10:00 in New York, a day later is Sunday 10:00: 23 hours in spring, 25 in autumn.
    const spring = laterBy(utc('2027-03-13T15:00:00Z'), NEW_YORK, { days: 1 });
    expect(spring).toEqual(utc('2027-03-14T14:00:00Z'));
    const autumn = laterBy(utc('2026-10-31T14:00:00Z'), NEW_YORK, { days: 1 });
    expect(autumn).toEqual(utc('2026-11-01T15:00:00Z'));
    // In Lord Howe the day is 23½ hours long.
    const lordHowe = laterBy(utc('2026-10-03T12:00:00Z'), LORD_HOWE, { days: 1 });
    expect(lordHowe.getTime() - utc('2026-10-03T12:00:00Z').getTime()).toBe(23.5 * 3_600_000);
    // Whole days on the calendar, then hours of elapsed time; backwards too.
    expect(laterBy(utc('2027-03-13T15:00:00Z'), NEW_YORK, { days: 1, hours: 4 })).toEqual(
      utc('2027-03-14T18:00:00Z'),
    );
    expect(laterBy(utc('2027-03-15T14:00:00Z'), NEW_YORK, { days: -7 })).toEqual(utc('2027-03-08T15:00:00Z'));
  });

  it('moves a day that lands in the skipped time forward by the jump', () => {
    // 02:30 on Saturday in New York, a day later, is 03:30 on the Sunday the clocks skip 02:00–03:00.
    expect(laterBy(utc('2027-03-13T07:30:00Z'), NEW_YORK, { days: 1 })).toEqual(utc('2027-03-14T07:30:00Z'));
  });
});

describe('calendar dates', () => {
  it('count, add and name days whatever the host’s zone', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(daysBetween('2027-03-15', '2027-03-13')).toBe(-2);
    // Days across a change of the clocks are whole days.
    expect(daysBetween('2027-03-13', '2027-03-15')).toBe(2);
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(formatDate('2026-11-24')).toBe('Tue 24 Nov');
    expect(formatDate('2027-01-05', '2026-11-24')).toBe('Tue, 5 Jan 2027');
  });

  it('knows a real date from one that only looks like it', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('26-11-24')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('the time zone a rule reads', () => {
  it('is the most particular one given, else the one fallback', () => {
    expect(timeZoneOf('Asia/Kolkata', 'America/New_York')).toBe('Asia/Kolkata');
    expect(timeZoneOf(null, undefined, 'Europe/Berlin')).toBe('Europe/Berlin');
    // An abbreviation or an unknown name is not a zone to read local time in.
    expect(timeZoneOf('EST', 'Mars/Olympus_Mons', '')).toBe(FALLBACK_TIME_ZONE);
    expect(timeZoneOf()).toBe('UTC');
  });
});

describe('a digest week', () => {
  it('starts at the same time of day a week before, across a change of the clocks', () => {
    // Monday 08:00 EDT, the day after New York's clocks went forward: the week began Monday 08:00 EST.
    expect(periodEnding(utc('2027-03-15T12:00:00Z'), 7, NEW_YORK)).toEqual({
      start: utc('2027-03-08T13:00:00Z'),
      end: utc('2027-03-15T12:00:00Z'),
      startDate: '2027-03-08',
      endDate: '2027-03-15',
      tz: NEW_YORK,
    });
    // In Kolkata the week is 168 hours, and its dates are Kolkata's.
    const kolkata = periodEnding(utc('2026-11-29T20:00:00Z'), 7, KOLKATA);
    expect(kolkata).toMatchObject({
      start: utc('2026-11-22T20:00:00Z'),
      startDate: '2026-11-23',
      endDate: '2026-11-30',
    });
  });
});
