import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import {
  latestProposal,
  proposalPost,
  propose,
  setCore,
  tallyOf,
  vote,
  voterIds,
  voteWithReason,
} from '../harness/proposals.js';

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());
beforeEach(() => {
  t.clock.set('2026-11-23T15:00:00Z');
  t.fake.clearCalls();
});

const CORE = [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl];

const votesOn = (proposalId: number) =>
  t.db
    .selectFrom('proposal_votes')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .orderBy('voter_id')
    .execute();
const eventsOn = (proposalId: number) =>
  t.db
    .selectFrom('proposal_vote_events')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .orderBy('id')
    .execute();
const homeText = (user: string) => JSON.stringify(t.fake.homeView(user) ?? {});
const openHome = (user: string) =>
  t.slack.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });

describe('fifty voters at once', () => {
  it('store one position per voter, keep every change, stay within chat.update’s rate and end on the exact tally', async () => {
    const fifty = voterIds(50);
    await setCore(t, [...CORE, ...fifty]);
    expect((await propose(t, PEOPLE.ben, 'Fifty at once')).body).toBe('');
    const proposal = await latestProposal(t);
    t.fake.clearCalls();

    // Everyone clicks Support at the same moment…
    const started = Date.now();
    const clicks = await Promise.all(
      fifty.map((v) => vote(t, v, 'Support', { triggerId: `trig.${v}.1000` })),
    );
    const burstMs = Date.now() - started;
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    const burstUpdates = t.fake.callsTo('chat.update').length;
    // …then Slack redelivers every click, and everyone double-clicks.
    await Promise.all(fifty.map((v) => vote(t, v, 'Support', { triggerId: `trig.${v}.1000`, retryNum: 1 })));
    await Promise.all(fifty.map((v) => vote(t, v, 'Support')));

    expect(await votesOn(proposal.id)).toHaveLength(50);
    expect(await eventsOn(proposal.id)).toHaveLength(50);
    // One refresh at the first vote and one a second later carry the whole burst, however long it takes.
    expect(burstUpdates).toBeGreaterThanOrEqual(1);
    expect(burstUpdates).toBeLessThanOrEqual(Math.ceil(burstMs / 1000) + 1);
    expect(tallyOf(t, 'Fifty at once')).toMatch(/^\*Support\* \(50\): <@UV01>, /);
    expect(tallyOf(t, 'Fifty at once')).toContain('Not yet voted: 3 of 53');

    // Ten change to Block, all at once, each with a reason.
    const blockers = fifty.slice(0, 10);
    for (const v of blockers) await vote(t, v, 'Block');
    const forms = blockers.map((v) =>
      t.slack
        .modal(v)
        .radio('Which shared commitment would it break?', 'common_agenda')
        .fill('Your reason', `Not yet, says ${v}`),
    );
    const answers = await Promise.all(forms.map((form, i) => form.submit(blockers[i] as string)));
    expect(answers.every((a) => a.body === '')).toBe(true);

    const votes = await votesOn(proposal.id);
    expect(votes.filter((v) => v.position === 'block').map((v) => v.voter_id)).toEqual(blockers);
    expect(votes.filter((v) => v.position === 'support')).toHaveLength(40);
    const events = await eventsOn(proposal.id);
    expect(events).toHaveLength(60);
    expect(events.filter((e) => e.voter_id === blockers[0]).map((e) => [e.old_position, e.position])).toEqual(
      [
        [null, 'support'],
        ['support', 'block'],
      ],
    );

    await t.slack.chooseOption(PEOPLE.ben, 'Close the vote now', { in: 'message' });
    expect(await latestProposal(t)).toMatchObject({
      status: 'closed',
      outcome: 'blocked',
      close_reason: 'early',
    });
    const tally = tallyOf(t, 'Fifty at once');
    expect(tally).toMatch(/^\*Support\* \(40\): /);
    expect(tally).toContain(`*Block* (10): ${blockers.map((v) => `<@${v}>`).join(', ')}`);
    expect(tally).toContain('Not yet voted: 3 of 53');
    expect(t.fake.rejections).toEqual([]);
    await setCore(t, CORE);
  });
});

describe('a vote', () => {
  it('changes only when the position does, and keeps each change as an event', async () => {
    await propose(t, PEOPLE.carl, 'Changing minds');
    const proposal = await latestProposal(t);
    await vote(t, PEOPLE.cora, 'Support');
    await vote(t, PEOPLE.cora, 'Support');
    expect(t.fake.ephemerals(PEOPLE.cora).at(-1)?.text).toBe(
      'Your position on *Changing minds* is already *support*; nothing changed.',
    );
    // A reason for a Support, given afterwards from the answer to the click.
    await t.slack.clickButton(PEOPLE.cora, 'Add a reason', { in: 'ephemeral' });
    expect(
      t.slack.fieldErrors(
        await t.slack.modal(PEOPLE.cora).fill('Why you support it', 'It helps the youth').submit(PEOPLE.cora),
      ),
    ).toEqual({});
    await voteWithReason(t, PEOPLE.cora, 'Stand aside', 'On reflection, not sure');
    expect((await votesOn(proposal.id)).map((v) => [v.voter_id, v.position, v.reason])).toEqual([
      [PEOPLE.cora, 'stand_aside', 'On reflection, not sure'],
    ]);
    expect((await eventsOn(proposal.id)).map((e) => [e.old_position, e.position, e.reason])).toEqual([
      [null, 'support', null],
      ['support', 'support', 'It helps the youth'],
      ['support', 'stand_aside', 'On reflection, not sure'],
    ]);
    expect(tallyOf(t, 'Changing minds')).toContain(`*Stand aside* (1): <@${PEOPLE.cora}>`);
  });

  it('is taken, and not reported as failed, when its reply cannot be sent', async () => {
    await propose(t, PEOPLE.carl, 'Reply lost');
    const proposal = await latestProposal(t);
    t.fake.failNext('response_url', { status: 500 });
    await vote(t, PEOPLE.cora, 'Support');
    expect(t.fake.callsTo('response_url')).toHaveLength(1);
    expect((await votesOn(proposal.id)).map((v) => [v.voter_id, v.position])).toEqual([
      [PEOPLE.cora, 'support'],
    ]);
    expect(tallyOf(t, 'Reply lost')).toContain(`*Support* (1): <@${PEOPLE.cora}>`);
    // The vote happened: nobody is told it did not.
    const told = [...t.fake.ephemerals(PEOPLE.cora), ...t.fake.messages(PEOPLE.cora)].map((m) => m.text);
    expect(told.filter((text) => text.includes('something went wrong'))).toEqual([]);
  });

  it('to Block or Stand aside without a reason is refused in the form, and nothing is stored', async () => {
    await propose(t, PEOPLE.carl, 'No reason given');
    const proposal = await latestProposal(t);
    await vote(t, PEOPLE.ben, 'Block');
    const block = await t.slack.modal(PEOPLE.ben).fill('Your reason', '   ').submit(PEOPLE.ben);
    expect(t.slack.fieldErrors(block)).toEqual({
      'Your reason': 'Say why you block: the Core needs your reason to address it.',
    });
    await vote(t, PEOPLE.cora, 'Stand aside');
    const aside = await t.slack.modal(PEOPLE.cora).submit(PEOPLE.cora);
    expect(t.slack.fieldErrors(aside)).toEqual({
      'Your reason': 'Say why you stand aside: the Core needs your reason.',
    });
    expect(await votesOn(proposal.id)).toEqual([]);
    expect(await eventsOn(proposal.id)).toEqual([]);
  });

  it('from someone outside the Core snapshot is refused and stores nothing', async () => {
    await propose(t, PEOPLE.carl, 'Only the Core decides');
    const proposal = await latestProposal(t);
    // Hal joins the Core channel after the proposal opened; Fay is not in it at all but sees the message in Slack.
    t.fake.setMembers(CHANNELS.core, [...CORE, PEOPLE.hal, PEOPLE.fay, t.fake.botUserId]);
    await t.slack.event({ type: 'member_joined_channel', user: PEOPLE.hal, channel: CHANNELS.core });
    await vote(t, PEOPLE.hal, 'Support');
    await vote(t, PEOPLE.fay, 'Block');
    const refusal = `Only the members of <#${CHANNELS.core}> when *Only the Core decides* was put to the Core can vote on it. Nothing was recorded.`;
    expect(t.fake.ephemerals(PEOPLE.hal).at(-1)?.text).toBe(refusal);
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text).toBe(refusal);
    // No form was opened for Fay's Block: there was nothing it could record.
    expect(t.fake.topModal(PEOPLE.fay)).toBeUndefined();
    expect(await votesOn(proposal.id)).toEqual([]);
    expect(await eventsOn(proposal.id)).toEqual([]);
    t.fake.setMembers(CHANNELS.core, [...CORE, t.fake.botUserId]);
    await t.slack.event({ type: 'member_left_channel', user: PEOPLE.hal, channel: CHANNELS.core });
  });

  it('after the close, or on a withdrawn proposal, is refused and changes nothing', async () => {
    // Opened earlier than the others still open, so each heads its voters' App Home.
    t.clock.set('2026-11-21T15:00:00Z');
    await propose(t, PEOPLE.carl, 'Too late');
    const late = await latestProposal(t);
    await vote(t, PEOPLE.carl, 'Support');
    await vote(t, PEOPLE.ben, 'Support');
    // Cora keeps the proposal on her App Home, and opens the Block form before the vote closes.
    await openHome(PEOPLE.cora);
    expect(homeText(PEOPLE.cora)).toContain('Proposals awaiting your vote');
    expect(homeText(PEOPLE.cora)).toContain('*Too late*');
    await vote(t, PEOPLE.cora, 'Block');
    await t.slack.chooseOption(PEOPLE.ben, 'Close the vote now', { in: 'message' });
    const closed = await latestProposal(t);
    expect(closed.outcome).toBe('consensus');

    const form = await t.slack
      .modal(PEOPLE.cora)
      .radio('Which shared commitment would it break?', 'common_agenda')
      .fill('Your reason', 'I missed it')
      .submit(PEOPLE.cora);
    expect(t.slack.fieldErrors(form)).toEqual({
      'Your reason': 'Voting on Too late has closed (Consensus reached). Your vote was not recorded.',
    });
    await t.slack.clickButton(PEOPLE.cora, 'Support', { in: 'home' });
    expect(t.fake.messages(PEOPLE.cora).at(-1)?.text).toBe(
      'Voting on *Too late* has closed (Consensus reached). Your vote was not recorded.',
    );
    expect((await votesOn(late.id)).map((v) => v.voter_id)).toEqual([PEOPLE.ben, PEOPLE.carl]);
    expect(await latestProposal(t)).toEqual(closed);

    t.clock.set('2026-11-20T15:00:00Z');
    await propose(t, PEOPLE.carl, 'Changed my mind');
    const withdrawn = await latestProposal(t);
    await openHome(PEOPLE.cora);
    // Only the proposer may withdraw it.
    await t.slack.chooseOption(PEOPLE.ben, 'Withdraw', { in: 'message' });
    expect(t.fake.ephemerals(PEOPLE.ben).at(-1)?.text).toBe(
      `Only <@${PEOPLE.carl}>, who proposed it, can withdraw this proposal.`,
    );
    await t.slack.chooseOption(PEOPLE.carl, 'Withdraw', { in: 'message' });
    expect((await latestProposal(t)).status).toBe('withdrawn');
    await t.slack.clickButton(PEOPLE.cora, 'Support', { in: 'home' });
    expect(t.fake.messages(PEOPLE.cora).at(-1)?.text).toBe(
      '*Changed my mind* was withdrawn, so it takes no votes. Nothing was recorded.',
    );
    expect(await votesOn(withdrawn.id)).toEqual([]);
    expect(proposalPost(t, 'Changed my mind').blocks?.some((b) => b.type === 'actions')).toBe(false);
  });

  it('from the App Home is taken there, and the proposal leaves the list', async () => {
    // A day earlier than the others still open, so it closes first and heads the list.
    t.clock.set('2026-11-22T15:00:00Z');
    await propose(t, PEOPLE.carl, 'From home');
    const proposal = await latestProposal(t);
    await openHome(PEOPLE.ben);
    expect(homeText(PEOPLE.ben)).toContain('*From home*');
    await t.slack.clickButton(PEOPLE.ben, 'Support', { in: 'home' });
    expect((await votesOn(proposal.id)).map((v) => [v.voter_id, v.position])).toEqual([
      [PEOPLE.ben, 'support'],
    ]);
    expect(homeText(PEOPLE.ben)).not.toContain('*From home*');
  });

  it('only the backbone closes a vote early', async () => {
    await propose(t, PEOPLE.carl, 'Not yours to close');
    await t.slack.chooseOption(PEOPLE.cora, 'Close the vote now', { in: 'message' });
    expect(t.fake.ephemerals(PEOPLE.cora).at(-1)?.text).toBe(
      `Only members of the backbone channel <#${CHANNELS.backbone}> can close a vote early. It closes by itself at its deadline, or once everyone eligible has voted.`,
    );
    expect((await latestProposal(t)).status).toBe('open');
  });

  it('clicked after the deadline, before the sweep has closed the vote, is refused and stores nothing', async () => {
    // Tuesday 08:00 in Carl's Denver: 15:00 UTC, a day from now.
    await propose(t, PEOPLE.carl, 'Past the deadline', 'other', (form) => {
      form.date('Voting closes on', '2026-11-24').time('at', '08:00');
    });
    const proposal = await latestProposal(t);
    expect(proposal.closes_at).toEqual(new Date('2026-11-24T15:00:00Z'));
    // Cora opens the Stand aside form while the vote is open, and submits it too late.
    await vote(t, PEOPLE.cora, 'Stand aside');

    t.clock.set('2026-11-24T15:00:30Z');
    await vote(t, PEOPLE.ben, 'Support');
    await vote(t, PEOPLE.carl, 'Block');
    const form = await t.slack.modal(PEOPLE.cora).fill('Your reason', 'Not sure yet').submit(PEOPLE.cora);

    const refusal = 'Voting on *Past the deadline* has closed. Your vote was not recorded.';
    expect(t.fake.ephemerals(PEOPLE.ben).at(-1)?.text).toBe(refusal);
    expect(t.fake.ephemerals(PEOPLE.carl).at(-1)?.text).toBe(refusal);
    // No form opened for a Block that could not be taken.
    expect(t.fake.topModal(PEOPLE.carl)).toBeUndefined();
    expect(t.slack.fieldErrors(form)).toEqual({ 'Your reason': refusal.replace(/\*/g, '') });
    expect(await votesOn(proposal.id)).toEqual([]);
    expect(await eventsOn(proposal.id)).toEqual([]);
    // The sweep has not run: the proposal is still open, its message unchanged, until it closes it.
    expect(await latestProposal(t)).toEqual(proposal);
    expect(tallyOf(t, 'Past the deadline')).toContain('Not yet voted: 3 of 3');
  });
});
