import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, recordedMembers, startCoalition } from '../../harness/coalition.js';
import { slackUser } from '../../harness/fake-slack.js';
import { latestProposal, propose } from '../../harness/proposals.js';
import { fireSlot } from '../../harness/scheduler.js';

// People who leave the organisation: a `user_change` that says an account was deactivated takes effect at
// once (no DMs, out of rounds and new votes, their steps shown to the backbone), and a reactivation undoes it.
let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
  t.clock.set('2026-11-24T15:00:00Z');
  // Cora (Core, Food Access, Los Angeles) owns two steps.
  await commitStep(t, PEOPLE.cora, 'Call the food bank', '2026-11-27');
  // As Slack sends a typed “Order crates & <boxes>” in a slash command: escaped.
  await commitStep(t, PEOPLE.cora, 'Order crates &amp; &lt;boxes&gt;', '2026-12-02');
  await t.settled();
});
afterAll(() => t.stop());

const userChange = async (id: string, deleted: boolean) => {
  const user = t.fake.users.get(id);
  if (!user) throw new Error(`no user ${id}`);
  user.deleted = deleted;
  const answer = await t.slack.event({ type: 'user_change', user: slackUser(user) });
  expect(answer.status).toBe(200);
  await t.settled();
};
const toBackbone = () => t.fake.messages(CHANNELS.backbone);

describe('an account deactivated in Slack', () => {
  it('leaves every channel Concert counts, and the backbone hears which steps need a new owner, once', async () => {
    // A nudge to her is waiting for its retry when she is deactivated (10:00 in Los Angeles).
    t.fake.failNext('chat.postMessage', { status: 503 });
    await fireSlot(t, 'nudges', new Date('2026-11-26T18:00:00Z'));
    const waiting = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('channel_id', '=', PEOPLE.cora)
      .where('status', '=', 'pending')
      .execute();
    expect(waiting).toHaveLength(1);

    await userChange(PEOPLE.cora, true);
    await userChange(PEOPLE.cora, true);
    expect(await recordedMembers(t, CHANNELS.food)).not.toContain(PEOPLE.cora);
    expect(await recordedMembers(t, CHANNELS.core)).not.toContain(PEOPLE.cora);
    const cancelled = await t.db
      .selectFrom('outbox')
      .select(['status', 'last_error'])
      .where('id', '=', waiting[0]?.id ?? -1)
      .executeTakeFirstOrThrow();
    expect(cancelled).toEqual({ status: 'cancelled', last_error: 'account_deactivated' });

    await fireSlot(t, 'proposals', new Date('2026-11-26T18:01:00Z'));
    const notices = toBackbone().filter((m) => m.text.includes('was deactivated in Slack'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toContain('Their 2 open action steps need a new owner');
    const blocks = JSON.stringify(notices[0]?.blocks);
    expect(blocks).toContain('Call the food bank');
    expect(blocks).toContain('Order crates &amp; &lt;boxes&gt;');
  });

  it('gets no DM, no nudge and no check-in prompt, and is no voter of a new proposal', async () => {
    const before = t.fake.callsTo('chat.postMessage').length;
    for (
      let ms = Date.parse('2026-11-27T00:00:00Z');
      ms <= Date.parse('2026-12-03T00:00:00Z');
      ms += 3_600_000
    )
      await fireSlot(t, 'nudges', new Date(ms));
    await fireSlot(t, 'checkins', new Date('2026-11-30T15:00:00Z'));
    const toCora = t.fake
      .callsTo('chat.postMessage')
      .slice(before)
      .filter((c) => c.args.channel === PEOPLE.cora);
    expect(toCora).toEqual([]);
    expect(
      t.fake
        .callsTo('chat.postMessage')
        .slice(before)
        .filter(
          (c) => c.args.channel === PEOPLE.fay && String(c.args.text).startsWith('Time for the weekly'),
        ),
    ).toHaveLength(1);

    t.clock.set('2026-12-01T15:00:00Z');
    expect((await propose(t, PEOPLE.carl, 'Shared intake form')).body).toBe('');
    await t.settled();
    const voters = await t.db
      .selectFrom('proposal_voters')
      .select('user_id')
      .where('proposal_id', '=', (await latestProposal(t)).id)
      .execute();
    expect(voters.map((v) => v.user_id).sort()).toEqual([PEOPLE.ben, PEOPLE.carl].sort());
  });

  it('counts again once reactivated, in the channels Slack lists', async () => {
    await userChange(PEOPLE.cora, false);
    expect(await recordedMembers(t, CHANNELS.food)).toContain(PEOPLE.cora);
    expect(await recordedMembers(t, CHANNELS.core)).toContain(PEOPLE.cora);
    const person = await t.db
      .selectFrom('people')
      .select(['deleted', 'deactivated_at'])
      .where('user_id', '=', PEOPLE.cora)
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ deleted: false, deactivated_at: null });
  });

  it('keeps nothing of a stranger’s profile change', async () => {
    t.fake.addUser({ id: 'USTRANGER', name: 'stranger' });
    await userChange('USTRANGER', true);
    const stranger = await t.db.selectFrom('people').selectAll().where('user_id', '=', 'USTRANGER').execute();
    expect(stranger).toEqual([]);
  });
});
