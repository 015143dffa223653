import { describe, expect, it } from 'vitest';
import { type CheckinSchedule, checkinWindow, nextOpening } from '../src/services/checkin-schedule.js';

// Tuesdays at 10:00.
const tuesday: CheckinSchedule = { weekday: 2, minute: 10 * 60, reminderHours: 24, closeHours: 48 };

describe('the next check-in opening', () => {
  it('is the soonest of the members’ own 10:00s still ahead', () => {
    // Monday 23 November 2026, 15:00 UTC: Tuesday 10:00 comes first in Berlin, then in Los Angeles.
    const now = new Date('2026-11-23T15:00:00Z');
    expect(nextOpening(tuesday, ['America/Los_Angeles', 'Europe/Berlin'], now)).toEqual(
      new Date('2026-11-24T09:00:00Z'),
    );
    expect(nextOpening(tuesday, ['America/Los_Angeles'], now)).toEqual(new Date('2026-11-24T18:00:00Z'));
  });

  it('moves to next week once this week’s have all opened', () => {
    const now = new Date('2026-11-24T18:00:00Z');
    expect(nextOpening(tuesday, ['America/Los_Angeles', 'Europe/Berlin'], now)).toEqual(
      new Date('2026-12-01T09:00:00Z'),
    );
  });

  it('is nothing without anyone to ask', () => {
    expect(nextOpening(tuesday, [], new Date('2026-11-23T15:00:00Z'))).toBeUndefined();
  });
});

describe('a member’s check-in window across a change of the clocks', () => {
  // Sundays at 02:30, reminded a day after the open, closed two days after.
  const sunday: CheckinSchedule = { weekday: 7, minute: 2 * 60 + 30, reminderHours: 24, closeHours: 48 };

  it('opens at a time the clocks skip when the jump has passed, and reminds a day later at the same time of day', () => {
    // New York, 14 March 2027: 02:30 does not exist; it opens at 03:30 EDT, and a day after is 03:30 again.
    expect(checkinWindow('2027-03-14', sunday, 'America/New_York')).toEqual({
      opensAt: new Date('2027-03-14T07:30:00Z'),
      reminderAt: new Date('2027-03-15T07:30:00Z'),
      closesAt: new Date('2027-03-16T07:30:00Z'),
    });
  });

  it('opens at the first of a time the clocks repeat, and counts days on the calendar after it', () => {
    // New York, 1 November 2026, 01:30 comes twice: the round opens at the first.
    const at130 = { ...sunday, minute: 90, reminderHours: 4 };
    expect(checkinWindow('2026-11-01', at130, 'America/New_York')).toEqual({
      opensAt: new Date('2026-11-01T05:30:00Z'),
      reminderAt: new Date('2026-11-01T09:30:00Z'),
      closesAt: new Date('2026-11-03T06:30:00Z'),
    });
  });

  it('keeps a Santiago 00:30 on its own Sunday when midnight is skipped', () => {
    const at030 = { ...sunday, minute: 30 };
    expect(checkinWindow('2026-09-06', at030, 'America/Santiago').opensAt).toEqual(
      new Date('2026-09-06T04:30:00Z'),
    );
    // Lord Howe skips 02:00–02:30 on 4 October 2026: 02:15 opens at 02:45, UTC+11.
    expect(checkinWindow('2026-10-04', { ...sunday, minute: 135 }, 'Australia/Lord_Howe').opensAt).toEqual(
      new Date('2026-10-03T15:45:00Z'),
    );
  });
});
