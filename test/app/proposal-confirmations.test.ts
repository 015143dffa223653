import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { amend } from '../harness/concerns.js';
import { latestProposal, proposalPost, propose, vote } from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// After an amendment, a position on the earlier text counts only once confirmed: its voter sees it on the
// App Home until then, and is reminded once, a day before the close. Once the outcome statement is written,
// the proposal's message no longer offers to write it.

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition({ liveTallyIntervalMs: 20 });
});
afterAll(() => t.stop());

const dmOf = (user: string) => t.fake.messages(t.fake.dmChannelOf(user));
const homeText = (user: string) => JSON.stringify(t.fake.homeView(user)?.blocks ?? []);
const remindersTo = (user: string) =>
  dmOf(user).filter((m) => m.text.startsWith('A reminder: confirm or change your position on Share a van'));

describe('positions to confirm after an amendment', () => {
  it('are listed on the voter’s App Home and reminded once, a day before the close, until confirmed', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    await propose(t, PEOPLE.carl, 'Share a van');
    await t.settled();
    await vote(t, PEOPLE.ben, 'Support');
    await vote(t, PEOPLE.cora, 'Support');
    await t.settled();
    expect((await amend(t, PEOPLE.carl, 'Share a van', { details: 'Two vans, shared weekly.' })).body).toBe(
      '',
    );
    await t.settled();

    // Both are asked by DM; their App Homes list it with its buttons.
    for (const voter of [PEOPLE.ben, PEOPLE.cora]) {
      expect(homeText(voter)).toContain('Positions to confirm');
      expect(homeText(voter)).toContain('*Share a van* · amended · closes');
      expect(homeText(voter)).toContain('Keep my position');
    }
    // Carl gave no position: nothing to confirm, nothing listed.
    expect(homeText(PEOPLE.carl)).not.toContain('Positions to confirm');

    // Cora keeps hers from her App Home: it goes from there.
    await t.slack.clickButton(PEOPLE.cora, 'Keep my position', { in: 'home' });
    await t.settled();
    expect(homeText(PEOPLE.cora)).not.toContain('Positions to confirm');

    // A day before the close (2026-11-30 15:00 UTC), the sweep reminds Ben once: not Cora, who confirmed,
    // and the usual reminder goes to Carl, who has not voted.
    await fireSlot(t, 'proposals', new Date('2026-11-29T15:00:00Z'));
    await fireSlot(t, 'proposals', new Date('2026-11-29T16:00:00Z'));
    await t.settled();
    expect(remindersTo(PEOPLE.ben)).toHaveLength(1);
    expect(remindersTo(PEOPLE.cora)).toEqual([]);
    expect(remindersTo(PEOPLE.carl)).toEqual([]);
    expect(
      dmOf(PEOPLE.carl).filter((m) => m.text.startsWith('A reminder: the Core’s vote on Share a van')),
    ).toHaveLength(1);
    expect(JSON.stringify(remindersTo(PEOPLE.ben)[0]?.blocks)).toContain(
      'It was amended after you gave your position, which stands on the earlier text',
    );

    // Ben confirms from the reminder: his App Home no longer lists it.
    t.clock.set('2026-11-29T17:00:00Z');
    await t.slack.clickButton(PEOPLE.ben, 'Keep my position', { channel: t.fake.dmChannelOf(PEOPLE.ben) });
    await t.settled();
    expect(homeText(PEOPLE.ben)).not.toContain('Positions to confirm');
    const votes = await t.db
      .selectFrom('proposal_votes')
      .select(['voter_id', 'text_version'])
      .where('proposal_id', '=', (await latestProposal(t)).id)
      .orderBy('voter_id')
      .execute();
    expect(votes).toEqual([
      { voter_id: PEOPLE.ben, text_version: 2 },
      { voter_id: PEOPLE.cora, text_version: 2 },
    ]);
    expect(t.fake.rejections).toEqual([]);
  });
});

describe('the outcome statement button', () => {
  it('leaves the proposal’s message once the statement is written', async () => {
    await vote(t, PEOPLE.carl, 'Support');
    await t.settled();
    expect(await latestProposal(t)).toMatchObject({ status: 'closed', outcome: 'consensus' });
    const button = (b: { accessory?: { text?: { text?: string } } }) =>
      b.accessory?.text?.text === 'Outcome statement';
    expect((proposalPost(t, 'Share a van').blocks ?? []).some(button)).toBe(true);

    await t.slack.clickButton(PEOPLE.carl, 'Outcome statement', { in: 'message', channel: CHANNELS.core });
    const form = t.slack.modal(PEOPLE.carl).fill('What was decided', 'Two vans, shared weekly.');
    // No gap to fill: this is no ended partnership.
    expect(JSON.stringify(t.fake.topModal(PEOPLE.carl)?.view.blocks)).not.toContain('gap');
    expect((await form.submit(PEOPLE.carl)).body).toBe('');
    await t.settled();

    const post = proposalPost(t, 'Share a van');
    expect((post.blocks ?? []).some(button)).toBe(false);
    expect(JSON.stringify(post.blocks)).toContain(
      `:memo: Outcome statement by <@${PEOPLE.carl}>, in the thread.`,
    );
    expect(t.slack.canSee(PEOPLE.carl, 'Outcome statement', { channel: CHANNELS.core })).toBe(false);
    expect(t.fake.rejections).toEqual([]);
  });
});
