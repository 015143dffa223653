import { describe, expect, it } from 'vitest';
import { checkClosing, defaultClosing } from '../src/services/closing-time.js';
import { instantAt } from '../src/services/time.js';

const NEW_YORK = 'America/New_York';
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h as number) * 60 + (m as number);
};

describe('the closing instant of a wall-clock time', () => {
  it('is the plain offset on an ordinary day', () => {
    expect(instantAt('2026-11-30', at('10:00'), NEW_YORK)).toEqual(new Date('2026-11-30T15:00:00Z'));
    expect(instantAt('2027-07-01', at('10:00'), NEW_YORK)).toEqual(new Date('2027-07-01T14:00:00Z'));
  });

  it('moves a time the clocks spring past forward by the hour skipped (14 March 2027)', () => {
    // 02:00 EST becomes 03:00 EDT: 02:30 does not exist, and reads as 03:30 EDT.
    expect(instantAt('2027-03-14', at('02:30'), NEW_YORK)).toEqual(new Date('2027-03-14T07:30:00Z'));
    expect(instantAt('2027-03-14', at('02:00'), NEW_YORK)).toEqual(new Date('2027-03-14T07:00:00Z'));
    // Either side of the gap, the times are what they say.
    expect(instantAt('2027-03-14', at('01:59'), NEW_YORK)).toEqual(new Date('2027-03-14T06:59:00Z'));
    expect(instantAt('2027-03-14', at('03:00'), NEW_YORK)).toEqual(new Date('2027-03-14T07:00:00Z'));
    expect(instantAt('2027-03-14', at('03:30'), NEW_YORK)).toEqual(new Date('2027-03-14T07:30:00Z'));
  });

  it('takes the first of a time the clocks fall back through (1 November 2026)', () => {
    // 02:00 EDT becomes 01:00 EST: 01:30 comes at 05:30 UTC and again at 06:30 UTC; the first is the one.
    expect(instantAt('2026-11-01', at('01:30'), NEW_YORK)).toEqual(new Date('2026-11-01T05:30:00Z'));
    expect(instantAt('2026-11-01', at('01:00'), NEW_YORK)).toEqual(new Date('2026-11-01T05:00:00Z'));
    expect(instantAt('2026-11-01', at('00:59'), NEW_YORK)).toEqual(new Date('2026-11-01T04:59:00Z'));
    expect(instantAt('2026-11-01', at('02:00'), NEW_YORK)).toEqual(new Date('2026-11-01T07:00:00Z'));
  });

  it('is what a proposal closing at such a time is given', () => {
    const now = new Date('2027-03-10T15:00:00Z');
    expect(checkClosing('2027-03-14', '02:30', NEW_YORK, now)).toEqual({
      ok: true,
      closesAt: new Date('2027-03-14T07:30:00Z'),
    });
    expect(checkClosing('2026-11-01', '01:30', NEW_YORK, new Date('2026-10-30T15:00:00Z'))).toEqual({
      ok: true,
      closesAt: new Date('2026-11-01T05:30:00Z'),
    });
  });

  it('reads a Santiago proposer’s 00:30 on the night the clocks skip midnight as 01:30 that day', () => {
    // 6 September 2026: Santiago's clocks go from 00:00 to 01:00; 00:30 is not the evening before.
    expect(checkClosing('2026-09-06', '00:30', 'America/Santiago', new Date('2026-09-01T12:00:00Z'))).toEqual(
      {
        ok: true,
        closesAt: new Date('2026-09-06T04:30:00Z'),
      },
    );
  });
});

describe('the default closing time and the longest vote', () => {
  it('is a week on at the same time of day, at the next quarter hour, across a change of the clocks', () => {
    // Wednesday 10 March 2027, 10:07 EST: a week on is 10:07 EDT, shown as 10:15.
    expect(defaultClosing(new Date('2027-03-10T15:07:00Z'), NEW_YORK)).toEqual({
      date: '2027-03-17',
      time: '10:15',
    });
    expect(defaultClosing(new Date('2026-11-24T04:30:00Z'), 'Asia/Kolkata')).toEqual({
      date: '2026-12-01',
      time: '10:00',
    });
  });

  it('counts the 60 days on the proposer’s calendar, 25-hour day and all', () => {
    // Thursday 10 September 2026, 10:00 EDT; 60 days on is 9 November, 10:00 EST: 60 days and an hour.
    const now = new Date('2026-09-10T14:00:00Z');
    expect(checkClosing('2026-11-09', '10:00', NEW_YORK, now)).toEqual({
      ok: true,
      closesAt: new Date('2026-11-09T15:00:00Z'),
    });
    expect(checkClosing('2026-11-09', '10:15', NEW_YORK, now)).toMatchObject({ ok: false, field: 'date' });
  });
});
