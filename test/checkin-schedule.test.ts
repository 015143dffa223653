import { describe, expect, it } from 'vitest';
import { type CheckinSchedule, nextOpening } from '../src/services/checkin-schedule.js';

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
