import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import type { Call } from '../harness/fake-slack.js';
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

describe('a proposal from /propose to its outcome', () => {
  it('is posted in the Core channel, voted on, and closed at its deadline with the outcome in its thread', async () => {
    const answer = await propose(t, PEOPLE.carl, 'Adopt the shared intake form', 'other', (form) => {
      expect(form.value('Title').value).toBe('Adopt the shared intake form');
      // A week on, in Carl's own time zone (Denver), at the next quarter hour.
      expect(form.value('Voting closes on').selected_date).toBe('2026-11-30');
      expect(form.value('at').selected_time).toBe('08:00');
      form.fill('Details', 'Every partner uses one intake form from January.');
    });
    expect(answer.body).toBe('');
    const proposal = await latestProposal(t);
    expect(proposal).toMatchObject({
      kind: 'other',
      proposer_id: PEOPLE.carl,
      status: 'open',
      quorum: '2/3',
      stand_aside_limit: '1/3',
      closes_at: new Date('2026-11-30T15:00:00Z'),
    });
    const voters = await t.db
      .selectFrom('proposal_voters')
      .select('user_id')
      .where('proposal_id', '=', proposal.id)
      .execute();
    // The Core's people when it opened; never the other app's bot in the channel.
    expect(voters.map((v) => v.user_id).sort()).toEqual([PEOPLE.ben, PEOPLE.carl, PEOPLE.cora].sort());

    const post = proposalPost(t, 'Adopt the shared intake form');
    const shown = JSON.stringify(post.blocks);
    expect(shown).toContain(`proposed by <@${PEOPLE.carl}>`);
    expect(shown).toContain('Every partner uses one intake form from January.');
    expect(shown).toContain(
      `<!date^${Date.parse('2026-11-30T15:00:00Z') / 1000}^{date_short_pretty} at {time}|2026-11-30 15:00 UTC>`,
    );
    expect(t.fake.rejections).toEqual([]);
    expect(t.fake.ephemerals(PEOPLE.carl).at(-1)?.text).toBe(
      `Your proposal *Adopt the shared intake form* is in <#${CHANNELS.core}> for the Core’s vote.`,
    );

    expect((await vote(t, PEOPLE.cora, 'Support')).status).toBe(200);
    expect((await voteWithReason(t, PEOPLE.ben, 'Stand aside', 'We have not read it yet')).body).toBe('');
    expect(tallyOf(t, 'Adopt the shared intake form')).toBe(
      [
        `*Support* (1): <@${PEOPLE.cora}>`,
        `*Stand aside* (1): <@${PEOPLE.ben}>`,
        '*Block* (0)',
        'Not yet voted: 1 of 3',
      ].join('\n'),
    );

    // Nothing happens before the deadline; at it, the vote closes once.
    await fireSlot(t, 'proposals', new Date('2026-11-30T14:59:00Z'));
    expect((await latestProposal(t)).status).toBe('open');
    await fireSlot(t, 'proposals', new Date('2026-11-30T15:00:00Z'));
    await fireSlot(t, 'proposals', new Date('2026-11-30T15:01:00Z'));
    expect(await latestProposal(t)).toMatchObject({
      status: 'closed',
      outcome: 'no_consensus',
      close_reason: 'deadline',
    });

    const final = proposalPost(t, 'Adopt the shared intake form');
    expect(final.blocks?.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(final.blocks)).toContain('*No consensus* — closed at its deadline.');
    const thread = threadOf(t, 'Adopt the shared intake form');
    expect(thread).toHaveLength(1);
    expect(thread[0]?.blocks?.map((b) => b.text?.text)).toEqual([
      [
        '*No consensus* on *Adopt the shared intake form*. Too many stood aside: more than 1/3 of the votes cast.',
        '2 of 3 eligible voted (2 needed): 1 support, 1 stand aside, 0 block.',
      ].join('\n\n'),
      `*Stand asides*\n• <@${PEOPLE.ben}>: We have not read it yet`,
    ]);
    expect(t.fake.rejections).toEqual([]);
  });
});

describe('a proposal form submitted again', () => {
  it('opens one proposal and posts it once, however often and however close together it comes', async () => {
    await t.slack.command(PEOPLE.carl, '/propose', 'Only once', { channel: CHANNELS.core });
    await t.slack.modal(PEOPLE.carl).radio('Kind of proposal', 'other').submit(PEOPLE.carl);
    const form = t.slack.modal(PEOPLE.carl);
    // Slack's answer came too late, so the form stayed open, and Carl submitted it again at once; then
    // the first answer arrived, and a third submission came after.
    const answers = await Promise.all([form.submit(PEOPLE.carl), form.submit(PEOPLE.carl)]);
    expect(answers.map((a) => a.body)).toEqual(['', '']);
    expect((await form.submit(PEOPLE.carl)).body).toBe('');

    const opened = await t.db.selectFrom('proposals').selectAll().where('title', '=', 'Only once').execute();
    expect(opened.map((p) => p.view_id)).toEqual([form.viewId]);
    const posts = t.fake
      .messages(CHANNELS.core)
      .filter((m) => !m.thread_ts && m.text.startsWith('Proposal: Only once'));
    expect(posts).toHaveLength(1);
    expect(t.fake.ephemerals(PEOPLE.carl).filter((e) => e.text.includes('*Only once* is in'))).toHaveLength(
      1,
    );
    await t.slack.chooseOption(PEOPLE.carl, 'Withdraw', { in: 'message' });
  });
});

describe('the live tally', () => {
  it('never leaves the buttons on a closed proposal, though an update sent before the close lands after it', async () => {
    await propose(t, PEOPLE.carl, 'Late tally');
    await vote(t, PEOPLE.cora, 'Support');
    const { ts } = proposalPost(t, 'Late tally');
    const isFinal = (call: Call) =>
      call.method === 'chat.update' &&
      call.args.ts === ts &&
      !(call.args.blocks ?? []).some((b: { type: string }) => b.type === 'actions');
    // Ben's vote refreshes the tally, with the buttons; Slack takes that update only after the final message.
    const held = t.fake.holdNext('chat.update', isFinal);
    const ben = vote(t, PEOPLE.ben, 'Support');
    await held.arrived;
    // Meanwhile Carl votes, the last of the three, and that closes the vote.
    await vote(t, PEOPLE.carl, 'Support');
    await ben;
    expect(await latestProposal(t)).toMatchObject({
      status: 'closed',
      outcome: 'consensus',
      close_reason: 'all_voted',
    });
    const updates = t.fake.callsTo('chat.update').filter((c) => c.args.ts === ts);
    expect(updates.filter(isFinal).length).toBeGreaterThanOrEqual(1);
    expect(isFinal(updates.at(-1) as Call)).toBe(true);
    const post = proposalPost(t, 'Late tally');
    expect(post.blocks?.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(post.blocks)).toContain(
      '*Consensus reached* — closed when every eligible voter had voted.',
    );
    expect(tallyOf(t, 'Late tally')).toMatch(/^\*Support\* \(3\): /);
    expect(t.fake.rejections).toEqual([]);
  });
});

describe('who may propose what', () => {
  const proposals = () => t.db.selectFrom('proposals').select('id').execute();

  it('refuses someone in neither the Core nor the backbone at the command, saying who may', async () => {
    const answer = await t.slack.command(PEOPLE.fay, '/propose', 'A new idea', { channel: CHANNELS.food });
    expect(answer.body.text).toBe(
      `Only members of the Core channel <#${CHANNELS.core}> can make proposals (and the backbone, <#${CHANNELS.backbone}>, can propose adding a work group). Ask a Core member to put it forward, or ask to join the Core channel.`,
    );
    expect(t.fake.topModal(PEOPLE.fay)).toBeUndefined();
  });

  it('refuses a kind the person may not propose under the kind, and stores nothing', async () => {
    const before = (await proposals()).length;
    await t.slack.command(PEOPLE.bea, '/propose', '', { channel: CHANNELS.backbone });
    const other = await t.slack.modal(PEOPLE.bea).radio('Kind of proposal', 'other').submit(PEOPLE.bea);
    expect(t.slack.fieldErrors(other)).toEqual({
      'Kind of proposal': 'Only members of the Core channel can make this kind of proposal.',
    });
    await t.slack.command(PEOPLE.carl, '/propose', '', { channel: CHANNELS.core });
    const add = await t.slack
      .modal(PEOPLE.carl)
      .radio('Kind of proposal', 'add_work_group')
      .submit(PEOPLE.carl);
    expect(t.slack.fieldErrors(add)).toEqual({
      'Kind of proposal':
        'Only members of the backbone channel can propose adding a work group. Ask one of them to propose it.',
    });
    expect((await proposals()).length).toBe(before);
  });

  it('answers a bad form under its fields and stores nothing', async () => {
    const before = (await proposals()).length;
    const soon = await propose(t, PEOPLE.ben, '', 'other', (form) => {
      form.date('Voting closes on', '2026-11-23').time('at', '10:30');
    });
    expect(t.slack.fieldErrors(soon)).toEqual({
      Title: 'Give the proposal a title.',
      'Voting closes on': 'Give the Core at least an hour: choose a later closing time.',
    });
    const far = await propose(t, PEOPLE.ben, 'Far off', 'other', (form) => {
      form.date('Voting closes on', '2027-01-23');
    });
    expect(t.slack.fieldErrors(far)).toEqual({
      'Voting closes on': 'A vote can stay open 60 days at most: choose an earlier day.',
    });
    const group = await propose(t, PEOPLE.ben, 'Food again', 'add_work_group', (form) => {
      form.fill('New work group’s name', 'food access').pick('Its channel', CHANNELS.core);
    });
    expect(t.slack.fieldErrors(group)).toEqual({
      'New work group’s name': 'There is already a work group called “food access”.',
      'Its channel': 'That is the Core channel. Choose another.',
    });
    expect((await proposals()).length).toBe(before);
  });
});

describe('the reminder', () => {
  it('goes once, a day before the close, by DM to those who have not voted by the time it is sent', async () => {
    await propose(t, PEOPLE.carl, 'Remind us');
    const proposal = await latestProposal(t);
    expect(proposal.remind_at).toEqual(new Date('2026-11-29T15:00:00Z'));
    await vote(t, PEOPLE.carl, 'Support');
    await fireSlot(t, 'proposals', new Date('2026-11-29T14:59:00Z'));
    const remindersQueued = () =>
      t.db
        .selectFrom('outbox')
        .selectAll()
        .where('kind', '=', 'proposal_reminder')
        .where('dedupe_key', 'like', `${proposal.id}:%`)
        .orderBy('channel_id')
        .execute();
    expect(await remindersQueued()).toEqual([]);

    // Slack is down when the reminders are first sent; Cora votes before they are tried again.
    for (let i = 0; i < 2; i++) t.fake.failNext('chat.postMessage', { status: 503 });
    await fireSlot(t, 'proposals', new Date('2026-11-29T15:00:00Z'));
    const queued = await remindersQueued();
    expect(queued.map((r) => r.channel_id).sort()).toEqual([PEOPLE.ben, PEOPLE.cora].sort());
    t.clock.set('2026-11-29T15:00:30Z');
    await vote(t, PEOPLE.cora, 'Support');
    for (const minute of ['01', '02', '03', '04'])
      await fireSlot(t, 'proposals', new Date(`2026-11-29T15:${minute}:00Z`));

    const reminders = (user: string) =>
      t.fake.messages(user).filter((m) => m.text.includes('the Core’s vote on Remind us'));
    expect(reminders(PEOPLE.ben)).toHaveLength(1);
    expect(reminders(PEOPLE.cora)).toEqual([]);
    expect(reminders(PEOPLE.carl)).toEqual([]);
    const rows = await remindersQueued();
    expect(rows.map((r) => [r.channel_id, r.status])).toEqual([
      [PEOPLE.ben, 'sent'],
      [PEOPLE.cora, 'cancelled'],
    ]);
    // Ben votes from the reminder itself.
    await t.slack.clickButton(PEOPLE.ben, 'Block', { in: 'message', channel: 'DBEN' });
    await t.slack
      .modal(PEOPLE.ben)
      .radio('Which shared commitment would it break?', 'accountabilities')
      .fill('Your reason', 'Costs unknown')
      .submit(PEOPLE.ben);
    expect((await latestProposal(t)).outcome).toBe('blocked');
  });

  it('is planned again at the next sweep when queuing it fails, never marked as done with nothing queued', async () => {
    await propose(t, PEOPLE.carl, 'Remind us once more');
    await vote(t, PEOPLE.carl, 'Support');
    // The database refuses the reminders the first time they are queued.
    await sql`alter table outbox add constraint no_reminders check (kind <> ${sql.lit('proposal_reminder')}) not valid`.execute(
      t.db,
    );
    try {
      expect(await fireSlot(t, 'proposals', new Date('2026-11-29T15:05:00Z'))).toBe(true);
    } finally {
      await sql`alter table outbox drop constraint no_reminders`.execute(t.db);
    }
    expect((await latestProposal(t)).reminded_at).toBeNull();
    expect(await fireSlot(t, 'proposals', new Date('2026-11-29T15:06:00Z'))).toBe(true);
    expect((await latestProposal(t)).reminded_at).toEqual(new Date('2026-11-29T15:06:00Z'));
    const reminders = (user: string) =>
      t.fake.messages(user).filter((m) => m.text.includes('the Core’s vote on Remind us once more'));
    expect(reminders(PEOPLE.ben)).toHaveLength(1);
    expect(reminders(PEOPLE.cora)).toHaveLength(1);
    expect(reminders(PEOPLE.carl)).toEqual([]);
  });

  it('comes halfway through a vote shorter than two days', async () => {
    await propose(t, PEOPLE.carl, 'Quick one', 'other', (form) => {
      form.date('Voting closes on', '2026-11-24').time('at', '08:00');
    });
    // Tuesday 08:00 in Denver is 15:00 UTC: a day open, so the reminder comes after twelve hours.
    expect(await latestProposal(t)).toMatchObject({
      closes_at: new Date('2026-11-24T15:00:00Z'),
      remind_at: new Date('2026-11-24T03:00:00Z'),
    });
  });
});

describe('the consensus settings', () => {
  it('are chosen in setup and hold for each proposal from when it opens', async () => {
    await t.slack.command(PEOPLE.ben, '/concert', 'setup', { channel: CHANNELS.backbone });
    const form = t.slack.modal(PEOPLE.ben);
    expect(form.value('Quorum for proposals').selected_option.value).toBe('2/3');
    expect(form.value('Stand-asides allowed').selected_option.value).toBe('1/3');
    form.select('Quorum for proposals', '3/4').select('Stand-asides allowed', 'none');
    expect((await form.submit(PEOPLE.ben)).body).toBe('');
    await propose(t, PEOPLE.carl, 'Under the new rules');
    expect(await latestProposal(t)).toMatchObject({ quorum: '3/4', stand_aside_limit: '0/1' });
    // ⌈3 × 3/4⌉ = 3 of the three Core members.
    expect(JSON.stringify(proposalPost(t, 'Under the new rules').blocks)).toContain(
      '3 eligible Core members · 3 votes needed',
    );
  });
});
