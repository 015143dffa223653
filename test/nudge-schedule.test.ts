import { describe, expect, it } from 'vitest';
import {
  escalationAt,
  lastWorkingDayBefore,
  type NudgePolicy,
  ownerNudgeAt,
  type WorkingHours,
} from '../src/services/nudge-schedule.js';

const weekdays = [1, 2, 3, 4, 5];
const newYork: WorkingHours = {
  tz: 'America/New_York',
  startMinute: 9 * 60,
  endMinute: 17 * 60,
  workingDays: weekdays,
};
const policy: NudgePolicy = { repeatDays: 2, maxOverdue: 3, escalateAfterDays: 3 };
// Made the Monday before, so the same-day rule does not apply.
const step = (dueDate: string) => ({ dueDate, createdAt: new Date('2026-11-16T15:00:00Z') });
const at = (iso: string) => new Date(iso);

describe('when an owner is nudged', () => {
  it('reminds on the last working day before the due date, a Friday for a Monday', () => {
    expect(lastWorkingDayBefore('2026-11-30', weekdays)).toBe('2026-11-27');
    expect(ownerNudgeAt(step('2026-11-30'), newYork, policy, at('2026-11-27T14:00:00Z'))).toEqual({
      kind: 'nudge_before',
      day: '2026-11-27',
      daysOverdue: -3,
    });
    expect(ownerNudgeAt(step('2026-11-30'), newYork, policy, at('2026-11-29T15:00:00Z'))).toBeUndefined();
  });

  it('only inside working hours, in the owner’s own time zone', () => {
    // 13:59 UTC is 08:59 in New York: too early. 22:00 UTC is 17:00: the day is over.
    expect(ownerNudgeAt(step('2026-11-25'), newYork, policy, at('2026-11-25T13:59:00Z'))).toBeUndefined();
    expect(ownerNudgeAt(step('2026-11-25'), newYork, policy, at('2026-11-25T14:00:00Z'))?.kind).toBe(
      'nudge_due',
    );
    expect(ownerNudgeAt(step('2026-11-25'), newYork, policy, at('2026-11-25T22:00:00Z'))).toBeUndefined();
    const berlin = { ...newYork, tz: 'Europe/Berlin' };
    expect(ownerNudgeAt(step('2026-11-25'), berlin, policy, at('2026-11-25T08:00:00Z'))?.kind).toBe(
      'nudge_due',
    );
  });

  it('while overdue, every N days up to the cap; a day off moves it to the next working day', () => {
    const due = step('2026-11-25'); // a Wednesday
    const day = (iso: string) => ownerNudgeAt(due, newYork, policy, at(iso))?.day;
    expect(day('2026-11-26T15:00:00Z')).toBe('2026-11-26');
    expect(day('2026-11-27T15:00:00Z')).toBe('2026-11-26'); // the same nudge: already keyed, not sent again
    expect(ownerNudgeAt(due, newYork, policy, at('2026-11-28T15:00:00Z'))).toBeUndefined(); // Saturday
    expect(day('2026-11-30T15:00:00Z')).toBe('2026-11-30'); // Monday: the latest slot only
    expect(day('2026-12-09T15:00:00Z')).toBe('2026-11-30'); // the cap: nothing new after the third slot
    expect(
      ownerNudgeAt(due, newYork, { ...policy, maxOverdue: 0 }, at('2026-11-26T15:00:00Z')),
    ).toBeUndefined();
  });

  it('sends no reminder on the day a step is made', () => {
    const madeToday = { dueDate: '2026-11-25', createdAt: new Date('2026-11-25T13:00:00Z') };
    expect(ownerNudgeAt(madeToday, newYork, policy, at('2026-11-25T15:00:00Z'))).toBeUndefined();
    expect(ownerNudgeAt(madeToday, newYork, policy, at('2026-11-26T15:00:00Z'))?.kind).toBe('nudge_overdue');
  });
});

describe('when the backbone hears of it', () => {
  it('after M days overdue, keyed by the due date, in working hours', () => {
    expect(escalationAt(step('2026-11-23'), newYork, policy, at('2026-11-25T15:00:00Z'))).toBeUndefined();
    expect(escalationAt(step('2026-11-23'), newYork, policy, at('2026-11-26T15:00:00Z'))).toEqual({
      kind: 'escalation',
      day: '2026-11-23',
      daysOverdue: 3,
    });
    expect(escalationAt(step('2026-11-25'), newYork, policy, at('2026-11-28T15:00:00Z'))).toBeUndefined();
  });
});
