import { WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { type Db, postgresDatabase } from '../../src/db/database.js';
import { SLACK_ENFORCEMENT } from '../../src/sandbox/emulator/rate-limits.js';
import { type Sender, startSender } from '../../src/scheduler/sender.js';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { FakeSlack } from '../harness/fake-slack.js';

// The continuous sender: a queued message leaves as soon as it is due, without any job tick, and two senders
// on one database send each message once against a Slack that enforces its rates and fails at random.

const silent = pino({ level: 'silent' });

/** A clock that starts at `from` and moves on with real time, as the sender's retries need. */
function runningFrom(from: Date): Clock {
  const started = performance.now();
  return () => new Date(from.getTime() + (performance.now() - started));
}

describe('a message a listener queued', () => {
  let t: TestApp;
  let sender: Sender;
  beforeAll(async () => {
    t = await startCoalition();
    t.clock.set('2026-11-23T15:00:00Z');
    sender = await startSender({
      db: t.db,
      client: t.concert.app.client,
      teamId: 'T0001',
      clock: runningFrom(t.clock.now()),
      log: silent,
    });
  });
  afterAll(async () => {
    await sender.stop();
    await t.stop();
  });

  it('leaves when Slack lets it, with no job tick', async () => {
    // What the coalition's setup queued has gone first, so the 429 below meets the listener's own try.
    await vi.waitFor(
      async () =>
        expect(
          await t.db
            .selectFrom('outbox')
            .select('id')
            .where('status', 'in', ['pending', 'sending'])
            .execute(),
        ).toEqual([]),
      { timeout: 30_000, interval: 100 },
    );
    // The first try of the assignment DM (the listener's, or the sender's if it claims the row first) meets a
    // 429: the row stays queued, and no scheduled job runs in this test. The owner's own confirmation, which
    // may reach Slack first, passes the failure by.
    t.fake.failNext(
      'chat.postMessage',
      { status: 429, retryAfter: 1 },
      (call) => call.args.channel === PEOPLE.finn,
    );
    await t.slack.command(PEOPLE.bea, '/commit', 'Draft the MOU', { channel: CHANNELS.food });
    const modal = t.slack.modal(PEOPLE.bea);
    modal.pick('Who will do it', PEOPLE.finn);
    modal.date('Done by', '2026-11-27');
    await modal.submit(PEOPLE.bea);
    await t.settled();
    const assignment = () => t.fake.messages(PEOPLE.finn).filter((m) => m.text.includes('Draft the MOU'));
    const row = () =>
      t.db.selectFrom('outbox').selectAll().where('channel_id', '=', PEOPLE.finn).executeTakeFirstOrThrow();
    expect((await row()).last_error).toBe('ratelimited');
    await vi.waitFor(async () => expect((await row()).status).toBe('sent'), {
      timeout: 30_000,
      interval: 100,
    });
    expect(assignment()).toHaveLength(1);
  });
});

describe('two senders on one database, Slack enforcing its rates and failing 5% at random', () => {
  const PEOPLE_COUNT = 60;
  let database: TestDatabase;
  let secondDb: Db;
  let fake: FakeSlack;
  const senders: Sender[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // On a real server the second instance has its own connection pool, as a second process would.
    secondDb = database.url ? postgresDatabase(database.url) : database.db;
    let seed = 20261130;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    fake = await FakeSlack.start({ enforce: { ...SLACK_ENFORCEMENT, random } });
    for (let i = 0; i < PEOPLE_COUNT; i++) fake.addUser({ id: `UFAN${i}`, name: `fan${i}` });
    for (const db of [database.db, secondDb])
      senders.push(
        await startSender({
          db,
          client: new WebClient('xoxb-test-token', { slackApiUrl: fake.url }),
          teamId: 'T0001',
          clock: () => new Date(),
          log: silent,
        }),
      );
  });
  afterAll(async () => {
    for (const sender of senders) await sender.stop();
    if (secondDb !== database.db) await secondDb.destroy();
    await database.destroy();
    await fake.stop();
  });

  it('send each DM once', async () => {
    const now = new Date();
    await database.db
      .insertInto('outbox')
      .values(
        Array.from({ length: PEOPLE_COUNT }, (_, i) => ({
          team_id: 'T0001',
          kind: 'fan_out',
          dedupe_key: String(i),
          channel_id: `UFAN${i}`,
          text: `A note for fan${i}`,
          blocks: '[]',
          next_attempt_at: now,
          created_at: now,
        })),
      )
      .execute();
    const rows = () => database.db.selectFrom('outbox').selectAll().where('kind', '=', 'fan_out').execute();
    await vi.waitFor(
      async () => expect((await rows()).filter((r) => r.status !== 'sent').map((r) => r.id)).toEqual([]),
      { timeout: 150_000, interval: 250 },
    );
    for (const row of await rows()) {
      const posts = fake
        .messages(fake.dmChannelOf(row.channel_id))
        .filter((m) => m.metadata?.event_payload?.key === String(row.id));
      expect(posts, row.channel_id).toHaveLength(1);
      expect(posts[0]?.ts).toBe(row.message_ts);
    }
    // The dice did fail some posts, and each was sent all the same.
    expect(fake.enforcer?.counts.injected).toBeGreaterThan(0);
  }, 180_000);
});
