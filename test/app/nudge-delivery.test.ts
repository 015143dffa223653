import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, postgresDatabase } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, startCoalition } from '../harness/coalition.js';
import { fireSlot, jobFor } from '../harness/scheduler.js';

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());

const dmsAbout = (user: string, title: string) => t.fake.messages(user).filter((m) => m.text.includes(title));

describe('a nudge Slack does not take', () => {
  it('is sent later, once, after a run of 5xx answers', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    await commitStep(t, PEOPLE.fay, 'Print the flyers', '2026-11-25');
    // The try in this tick fails; the client does not retry it itself (the outbox is the one place retries are).
    t.fake.failNext('chat.postMessage', { status: 503 });
    await fireSlot(t, 'nudges', new Date('2026-11-24T14:00:00Z'));
    expect(dmsAbout(PEOPLE.fay, 'Print the flyers')).toEqual([]);
    const row = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'nudge_before')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'http_503' });

    await fireSlot(t, 'nudges', new Date('2026-11-24T14:15:00Z'));
    await fireSlot(t, 'nudges', new Date('2026-11-24T14:30:00Z'));
    expect(dmsAbout(PEOPLE.fay, 'Print the flyers')).toHaveLength(1);
  });

  it('is sent later, once, after being rate limited', async () => {
    await commitStep(t, PEOPLE.finn, 'Call the county', '2026-11-26');
    t.fake.failNext('chat.postMessage', { status: 429, retryAfter: 0 });
    await fireSlot(t, 'nudges', new Date('2026-11-25T08:00:00Z'));
    expect(dmsAbout(PEOPLE.finn, 'Call the county')).toEqual([]);
    await fireSlot(t, 'nudges', new Date('2026-11-25T08:15:00Z'));
    await fireSlot(t, 'nudges', new Date('2026-11-25T08:30:00Z'));
    expect(dmsAbout(PEOPLE.finn, 'Call the county')).toHaveLength(1);
  });

  it('is not sent when the step was closed before its turn came', async () => {
    await commitStep(t, PEOPLE.fay, 'Order chairs', '2026-11-27');
    // Everything sent in this tick fails, the other nudges due at the same time included.
    for (let i = 0; i < 20; i++) t.fake.failNext('chat.postMessage', { status: 500 });
    await fireSlot(t, 'nudges', new Date('2026-11-26T14:00:00Z'));
    const step = await t.db
      .selectFrom('action_steps')
      .select('id')
      .where('title', '=', 'Order chairs')
      .executeTakeFirstOrThrow();
    await t.db.updateTable('action_steps').set({ status: 'done' }).where('id', '=', step.id).execute();
    await fireSlot(t, 'nudges', new Date('2026-11-26T14:15:00Z'));
    expect(dmsAbout(PEOPLE.fay, 'Order chairs')).toEqual([]);
    const row = await t.db
      .selectFrom('outbox')
      .select('status')
      .where('action_step_id', '=', step.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
  });
});

describe('two instances on one database', () => {
  it('send each nudge once, whether the coordinator or the outbox stops the second', async () => {
    // On a real server the second instance has its own connection pool, as a second process would.
    const url = t.database?.url;
    const secondDb: Db = url ? postgresDatabase(url) : t.db;
    const second = await startTestApp({ db: secondDb, fake: t.fake });
    try {
      t.clock.set('2026-11-30T15:00:00Z');
      second.clock.set('2026-11-30T15:00:00Z');
      await commitStep(t, PEOPLE.fay, 'Twin A', '2026-12-02');
      await commitStep(second, PEOPLE.finn, 'Twin B', '2026-12-03');
      for (
        let at = Date.parse('2026-12-01T00:00:00Z');
        at <= Date.parse('2026-12-09T00:00:00Z');
        at += 3_600_000
      ) {
        const now = new Date(at);
        // Both ask the coordinator for the slot…
        const ran = await Promise.all([
          fireSlot(t, 'nudges', now, 'a'),
          fireSlot(second, 'nudges', now, 'b'),
        ]);
        expect(ran.filter(Boolean)).toHaveLength(1);
        // …and, as if their clocks disagreed about the slot, both also run the job at the same moment.
        await Promise.all([jobFor(t, 'nudges').run(now), jobFor(second, 'nudges').run(now)]);
      }
      const sent = (user: string, title: string) => dmsAbout(user, title).length;
      // A (due Wed 2): before, due, overdue Thu 3 and Mon 7 (Saturday's folded into Monday's, the last).
      // B (due Thu 3): before, due, overdue Fri 4, Mon 7 (Saturday's), Tue 8 (the last).
      expect([sent(PEOPLE.fay, 'Twin A'), sent(PEOPLE.finn, 'Twin B')]).toEqual([4, 5]);
      const escalations = t.fake.messages(CHANNELS.backbone).filter((m) => m.text.includes('Twin'));
      expect(escalations.map((m) => /Twin [AB]/.exec(m.text)?.[0]).sort()).toEqual(['Twin A', 'Twin B']);
      const rows = await t.db
        .selectFrom('outbox')
        .select(['status'])
        .where('text', 'like', '%Twin%')
        .execute();
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
    } finally {
      await second.stop();
      if (secondDb !== t.db) await secondDb.destroy();
    }
  });
});
