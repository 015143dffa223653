import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, messageRow } from '../../src/db/outbox.js';
import { deliverDue } from '../../src/services/delivery.js';
import { queuedMessageStillWanted } from '../../src/services/still-wanted.js';
import { webSender } from '../../src/slack/web-sender.js';
import { BOT_USER_ID, startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';

// Messages to one conversation reach it in the order they were queued: a report under a thread never
// lands above the outcome it follows, and a retry never lets a later message overtake.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  t.fake.addChannel({ id: 'CORDER', name: 'order', members: [BOT_USER_ID] });
});
afterAll(() => t.stop());

describe('a conversation’s messages', () => {
  it('wait behind one whose send failed, and then go in order', async () => {
    const at = new Date('2026-11-25T14:00:00Z');
    for (const text of ['first', 'second', 'third'])
      await enqueue(t.db, messageRow(TEAM_ID, 'order', text, 'CORDER', { text, blocks: [] }, at));
    const send = (now: Date) =>
      deliverDue(t.db, webSender(t.concert.app.client), queuedMessageStillWanted(t.db), now, t.log);

    t.fake.failNext('chat.postMessage', { status: 503 });
    const firstRun = await send(at);
    expect(firstRun).toMatchObject({ sent: 0, retrying: 1, skipped: 2 });
    // Only the first was tried: the others waited without a call to Slack.
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(t.fake.messages('CORDER')).toEqual([]);

    const retry = await t.db
      .selectFrom('outbox')
      .select('next_attempt_at')
      .where('dedupe_key', '=', 'first')
      .executeTakeFirstOrThrow();
    const secondRun = await send(retry.next_attempt_at);
    expect(secondRun).toMatchObject({ sent: 3 });
    expect(t.fake.messages('CORDER').map((m) => m.text)).toEqual(['first', 'second', 'third']);
  });
  it('that are no longer wanted while they wait behind one are cancelled at their turn, unsent', async () => {
    const at = new Date('2026-11-26T14:00:00Z');
    t.fake.addChannel({ id: 'CHELD', name: 'held', members: [BOT_USER_ID] });
    for (const text of ['waits for its retry', 'no longer wanted'])
      await enqueue(t.db, messageRow(TEAM_ID, 'held', text, 'CHELD', { text, blocks: [] }, at));
    const wanted = async (row: { text: string }) => row.text !== 'no longer wanted';
    const send = (now: Date, stillWanted: typeof wanted) =>
      deliverDue(t.db, webSender(t.concert.app.client), stillWanted, now, t.log);
    // The first fails and waits for its retry, the second behind it, both still wanted.
    t.fake.failNext('chat.postMessage', { status: 503 });
    await send(at, async () => true);
    // Then the second is no longer wanted: at the first's retry, the first goes and the second is cancelled.
    const retry = await t.db
      .selectFrom('outbox')
      .select('next_attempt_at')
      .where('text', '=', 'waits for its retry')
      .executeTakeFirstOrThrow();
    expect(await send(retry.next_attempt_at, wanted)).toMatchObject({ sent: 1, cancelled: 1 });
    const rows = await t.db
      .selectFrom('outbox')
      .select(['text', 'status'])
      .where('channel_id', '=', 'CHELD')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { text: 'waits for its retry', status: 'sent' },
      { text: 'no longer wanted', status: 'cancelled' },
    ]);
    expect(t.fake.messages('CHELD').map((m) => m.text)).toEqual(['waits for its retry']);
  });
});
