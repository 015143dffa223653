import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, postgresDatabase } from '../../src/db/database.js';
import { enqueue, messageRow } from '../../src/db/outbox.js';
import { LEASE_MS } from '../../src/services/delivery.js';
import { MAX_SEND_MS, SEND_CLIENT_OPTIONS } from '../../src/slack/web-sender.js';
import { startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';
import { seedWorkspace, setUpCoalition } from '../harness/coalition.js';
import { FakeSlack } from '../harness/fake-slack.js';
import {
  behind,
  type Fate,
  type LossySlack,
  lossySlack,
  postsByOutboxKey,
  seeded,
} from '../harness/lossy-slack.js';
import { fireSlot } from '../harness/scheduler.js';

// Slack storms as they really come: 429s with a long Retry-After, 5xx (some after Slack did the work), both
// mixed, a full outage, answers lost. Two app instances share the database and run the scheduler's jobs at
// the same moments; 200 DMs are queued when the storm begins.

const PEOPLE_COUNT = 200;

let a: TestApp;
let b: TestApp;
let fake: FakeSlack;
let proxy: LossySlack;
let secondDb: Db;
/** The storm's clock, which both instances share, in ms. */
let current = 0;
/** Each post's simulated times, by its outbox key. */
const postTimes = new Map<string, number[]>();
/** The longest a job's run took in real time, in ms: no send waits in process for Slack. */
let longestRun = 0;

function keyOf(args: string): string | undefined {
  const metadata = new URLSearchParams(args).get('metadata');
  return metadata ? (JSON.parse(metadata).event_payload?.key as string | undefined) : undefined;
}

beforeAll(async () => {
  fake = await FakeSlack.start();
  proxy = await lossySlack(fake);
  behind(fake, proxy);
  a = await startTestApp({ fake });
  // On a real server the second instance has its own connection pool, as a second process would.
  secondDb = a.database?.url ? postgresDatabase(a.database.url) : a.db;
  b = await startTestApp({ fake, db: secondDb });
  seedWorkspace(fake);
  for (let i = 0; i < PEOPLE_COUNT; i++) fake.addUser({ id: `USTORM${i}`, name: `storm${i}` });
  await setUpCoalition(a);
});
afterAll(async () => {
  await b.stop();
  if (secondDb !== a.db) await secondDb.destroy();
  await a.stop();
  await fake.stop();
  await proxy.stop();
});

/** Every job due at `at` on one instance, as its scheduler would run them, each timed. */
async function tick(t: TestApp, instance: string, at: Date, order: string[]): Promise<void> {
  const minute = at.getUTCMinutes();
  for (const job of order) {
    if (job === 'checkins' && minute % 5 !== 0) continue;
    if (job === 'nudges' && minute % 15 !== 0) continue;
    const started = performance.now();
    await fireSlot(t, job, at, instance);
    longestRun = Math.max(longestRun, performance.now() - started);
  }
}

/**
 * Queues a DM to each of the 200 people, then lets the storm blow for `minutes` from `start` and runs both
 * instances minute by minute until every row is settled (or four hours have passed).
 */
async function weather(label: string, start: string, minutes: number, storm: (method: string) => Fate) {
  const from = Date.parse(start);
  const kind = `storm_${label}`;
  for (let i = 0; i < PEOPLE_COUNT; i++)
    await enqueue(
      a.db,
      messageRow(
        TEAM_ID,
        kind,
        String(i),
        `USTORM${i}`,
        { text: `${label}: a note for storm${i}`, blocks: [] },
        new Date(from),
      ),
    );
  proxy.rule = (method, args) => {
    const key = method === 'chat.postMessage' ? keyOf(args) : undefined;
    if (key) postTimes.set(key, [...(postTimes.get(key) ?? []), current]);
    return current < from + minutes * 60_000 ? storm(method) : 'forward';
  };
  const unsettled = () =>
    a.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', kind)
      .where('status', 'in', ['pending', 'sending'])
      .execute();
  for (let ms = from; ms <= from + 4 * 3600_000; ms += 60_000) {
    current = ms;
    const at = new Date(ms);
    // Both instances at once, each running the jobs in its own order.
    await Promise.all([
      tick(a, 'instance-a', at, ['proposals', 'nudges', 'checkins']),
      tick(b, 'instance-b', at, ['nudges', 'checkins', 'proposals']),
    ]);
    if (ms > from + minutes * 60_000 && (await unsettled()).length === 0) break;
  }
  proxy.rule = () => 'forward';
  const rows = await a.db.selectFrom('outbox').selectAll().where('kind', '=', kind).execute();
  const posted = postsByOutboxKey(
    fake,
    rows.map((r) => r.channel_id),
  );
  const twice = rows.filter((r) => (posted.get(String(r.id)) ?? 0) > 1).length;
  const missing = rows.filter((r) => (posted.get(String(r.id)) ?? 0) === 0).length;
  // A post call per outbox attempt at most: the client never tries again by itself.
  const retriedInProcess = rows.filter((r) => (postTimes.get(String(r.id))?.length ?? 0) > r.attempts).length;
  console.log(`${label}:`, {
    rows: rows.length,
    twice,
    missing,
    retriedInProcess,
    longestRunMs: Math.round(longestRun),
  });
  expect(rows).toHaveLength(PEOPLE_COUNT);
  expect(rows.filter((r) => r.status !== 'sent').map((r) => [r.id, r.status, r.last_error])).toEqual([]);
  expect(twice).toBe(0);
  expect(missing).toBe(0);
  expect(retriedInProcess).toBe(0);
  // Each row is recorded as the one message Slack holds.
  for (const row of rows) {
    const held = fake.messages(row.channel_id).find((m) => m.metadata?.event_payload?.key === String(row.id));
    expect(held?.ts, String(row.id)).toBe(row.message_ts);
  }
  expect(longestRun).toBeLessThan(LEASE_MS / 4);
  return rows;
}

describe('the client that sends', () => {
  it('never retries nor waits out a 429 itself, and a send ends within a quarter of the lease', () => {
    expect(SEND_CLIENT_OPTIONS.retryConfig.retries).toBe(0);
    expect(SEND_CLIENT_OPTIONS.rejectRateLimitedCalls).toBe(true);
    expect(MAX_SEND_MS).toBeLessThanOrEqual(LEASE_MS / 4);
  });
});

describe('a Slack storm with two instances running', () => {
  it('429s with a five-minute Retry-After for 15 minutes: each DM once, none before Slack said', async () => {
    const retryAfter = 300;
    const rows = await weather('ratelimited', '2026-11-24T14:00:00Z', 15, (method) =>
      method === 'chat.postMessage' ? { status: 429, retryAfter } : 'forward',
    );
    // No post came sooner after a 429 than Retry-After said.
    for (const row of rows) {
      const times = postTimes.get(String(row.id)) ?? [];
      for (let i = 1; i < times.length; i++)
        expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(retryAfter * 1000);
    }
  });

  it('5xx for 30 minutes, half of them after Slack posted: each DM once', async () => {
    const random = seeded(5);
    await weather('server-errors', '2026-11-25T14:00:00Z', 30, (method) => {
      const roll = random();
      if (roll < 0.25) return method === 'chat.postMessage' ? 'lose-answer' : { status: 502 };
      if (roll < 0.5) return { status: roll < 0.4 ? 503 : 500 };
      return 'forward';
    });
  });

  it('30% 429 and 30% 5xx mixed for 45 minutes: each DM once', async () => {
    const random = seeded(30);
    await weather('mixed', '2026-11-26T14:00:00Z', 45, (method) => {
      const roll = random();
      if (roll < 0.3) return { status: 429, retryAfter: 30 };
      if (roll < 0.45) return method === 'chat.postMessage' ? 'lose-answer' : { status: 503 };
      if (roll < 0.6) return { status: 503 };
      return 'forward';
    });
  });

  it('a full outage of 45 minutes: each DM once, after', async () => {
    await weather('outage', '2026-11-27T14:00:00Z', 45, () => ({ status: 503 }));
  });

  it('30% of answers lost for 30 minutes: each DM once', async () => {
    const random = seeded(7);
    await weather('lost-answers', '2026-11-30T14:00:00Z', 30, (method) =>
      method === 'chat.postMessage' && random() < 0.3 ? 'lose-answer' : 'forward',
    );
  });
});
