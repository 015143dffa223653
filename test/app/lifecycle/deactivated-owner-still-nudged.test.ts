import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, recordedMembers, startCoalition } from '../../harness/coalition.js';
import { fireSlot } from '../../harness/scheduler.js';

// Failure kind: a bot keeps sending DMs to accounts that were deactivated; Slack accepts the post
// (chat.postMessage to a deactivated user's ID answers ok), so nothing ever stops it.
let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
  t.clock.set('2026-11-24T15:00:00Z');
  await commitStep(t, PEOPLE.fay, 'Order crates', '2026-12-02');
  await t.settled();
});
afterAll(() => t.stop());

describe('the owner of an open step is deactivated', () => {
  it('Concert learns it at the daily reconcile and drops her from the group', async () => {
    // Deactivated on Thursday 26 Nov. Slack still lists her in the channel (as conversations.members can).
    const fay = t.fake.users.get(PEOPLE.fay);
    if (fay) fay.deleted = true;
    await fireSlot(t, 'reconcile-memberships', new Date('2026-11-27T04:17:00Z'));
    await fireSlot(t, 'reconcile-memberships', new Date('2026-11-28T04:17:00Z'));
    const person = await t.db
      .selectFrom('people')
      .selectAll()
      .where('user_id', '=', PEOPLE.fay)
      .executeTakeFirst();
    expect(person?.deleted).toBe(true);
    expect(await recordedMembers(t, CHANNELS.food)).not.toContain(PEOPLE.fay);
  });

  it('sends no nudge DMs to the deactivated owner (the backbone may be told instead)', async () => {
    t.fake.clearCalls();
    for (
      let ms = Date.parse('2026-11-30T00:00:00Z');
      ms <= Date.parse('2026-12-12T00:00:00Z');
      ms += 60 * 60_000
    ) {
      await fireSlot(t, 'nudges', new Date(ms));
    }
    const toFay = t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === PEOPLE.fay);
    const toBackbone = t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNELS.backbone);
    console.log(
      'DMs to deactivated Fay:',
      toFay.map((c) => c.args.text),
    );
    console.log(
      'to backbone:',
      toBackbone.map((c) => c.args.text),
    );
    expect(toFay).toEqual([]);
  });
});
