import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../harness/app.js';
import {
  addWorkGroup,
  CHANNELS,
  commitStep,
  PEOPLE,
  seedWorkspace,
  setUpCoalition,
} from '../harness/coalition.js';
import { FakeSlack } from '../harness/fake-slack.js';
import { behind, type LossySlack, lossySlack, postsByOutboxKey } from '../harness/lossy-slack.js';
import { propose } from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// Slack takes a chat.postMessage but its answer is lost (a gateway's 503 after the work was done): here the
// first try of each of the first 100 messages Concert posts, across two weeks of proposals, their reminders
// and outcomes, check-in prompts, reminders and summaries, and nudges.

const LOST = 100;

let t: TestApp;
let fake: FakeSlack;
let proxy: LossySlack;
/** Each message whose answer was lost, by its conversation, thread and text, with when (simulated). */
const lost = new Set<string>();
const lostAt = new Map<string, number>();
/** When each post reached Slack (the fake), by the same identity. */
const posts = new Map<string, number[]>();

function identity(args: string): string {
  const body = new URLSearchParams(args);
  return `${body.get('channel')}\n${body.get('thread_ts') ?? ''}\n${body.get('text')}`;
}

beforeAll(async () => {
  fake = await FakeSlack.start();
  proxy = await lossySlack(fake);
  behind(fake, proxy);
  t = await startTestApp({ fake });
  seedWorkspace(t.fake);
  await setUpCoalition(t);
  await addWorkGroup(t, { name: 'Food Access', channel: CHANNELS.food });
  await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing, day: 'Tuesday' });
  proxy.rule = (method, args) => {
    if (method !== 'chat.postMessage') return 'forward';
    const id = identity(args);
    const at = t.clock.now().getTime();
    posts.set(id, [...(posts.get(id) ?? []), at]);
    if (lost.size >= LOST || lost.has(id)) return 'forward';
    lost.add(id);
    lostAt.set(id, at);
    return 'lose-answer';
  };
});
afterAll(async () => {
  await t.stop();
  await fake.stop();
  await proxy.stop();
});

const conversations = () => [...fake.channels.keys(), ...fake.users.keys()];

/**
 * Posts that reached Slack again for a message whose answer was lost: the same text in the same conversation
 * and thread within two hours of the lost one (a retry; the same words days later are another message).
 */
function postedAgain(): number {
  let again = 0;
  for (const [id, at] of lostAt)
    again += (posts.get(id) ?? []).filter((ms) => ms >= at && ms - at <= 2 * 3600_000).length - 1;
  return again;
}

describe('100 answers to chat.postMessage lost', () => {
  it(
    'leave no message posted twice: proposals, summaries, prompts and nudges',
    async () => {
      t.clock.set('2026-11-23T15:00:00Z');
      const steps = [PEOPLE.fay, PEOPLE.finn, PEOPLE.cora];
      for (let i = 0; i < 12; i++) {
        const due = `2026-11-${String(24 + (i % 7)).padStart(2, '0')}`;
        await commitStep(t, steps[i % steps.length] as string, `Lost-answer step ${i + 1}`, due);
      }
      for (let i = 0; i < 6; i++) {
        t.clock.set(new Date(Date.parse('2026-11-23T16:00:00Z') + i * 26 * 3600_000));
        const answer = await propose(t, i % 2 ? PEOPLE.ben : PEOPLE.cora, `Lost-answer proposal ${i + 1}`);
        expect(answer.body).toBe('');
        await t.settled();
        // Two weeks of the scheduler, a slot every quarter hour, with the proposals opening on the way.
      }
      for (
        let ms = Date.parse('2026-11-23T15:00:00Z');
        ms <= Date.parse('2026-12-08T15:00:00Z');
        ms += 15 * 60_000
      ) {
        const at = new Date(ms);
        // The proposals job sends what is due whenever it runs; hourly is enough to close and remind on time.
        if (at.getUTCMinutes() === 0) await fireSlot(t, 'proposals', at);
        await fireSlot(t, 'checkins', at);
        await fireSlot(t, 'nudges', at);
      }

      const rows = await t.db
        .selectFrom('outbox')
        .select(['id', 'kind', 'status', 'text', 'channel_id', 'thread_ts'])
        .execute();
      const byKey = postsByOutboxKey(fake, conversations());
      const twice = [...byKey.values()].filter((n) => n > 1).length;
      const lostKinds = new Map<string, number>();
      for (const row of rows)
        if (lost.has(`${row.channel_id}\n${row.thread_ts ?? ''}\n${row.text}`))
          lostKinds.set(row.kind, (lostKinds.get(row.kind) ?? 0) + 1);
      console.log('answers lost:', lost.size, 'by kind:', Object.fromEntries(lostKinds));
      console.log(
        'messages posted twice (by outbox key):',
        twice,
        'posted again after a lost answer:',
        postedAgain(),
      );

      expect(lost.size).toBe(LOST);
      for (const kind of ['proposal', 'checkin_prompt', 'checkin_summary', 'nudge_before'])
        expect(lostKinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
      expect(twice).toBe(0);
      expect(postedAgain()).toBe(0);
      // Every message went, once, and each is recorded as the message Slack holds.
      expect(
        rows.filter((r) => r.status === 'pending' || r.status === 'sending' || r.status === 'failed'),
      ).toEqual([]);
      for (const row of rows.filter((r) => r.status === 'sent'))
        expect(byKey.get(String(row.id)) ?? 1).toBe(1);
    },
    10 * 60_000,
  );
});
