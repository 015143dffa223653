import { describe, expect, it } from 'vitest';
import { checkClosing, instantAt } from '../src/services/closing-time.js';

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

  it('takes the later of a time the clocks fall back through (1 November 2026)', () => {
    // 02:00 EDT becomes 01:00 EST: 01:30 comes at 05:30 UTC and again at 06:30 UTC.
    expect(instantAt('2026-11-01', at('01:30'), NEW_YORK)).toEqual(new Date('2026-11-01T06:30:00Z'));
    expect(instantAt('2026-11-01', at('01:00'), NEW_YORK)).toEqual(new Date('2026-11-01T06:00:00Z'));
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
      closesAt: new Date('2026-11-01T06:30:00Z'),
    });
  });
});
