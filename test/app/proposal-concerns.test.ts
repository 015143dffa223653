import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { amend, proposalMenu, raiseConcern } from '../harness/concerns.js';
import {
  latestProposal,
  proposalPost,
  propose,
  tallyOf,
  threadOf,
  vote,
  voteWithReason,
} from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// Concerns and amendments, through the real app: a concern listed under the proposal and in its thread,
// the text amended in answer, the positions given before shown as on the earlier text and their voters
// asked by DM, and an outcome that counts only positions on the final text.

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition({ liveTallyIntervalMs: 20 });
});
afterAll(() => t.stop());
beforeEach(() => {
  // Monday 23 November 2026, 10:00 in New York.
  t.clock.set('2026-11-23T15:00:00Z');
  t.fake.clearCalls();
});

const dmOf = (user: string) => t.fake.messages(t.fake.dmChannelOf(user));

describe('a concern, an amendment in answer, and the positions given before it', () => {
  it('counts at the close only the position confirmed on the final text, and says how many were not', async () => {
    await propose(t, PEOPLE.carl, 'Share a van', 'other', (form) =>
      form.fill('Details', 'The food group lends its van on Fridays.'),
    );
    await t.settled();
    expect((await vote(t, PEOPLE.cora, 'Support')).status).toBe(200);
    expect((await voteWithReason(t, PEOPLE.ben, 'Block', 'Fridays are our busiest day')).body).toBe('');
    await t.settled();

    // Cora raises a concern; it is listed under the proposal and posted in its thread, with her name.
    expect((await raiseConcern(t, PEOPLE.cora, 'Share a van', 'Who pays for the fuel?')).body).toBe('');
    await t.settled();
    const listed = JSON.stringify(proposalPost(t, 'Share a van').blocks);
    expect(listed).toContain(`*Concerns* (1)\\n• <@${PEOPLE.cora}>: Who pays for the fuel?`);
    const concernReply = threadOf(t, 'Share a van').find((m) => m.text.startsWith('A concern on'));
    expect(JSON.stringify(concernReply?.blocks)).toContain(`<@${PEOPLE.cora}> raised a concern`);

    // Cora may not amend someone else's proposal; Carl, who proposed it, amends it in answer.
    await proposalMenu(t, PEOPLE.cora, 'Share a van', 'Amend the text');
    expect(t.fake.ephemerals(PEOPLE.cora).at(-1)?.text).toContain(
      `Only <@${PEOPLE.carl}>, who proposed it, or a member of the backbone channel`,
    );
    const amended = await amend(t, PEOPLE.carl, 'Share a van', {
      details: 'The food group lends its van on Fridays; the borrower pays for the fuel.',
      note: 'Answers Cora’s concern about fuel.',
    });
    expect(amended.body).toBe('');
    await t.settled();
    expect(await latestProposal(t)).toMatchObject({ text_version: 2 });
    const earlier = await t.db.selectFrom('proposal_texts').selectAll().execute();
    expect(earlier).toMatchObject([
      { version: 1, details: 'The food group lends its van on Fridays.', replaced_by: PEOPLE.carl },
    ]);

    // The message shows the current text, that it was amended, and the earlier positions as such.
    const shown = JSON.stringify(proposalPost(t, 'Share a van').blocks);
    expect(shown).toContain('the borrower pays for the fuel');
    expect(shown).toContain('_Amended once._');
    expect(tallyOf(t, 'Share a van')).toBe(
      [
        `*Support* (0): <@${PEOPLE.cora}> _(on the earlier text)_`,
        '*Stand aside* (0)',
        `*Block* (0): <@${PEOPLE.ben}> _(on the earlier text)_`,
        'Not yet voted: 3 of 3 (2 of them on the earlier text, to confirm)',
      ].join('\n'),
    );
    // The earlier text is one click away.
    await t.slack.clickButton(PEOPLE.ben, 'Earlier texts', { channel: CHANNELS.core });
    expect(JSON.stringify(t.slack.modal(PEOPLE.ben).view.blocks)).toContain(
      'The food group lends its van on Fridays.',
    );

    // Both voters are asked by DM, once; Cora confirms, Ben does not; Carl supports the new text.
    for (const voter of [PEOPLE.cora, PEOPLE.ben])
      expect(dmOf(voter).filter((m) => m.text.includes('was amended: confirm or change'))).toHaveLength(1);
    expect(dmOf(PEOPLE.carl).some((m) => m.text.includes('was amended'))).toBe(false);
    await t.slack.clickButton(PEOPLE.cora, 'Keep my position', { channel: t.fake.dmChannelOf(PEOPLE.cora) });
    await vote(t, PEOPLE.carl, 'Support');
    await t.settled();
    expect(tallyOf(t, 'Share a van')).toBe(
      [
        `*Support* (2): <@${PEOPLE.carl}>, <@${PEOPLE.cora}>`,
        '*Stand aside* (0)',
        `*Block* (0): <@${PEOPLE.ben}> _(on the earlier text)_`,
        'Not yet voted: 1 of 3 (1 of them on the earlier text, to confirm)',
      ].join('\n'),
    );

    // Cora marks her concern resolved; Carl could not have.
    await t.slack.clickButton(PEOPLE.carl, 'Mark resolved', { channel: CHANNELS.core });
    expect(t.fake.ephemerals(PEOPLE.carl).at(-1)?.text).toBe(
      `Only <@${PEOPLE.cora}>, who raised this concern, can mark it resolved.`,
    );
    await t.slack.clickButton(PEOPLE.cora, 'Mark resolved', { channel: CHANNELS.core });
    await t.settled();
    expect(await t.db.selectFrom('proposal_concerns').select('resolved_at').execute()).toEqual([
      { resolved_at: new Date('2026-11-23T15:00:00Z') },
    ]);
    expect(JSON.stringify(proposalPost(t, 'Share a van').blocks)).toContain('*Concerns* (1, 1 resolved)');

    // At the deadline Ben's block, on the earlier text and never confirmed, counts as not voted.
    await fireSlot(t, 'proposals', new Date('2026-11-30T15:00:00Z'));
    await t.settled();
    expect(await latestProposal(t)).toMatchObject({ status: 'closed', outcome: 'consensus' });
    const outcome = threadOf(t, 'Share a van').find((m) => m.text.startsWith('Consensus reached'));
    expect(outcome?.blocks?.[0]?.text?.text).toBe(
      [
        '*Consensus reached* on *Share a van*. The Core agreed.',
        '2 of 3 eligible voted (2 needed): 2 support, 0 stand aside, 0 block.',
        'The text was amended once; only positions on the final text count. 1 position given on an earlier text was not confirmed and counts as not voted.',
      ].join('\n\n'),
    );
    // Every position is kept for the record, with the text it was given on.
    const votes = await t.db
      .selectFrom('proposal_votes')
      .select(['voter_id', 'position', 'text_version'])
      .orderBy('voter_id')
      .execute();
    expect(votes).toEqual([
      { voter_id: PEOPLE.ben, position: 'block', text_version: 1 },
      { voter_id: PEOPLE.carl, position: 'support', text_version: 2 },
      { voter_id: PEOPLE.cora, position: 'support', text_version: 2 },
    ]);
    expect(t.fake.rejections).toEqual([]);
  });

  it('takes concerns only from the Core, and amendments only while the vote is open', async () => {
    await propose(t, PEOPLE.carl, 'Meet monthly');
    await t.settled();
    await proposalMenu(t, PEOPLE.fay, 'Meet monthly', 'Raise a concern');
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text).toBe(
      `Only members of the Core channel <#${CHANNELS.core}> can raise a concern on a proposal. Ask one of them to raise it.`,
    );
    // An empty concern is answered under its field, and raises nothing.
    await proposalMenu(t, PEOPLE.cora, 'Meet monthly', 'Raise a concern');
    const empty = await t.slack.modal(PEOPLE.cora).submit(PEOPLE.cora);
    expect(t.slack.fieldErrors(empty)).toEqual({ 'Your concern': 'Say what concerns you.' });
    // The same form submitted twice raises one concern.
    const form = t.slack.modal(PEOPLE.cora).fill('Your concern', 'Monthly is too rare');
    await Promise.all([form.submit(PEOPLE.cora), form.submit(PEOPLE.cora)]);
    await t.settled();
    const proposal = await latestProposal(t);
    const concerns = await t.db
      .selectFrom('proposal_concerns')
      .select('text')
      .where('proposal_id', '=', proposal.id)
      .execute();
    expect(concerns).toEqual([{ text: 'Monthly is too rare' }]);
    expect(threadOf(t, 'Meet monthly').filter((m) => m.text.startsWith('A concern on'))).toHaveLength(1);

    // An amendment with no title and too long a note is answered under both fields, and changes nothing.
    await proposalMenu(t, PEOPLE.carl, 'Meet monthly', 'Amend the text');
    const bad = t.slack.modal(PEOPLE.carl).fill('Title', '').fill('What changed, and why', 'x'.repeat(501));
    expect(t.slack.fieldErrors(await bad.submit(PEOPLE.carl))).toEqual({
      Title: 'Give the proposal a title.',
      'What changed, and why': 'Keep this to 500 characters or fewer (it has 501).',
    });
    expect(await latestProposal(t)).toMatchObject({
      title: 'Meet monthly',
      text_version: proposal.text_version,
    });
    expect(
      await t.db.selectFrom('proposal_texts').selectAll().where('proposal_id', '=', proposal.id).execute(),
    ).toEqual([]);

    // The backbone may amend too; once the vote is over, nobody may.
    await fireSlot(t, 'proposals', new Date('2026-11-30T15:00:00Z'));
    await t.settled();
    await t.slack.blockAction(
      PEOPLE.ben,
      { kind: 'message', channel: CHANNELS.core, ts: proposalPost(t, 'Meet monthly').ts, blocks: [] },
      { block_id: 'm' },
      {
        type: 'overflow',
        action_id: 'proposal_more',
        selected_option: { text: { type: 'plain_text', text: 'Amend' }, value: `amend:${proposal.id}` },
      },
    );
    expect(t.fake.ephemerals(PEOPLE.ben).at(-1)?.text).toBe(
      '*Meet monthly* is no longer open for a vote, so it takes no more amendments. Nothing was recorded.',
    );
    expect(t.fake.rejections).toEqual([]);
  });
});

describe('a proposal with 50 concerns and 10 amendments', () => {
  it('keeps its message, its thread, its forms and its earlier texts within Slack’s limits', async () => {
    const long = '&<>'.repeat(830);
    await propose(t, PEOPLE.carl, 'Much discussed', 'other', (form) => form.fill('Details', long));
    await t.settled();
    await vote(t, PEOPLE.cora, 'Support');
    const raisers = [PEOPLE.cora, PEOPLE.ben, PEOPLE.carl];
    for (let i = 0; i < 50; i++) {
      const answer = await raiseConcern(
        t,
        raisers[i % 3] as string,
        'Much discussed',
        `Concern ${i + 1}: ${'<&>'.repeat(160)}`.slice(0, 500),
      );
      expect(answer.body).toBe('');
    }
    for (let i = 0; i < 10; i++) {
      const answer = await amend(t, PEOPLE.carl, 'Much discussed', {
        details: `${i} ${long}`.slice(0, 2500),
        note: `Amendment ${i + 1}: ${'&'.repeat(480)}`,
      });
      expect(answer.body).toBe('');
    }
    await t.settled();
    const post = proposalPost(t, 'Much discussed');
    expect(post.blocks?.length).toBeLessThanOrEqual(50);
    const shown = JSON.stringify(post.blocks);
    expect(shown).toContain('*Concerns* (50)');
    expect(shown).toMatch(/…and \d+ more concerns: every one is in the thread\./);
    expect(shown).toContain('_Amended 10 times._');
    expect(threadOf(t, 'Much discussed').filter((m) => m.text.startsWith('A concern on'))).toHaveLength(50);
    await t.slack.clickButton(PEOPLE.ben, 'Earlier texts', { channel: CHANNELS.core });
    const modal = t.slack.modal(PEOPLE.ben).view;
    expect(modal.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(modal.blocks)).toContain('*Text 1:*');
    // Cora was asked after each amendment she had not answered: once per amendment, never twice.
    const asked = dmOf(PEOPLE.cora).filter((m) => m.text.startsWith('Much discussed was amended'));
    expect(asked).toHaveLength(10);
    await fireSlot(t, 'proposals', new Date('2026-11-30T15:00:00Z'));
    await t.settled();
    expect(t.fake.rejections).toEqual([]);
  });
});
