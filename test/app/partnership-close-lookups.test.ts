import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { groupVote, propose, setCore } from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// A work group's vote on ending its partnership closes with consensus, and its close opens the Core's
// proposal, counting the Core's members and the group's representatives. Those are looked up in Slack before
// the close takes its locks: a slow users.info then holds back nothing else (on the embedded database, its
// one connection; on a server, the proposal's row).

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
  await setCore(t, [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl, PEOPLE.fay]);
});
afterAll(() => t.stop());

const proposalsTitled = (title: string) =>
  t.db.selectFrom('proposals').selectAll().where('title', '=', title).orderBy('id').execute();

describe('the close of a work group’s vote', () => {
  it('asks Slack about people before it holds the proposal, and counts them as Slack answered', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    const answer = await propose(t, PEOPLE.cora, 'Parting ways', 'end_work_group', (form) => {
      form.date('Voting closes on', '2026-11-25').time('at', '09:00');
    });
    expect(answer.body).toBe('');
    await t.settled();
    await groupVote(t, PEOPLE.cora, 'Parting ways', 'Support');
    await groupVote(t, PEOPLE.fay, 'Parting ways', 'Support');
    await t.settled();
    const [group] = await proposalsTitled('Parting ways');
    if (!group) throw new Error('no group vote');

    // Two days on, everyone Concert knows is due a fresh look; Slack takes its time over the first of them.
    const held = t.fake.holdNext('users.info', (call) => call.method === 'auth.test');
    const deadline = new Date('2026-11-25T17:00:00Z'); // Cora's 09:00 in Los Angeles
    const closing = fireSlot(t, 'proposals', deadline);
    await held.arrived;
    // While Slack is asked, the proposal is neither locked nor closed: a row lock taken without waiting
    // succeeds at once (on the embedded database, any statement has to wait for a transaction to end).
    const row = await t.db
      .selectFrom('proposals')
      .select('status')
      .where('id', '=', group.id)
      .forUpdate()
      .noWait()
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('open');
    await t.concert.app.client.auth.test();
    expect(await closing).toBe(true);
    await t.settled();

    const [closed, core, ...more] = await proposalsTitled('Parting ways');
    expect(more).toEqual([]);
    expect(closed).toMatchObject({ stage: 'group', status: 'closed', outcome: 'consensus' });
    expect(core).toMatchObject({ stage: 'core', status: 'open', group_decision_id: group.id });
    const voters = await t.db
      .selectFrom('proposal_voters')
      .select('user_id')
      .where('proposal_id', '=', core?.id ?? 0)
      .orderBy('user_id')
      .execute();
    expect(voters.map((v) => v.user_id)).toEqual([PEOPLE.ben, PEOPLE.carl, PEOPLE.cora, PEOPLE.fay].sort());
    expect(core?.payload).toMatchObject({ presenters: [PEOPLE.cora, PEOPLE.fay] });
    expect(
      t.fake.messages(CHANNELS.core).filter((m) => m.text.startsWith('Proposal: Parting ways')),
    ).toHaveLength(1);
    expect(t.fake.rejections).toEqual([]);
  });
});
