import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { PEOPLE, startCoalition } from '../harness/coalition.js';
import { latestProposal, propose, threadOf, vote, voteWithReason } from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// Blocks are principled: a Block names which of the coalition's shared commitments the proposal would
// break, the proposer hears of each at once by DM, and the outcome lists the blocks' grounds.

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition({ liveTallyIntervalMs: 20 });
});
afterAll(() => t.stop());
beforeEach(() => {
  t.clock.set('2026-11-23T15:00:00Z');
  t.fake.clearCalls();
});

const notices = (user: string) =>
  t.fake.messages(t.fake.dmChannelOf(user)).filter((m) => m.text.startsWith('A Block on your proposal'));

describe('a Block', () => {
  it('asks its ground, tells the proposer at once, and the outcome lists the grounds', async () => {
    await propose(t, PEOPLE.carl, 'Close on Fridays');
    await t.settled();

    // Without a ground the form answers under the question, and nothing is recorded.
    await vote(t, PEOPLE.ben, 'Block');
    const form = t.slack.modal(PEOPLE.ben).fill('Your reason', 'Families shop on Fridays');
    expect(t.slack.fieldErrors(await form.submit(PEOPLE.ben))).toEqual({
      'Which shared commitment would it break?':
        'Choose which of the coalition’s shared commitments it would break.',
    });
    expect(await t.db.selectFrom('proposal_votes').selectAll().execute()).toEqual([]);
    expect(notices(PEOPLE.carl)).toEqual([]);

    // With it, the Block stands, and Carl is told at once, before anything else runs.
    form.radio('Which shared commitment would it break?', 'The common agenda');
    expect((await form.submit(PEOPLE.ben)).body).toBe('');
    await t.settled();
    expect(notices(PEOPLE.carl)).toHaveLength(1);
    const told = notices(PEOPLE.carl)[0]?.blocks?.[0]?.text?.text;
    expect(told).toContain(
      `<@${PEOPLE.ben}> blocked your proposal *Close on Fridays*, saying it would break the common agenda.`,
    );
    expect(told).toContain('>Families shop on Fridays');

    // Cora blocks on other grounds: another notice, for her Block.
    expect(
      (await voteWithReason(t, PEOPLE.cora, 'Block', 'We promised the county Friday hours', 'other')).body,
    ).toBe('');
    await t.settled();
    expect(notices(PEOPLE.carl)).toHaveLength(2);
    // Carl's own position tells nobody.
    await voteWithReason(t, PEOPLE.carl, 'Block', 'On second thought', 'accountabilities');
    await t.settled();
    expect(notices(PEOPLE.carl)).toHaveLength(2);
    expect(await latestProposal(t)).toMatchObject({ status: 'closed', outcome: 'blocked' });

    const outcome = threadOf(t, 'Close on Fridays').find((m) => m.text.startsWith('Blocked'));
    const texts = (outcome?.blocks ?? []).map((b) => b.text?.text);
    expect(texts[0]).toContain(
      `Blocked by <@${PEOPLE.ben}>, <@${PEOPLE.carl}> and <@${PEOPLE.cora}>, who say it breaks the common agenda, the charter’s accountabilities and another shared commitment.`,
    );
    expect(texts[1]).toBe(
      `*Blocks*\n• <@${PEOPLE.ben}> _(breaks the common agenda)_: Families shop on Fridays`,
    );
    expect(texts).toContain(
      `• <@${PEOPLE.cora}> _(breaks another shared commitment)_: We promised the county Friday hours`,
    );
    const grounds = await t.db
      .selectFrom('proposal_vote_events')
      .select(['voter_id', 'block_ground'])
      .orderBy('id')
      .execute();
    expect(grounds).toEqual([
      { voter_id: PEOPLE.ben, block_ground: 'common_agenda' },
      { voter_id: PEOPLE.cora, block_ground: 'other' },
      { voter_id: PEOPLE.carl, block_ground: 'accountabilities' },
    ]);
    expect(t.fake.rejections).toEqual([]);
  });

  it('is told once however often the same form comes, and not at all once the vote closed', async () => {
    await propose(t, PEOPLE.carl, 'Share the freezer');
    await t.settled();
    await vote(t, PEOPLE.ben, 'Block');
    const form = t.slack
      .modal(PEOPLE.ben)
      .radio('Which shared commitment would it break?', 'The charter’s accountabilities')
      .fill('Your reason', 'Nobody owns its upkeep');
    await Promise.all([form.submit(PEOPLE.ben), form.submit(PEOPLE.ben)]);
    await form.submit(PEOPLE.ben);
    await t.settled();
    const proposal = await latestProposal(t);
    const told = await t.db
      .selectFrom('outbox')
      .select(['channel_id', 'status'])
      .where('kind', '=', 'proposal_block_notice')
      .where('dedupe_key', 'like', `${proposal.id}:%`)
      .execute();
    expect(told).toEqual([{ channel_id: PEOPLE.carl, status: 'sent' }]);
    await fireSlot(t, 'proposals', new Date('2026-11-30T15:00:00Z'));
    await t.settled();
    expect(t.fake.rejections).toEqual([]);
  });
});
