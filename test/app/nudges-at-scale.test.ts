import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, startCoalition } from '../harness/coalition.js';
import { fireSlot } from '../harness/scheduler.js';

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());

// More open steps than PostgreSQL takes bind parameters in one statement (65,535).
const OPEN_STEPS = 70_000;

describe('the nudges tick with more open steps than one statement can list', () => {
  it('still nudges: no statement of the tick takes a parameter per open step', async () => {
    // Monday 23 November 2026: Fay's step is due on Wednesday.
    t.clock.set('2026-11-23T15:00:00Z');
    await commitStep(t, PEOPLE.fay, 'Step A', '2026-11-25');
    // Someone who has left, with 70,000 steps overdue in the food group: none is nudged (a deactivated owner
    // is not), but every one of them is open and recent enough for its nudges to fall due, so the tick
    // reads them all.
    const team = await t.db.selectFrom('workspaces').select('team_id').executeTakeFirstOrThrow();
    const group = await t.db.selectFrom('work_groups').select('id').executeTakeFirstOrThrow();
    const created = new Date('2026-10-01T14:00:00Z');
    await t.db
      .insertInto('people')
      .values({
        team_id: team.team_id,
        user_id: 'UGONE',
        name: 'Gone',
        tz: 'America/New_York',
        is_bot: false,
        is_admin: false,
        is_owner: false,
        deleted: true,
        refreshed_at: created,
      })
      .execute();
    await sql`
      insert into action_steps
        (team_id, title, owner_id, created_by, work_group_id, due_date, first_due_date, status, source,
         created_at, updated_at)
      select ${team.team_id}, 'An old step ' || n, 'UGONE', 'UGONE', ${group.id}, date '2026-11-20',
        date '2026-11-20', 'open', 'commit', ${created}, ${created}
      from generate_series(1, ${OPEN_STEPS}) as n`.execute(t.db);
    t.fake.clearCalls();

    // Wednesday 09:00 in New York: Fay's step is due today.
    expect(await fireSlot(t, 'nudges', new Date('2026-11-25T14:00:00Z'))).toBe(true);
    const posts = t.fake.callsTo('chat.postMessage');
    expect(posts.map((p) => p.args.channel)).toEqual([PEOPLE.fay]);
    expect(posts[0]?.args.text).toContain('Step A');
    expect(posts[0]?.args.text).toContain('is due today');
    // Nothing about the old steps was queued, and nothing went to the backbone about them.
    const queued = await t.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channel_id', '=', CHANNELS.backbone)
      .executeTakeFirstOrThrow();
    expect(Number(queued.n)).toBe(0);
  }, 120_000);
});
