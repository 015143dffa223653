import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, postgresDatabase } from '../src/db/database.js';
import { recordDelivery } from '../src/db/slack-deliveries.js';
import { createLogger } from '../src/logger.js';
import { postgresRunCoordinator } from '../src/scheduler/coordinator.js';
import { jobs } from '../src/scheduler/jobs.js';
import { TestClock } from './harness/clock.js';
import { createTestDatabase, onRealPostgres, type TestDatabase } from './harness/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.destroy());

describe('the run coordinator', () => {
  it('lets one instance run each slot, however many ask at once', async () => {
    const clock = new TestClock();
    // On a real server each instance has its own pool, as separate processes would.
    const second: Db = onRealPostgres && t.url ? postgresDatabase(t.url) : t.db;
    try {
      const a = postgresRunCoordinator(t.db, 'instance-a', clock.now);
      const b = postgresRunCoordinator(second, 'instance-b', clock.now);
      const slots = ['reconcile:2026-11-24T04:17:00.000Z', 'reconcile:2026-11-25T04:17:00.000Z'];
      const answers = await Promise.all(
        slots.flatMap((slot) => [a.shouldRun(slot), b.shouldRun(slot), a.shouldRun(slot)]),
      );
      expect(answers.filter(Boolean)).toHaveLength(2);
      expect([answers.slice(0, 3).filter(Boolean).length, answers.slice(3).filter(Boolean).length]).toEqual([
        1, 1,
      ]);
      await a.onComplete(slots[0] as string);
      const row = await t.db
        .selectFrom('scheduler_runs')
        .selectAll()
        .where('slot_key', '=', slots[0] as string)
        .executeTakeFirst();
      expect(row?.finished_at).toEqual(clock.now());
    } finally {
      if (second !== t.db) await second.destroy();
    }
  });
});

describe('bookkeeping', () => {
  it('prunes redelivery records after a day and slot records after thirty', async () => {
    const clock = new TestClock('2026-11-23T10:00:00Z');
    await recordDelivery(t.db, 'T0001', 'event:old', new Date('2026-11-22T09:00:00Z'));
    await recordDelivery(t.db, 'T0001', 'event:recent', new Date('2026-11-23T09:00:00Z'));
    const prune = jobs({
      db: t.db,
      client: undefined as never,
      botUserId: () => undefined,
      log: createLogger('silent'),
    }).find((j) => j.name === 'prune-bookkeeping');
    await prune?.run(clock.now());
    const left = await t.db.selectFrom('slack_deliveries').select('delivery_key').execute();
    expect(left.map((r) => r.delivery_key)).toEqual(['event:recent']);
  });

  it('refreshes the planner’s statistics once a day, which the embedded database never does by itself', async () => {
    const reltuples = async () => {
      const { rows } = await sql<{ reltuples: number }>`
        select reltuples::float8 as reltuples from pg_class where relname = 'slack_deliveries'`.execute(t.db);
      return Number(rows[0]?.reltuples);
    };
    // A table never analysed counts -1 rows (PostgreSQL 14 and later); a fresh copy of the template is one.
    if (!onRealPostgres) expect(await reltuples()).toBe(-1);
    const statistics = jobs({
      db: t.db,
      client: undefined as never,
      botUserId: () => undefined,
      log: createLogger('silent'),
    }).find((j) => j.name === 'statistics');
    expect(statistics?.cron).toBe('37 4 * * *');
    await statistics?.run(new Date('2026-11-24T04:37:00Z'));
    expect(await reltuples()).toBe(1);
  });
});
