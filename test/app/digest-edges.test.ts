import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { figures, overdueOwners } from '../../src/services/follow-through.js';
import { digestMessages } from '../../src/views/digest.js';
import { TEAM_ID, type TestApp } from '../harness/app.js';
import { PEOPLE, startCoalition } from '../harness/coalition.js';
import { stepFigures } from '../harness/figures.js';

// The digest's figures at the edges of a period, each step's history written as the app writes it (an event
// per change, the row updated with it). Two weeks on New York's calendar: 9–15 and 16–22 November 2026; the
// first ends at midnight between Sunday the 15th and Monday the 16th, 05:00 UTC.
const FIRST_END = new Date('2026-11-16T05:00:00Z');
const SECOND_END = new Date('2026-11-23T05:00:00Z');

let t: TestApp;
let food: number;

type Change =
  | ['done' | 'dropped', string]
  | ['renegotiated', string, string]
  | ['reassigned', string, string]
  | ['support_requested', string];

/** A step created on 1 October due on `due`, then each change at its moment, the row kept as the app keeps it. */
async function step(db: Db, owner: string, title: string, due: string, changes: Change[] = []) {
  const created = '2026-10-01T15:00:00Z';
  const row = await db
    .insertInto('action_steps')
    .values({
      team_id: TEAM_ID,
      title,
      owner_id: owner,
      created_by: owner,
      work_group_id: food,
      due_date: due,
      first_due_date: due,
      source: 'commit',
      created_at: created,
      updated_at: created,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const event = { team_id: TEAM_ID, action_step_id: row.id, actor_id: owner };
  await db
    .insertInto('action_step_events')
    .values({ ...event, kind: 'created', new_due_date: due, at: created })
    .execute();
  let current = due;
  for (const change of changes) {
    const [kind, at] = change;
    const base = { ...event, kind, at, old_due_date: current };
    if (kind === 'renegotiated') {
      await db
        .insertInto('action_step_events')
        .values({ ...base, new_due_date: change[2], note: 'Later' })
        .execute();
      current = change[2];
      await db.updateTable('action_steps').set({ due_date: current }).where('id', '=', row.id).execute();
    } else if (kind === 'reassigned') {
      await db.insertInto('action_step_events').values(base).execute();
      await db.updateTable('action_steps').set({ owner_id: change[2] }).where('id', '=', row.id).execute();
    } else if (kind === 'support_requested') {
      await db
        .insertInto('action_step_events')
        .values({ ...base, note: 'A hand' })
        .execute();
    } else {
      await db.insertInto('action_step_events').values(base).execute();
      await db
        .updateTable('action_steps')
        .set({ status: kind, closed_at: new Date(at) })
        .where('id', '=', row.id)
        .execute();
    }
  }
}

beforeAll(async () => {
  t = await startCoalition();
  const group = await t.db.selectFrom('work_groups').select('id').executeTakeFirstOrThrow();
  food = group.id;
  await t.db.updateTable('work_groups').set({ created_at: '2026-10-01T15:00:00Z' }).execute();
  const { fay, finn, cora } = PEOPLE;
  const db = t.db;
  // Closed on the first week's last day, 23:30 in New York (04:30 UTC on the 16th): on time, in that week.
  await step(db, fay, 'Closed late on the last day', '2026-11-15', [['done', '2026-11-16T04:30:00Z']]);
  // Due on the last day, closed 30 minutes into the next week: overdue at the first week's end.
  await step(db, fay, 'Closed just after the week', '2026-11-15', [['done', '2026-11-16T05:30:00Z']]);
  // Due on the Monday the second week starts: not the first week's.
  await step(db, fay, 'Due on the next Monday', '2026-11-16', [['done', '2026-11-16T15:00:00Z']]);
  // Overdue at the first week's end, then done during the second.
  await step(db, finn, 'Overdue, then done', '2026-11-12', [['done', '2026-11-18T15:00:00Z']]);
  // Given a new date after the first week ended: that week counts it by the date it had then.
  await step(db, finn, 'Moved after the week', '2026-11-13', [
    ['renegotiated', '2026-11-17T15:00:00Z', '2026-11-20'],
    ['done', '2026-11-19T15:00:00Z'],
  ]);
  // Reassigned from Finn to Cora during the first week, still open: Cora's, once, not a renegotiation.
  await step(db, finn, 'Reassigned', '2026-11-11', [
    ['reassigned', '2026-11-10T15:00:00Z', cora],
    ['support_requested', '2026-11-19T15:00:00Z'],
  ]);
  // Dropped after its date (counted, not done) and by its date (released: not counted as due).
  await step(db, cora, 'Dropped late', '2026-11-10', [['dropped', '2026-11-12T15:00:00Z']]);
  await step(db, cora, 'Dropped in time', '2026-11-14', [['dropped', '2026-11-13T15:00:00Z']]);
  // Seven more people with overdue steps from October, one of them with five: more than the digest lists.
  for (let i = 1; i <= 7; i++)
    for (let k = 1; k <= (i === 1 ? 5 : 1); k++)
      await step(
        db,
        `UOWNER${i}`,
        `October step ${k} of owner ${i}`,
        `2026-10-${String(20 + k).padStart(2, '0')}`,
      );
});
afterAll(() => t.stop());

describe('the digest’s figures at the edges of a period', () => {
  it('counts the first week as it stood at its end, whenever it is read', async () => {
    const now = await figures(t.db, TEAM_ID, FIRST_END);
    const later = await figures(t.db, TEAM_ID, SECOND_END);
    for (const first of [now.current, later.previous]) {
      // Due 9–15 Nov: closed late on the last day (on time), closed just after (overdue), overdue then done,
      // moved after the week (overdue, by its date then), reassigned (overdue), dropped late; released: no.
      expect(first.overall.steps).toEqual(stepFigures(6, 1, 0, 4, 0, 2));
      expect(first.groups.map((g) => g.steps)).toEqual([first.overall.steps]);
      // Overdue at the end, whatever the date: the four above, and the 11 October steps of seven people.
      expect(first.overdue).toEqual({ steps: 15, owners: 10 });
      expect(first.people.map((p) => [p.userId, p.overdueCount])).toEqual([
        ['UOWNER1', 5],
        [PEOPLE.finn, 2],
        [PEOPLE.cora, 1],
        [PEOPLE.fay, 1],
        ['UOWNER2', 1],
      ]);
      expect(first.people[0]?.overdue.map((s) => s.title)).toEqual([
        'October step 1 of owner 1',
        'October step 2 of owner 1',
        'October step 3 of owner 1',
      ]);
      expect(first.people[1]?.overdue.map((s) => [s.title, s.due])).toEqual([
        ['Overdue, then done', '2026-11-12'],
        ['Moved after the week', '2026-11-13'],
      ]);
      expect(first.people[2]?.overdue.map((s) => s.title)).toEqual(['Reassigned']);
    }
  });

  it('counts the second week: the new dates, the renegotiation and what was still open', async () => {
    const { current: second } = await figures(t.db, TEAM_ID, SECOND_END);
    // Due 16–22 Nov: due on the Monday (on time), moved after the week (on time by its new date).
    expect(second.overall.steps).toEqual(stepFigures(2, 2, 0, 0, 1, 0));
    expect(second.overdue).toEqual({ steps: 12, owners: 8 });
    expect(second.people.map((p) => [p.userId, p.overdueCount])).toEqual([
      ['UOWNER1', 5],
      [PEOPLE.cora, 1],
      ['UOWNER2', 1],
      ['UOWNER3', 1],
      ['UOWNER4', 1],
    ]);
    expect(second.supportCount).toBe(1);
    expect(second.support.map((s) => [s.user_id, s.text])).toEqual([[PEOPLE.cora, 'Reassigned: A hand']]);
    const owners = await overdueOwners(t.db, TEAM_ID, SECOND_END);
    expect(owners.owners).toEqual([
      'UOWNER1',
      PEOPLE.cora,
      'UOWNER2',
      'UOWNER3',
      'UOWNER4',
      'UOWNER5',
      'UOWNER6',
      'UOWNER7',
    ]);
  });

  it('shows the totals beside the people and titles it lists', async () => {
    const [message] = digestMessages(await figures(t.db, TEAM_ID, FIRST_END), { weeks: 1, offerPost: false });
    expect(message?.text).toContain('· 15 overdue · 0 asking for support ·');
    const shown = JSON.stringify(message?.blocks);
    expect(shown).toContain('6 due · 1 on time · 0 late · 4 overdue · 0 renegotiated · 2 dropped');
    expect(shown).toContain(
      '• <@UOWNER1>: 5 overdue — October step 1 of owner 1 (Wed 21 Oct); October step 2 of owner 1 (Thu 22 Oct); October step 3 of owner 1 (Fri 23 Oct); and 2 more',
    );
    expect(shown).toContain('…and 5 more people with overdue steps.');
  });
});
