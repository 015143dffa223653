import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../../harness/coalition.js';
import { fireSlot } from '../../harness/scheduler.js';

// Failure kind: the channel a bot reports to is archived; every post there fails with is_archived, the
// bot keeps working for it as before, and nobody is told.
let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());

/** One weekly round of Food Access (opens Monday 15:00Z, closes Wednesday 15:00Z) with #food-access archived. */
async function roundWithArchivedChannel(mondayIso: string): Promise<string[]> {
  const posts: string[] = [];
  const open = Date.parse(mondayIso);
  const close = open + 2 * 86_400_000;
  for (let ms = open; ms <= close + 3_600_000; ms += 60 * 60_000) {
    const before = t.fake.callsTo('chat.postMessage').length;
    // Slack refuses the post in the archived channel (the fake does not know archiving; its answer is set here).
    if (ms === close) t.fake.failNext('chat.postMessage', { error: 'is_archived' });
    await fireSlot(t, 'checkins', new Date(ms));
    for (const c of t.fake.callsTo('chat.postMessage').slice(before))
      posts.push(`${c.args.channel}: ${String(c.args.text).slice(0, 50)}`);
  }
  return posts;
}

describe('#food-access is archived (Concert still in it, members still listed by Slack)', () => {
  it('the lost summary is reported to the backbone, and the group is not asked again the next week', async () => {
    t.fake.clearCalls();
    await roundWithArchivedChannel('2026-11-30T15:00:00Z');
    const summary = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'checkin_summary')
      .executeTakeFirst();
    console.log('summary row:', summary?.status, summary?.last_error);
    const next = await roundWithArchivedChannel('2026-12-07T15:00:00Z');
    console.log('posts in the following week:', next);
    const told = t.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === CHANNELS.backbone && /food/i.test(JSON.stringify(c.args)));
    console.log('messages to the backbone about Food Access:', told.length);
    expect(told.length).toBeGreaterThan(0);
    expect(next.filter((p) => p.startsWith(PEOPLE.fay) && p.includes('weekly check-in'))).toEqual([]);
  });
});
