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
});
