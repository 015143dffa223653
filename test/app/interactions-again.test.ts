import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, startCoalition } from '../harness/coalition.js';
import { propose } from '../harness/proposals.js';
import { again, capture, deliver } from '../harness/twice.js';

/**
 * What looks like the same action twice but is not: a change of mind, a second form, a form corrected
 * after a refusal. Each must still be taken, while the same click or submission again is not.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startCoalition({ liveTallyIntervalMs: 0 });
  // Tuesday 24 November 2026, 10:00 in New York.
  t.clock.set('2026-11-24T15:00:00Z');
});
afterAll(() => t.stop());

const inCore = { in: 'message' as const, channel: CHANNELS.core };

describe('a second action that is not a repeat', () => {
  it('takes a change of vote back to Support, even clicked on the message as it was first shown', async () => {
    expect((await propose(t, PEOPLE.cora, 'Share one intake form')).body).toBe('');
    await t.settled();
    const proposal = await t.db
      .selectFrom('proposals')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const support = await capture(t, () => t.slack.clickButton(PEOPLE.ben, 'Support', inCore));
    expect((await deliver(t, support)).status).toBe(200);
    await t.settled();

    await t.slack.clickButton(PEOPLE.ben, 'Stand aside', inCore);
    expect((await t.slack.modal(PEOPLE.ben).fill('Your reason', 'Not my area').submit(PEOPLE.ben)).body).toBe(
      '',
    );
    await t.settled();
    // Support again from the first rendering: the same click, but it changes the vote, so it is taken.
    expect((await deliver(t, again(support))).status).toBe(200);
    await t.settled();
    // And that click once more changes nothing.
    expect((await deliver(t, again(support))).status).toBe(200);
    await t.settled();

    const events = await t.db
      .selectFrom('proposal_vote_events')
      .select(['position', 'old_position'])
      .where('proposal_id', '=', proposal.id)
      .where('voter_id', '=', PEOPLE.ben)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { position: 'support', old_position: null },
      { position: 'stand_aside', old_position: 'support' },
      { position: 'support', old_position: 'stand_aside' },
    ]);
  });

  it('takes a new date chosen in a second form after the first', async () => {
    await commitStep(t, PEOPLE.fay, 'Print the flyers', '2026-11-27');
    const step = await t.db
      .selectFrom('action_steps')
      .select('id')
      .where('title', '=', 'Print the flyers')
      .executeTakeFirstOrThrow();
    for (const [date, why] of [
      ['2026-12-02', 'The printer is booked'],
      ['2026-12-04', 'The printer is still booked'],
    ] as const) {
      await t.slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food });
      await t.slack.clickButton(PEOPLE.fay, 'New date', { in: 'ephemeral', near: 'Print the flyers' });
      const form = t.slack.modal(PEOPLE.fay).date('New date', date).fill('Why the date is changing', why);
      expect((await form.submit(PEOPLE.fay)).body).toBe('');
      await t.settled();
    }
    const moved = await t.db
      .selectFrom('action_step_events')
      .select('new_due_date')
      .where('action_step_id', '=', step.id)
      .where('kind', '=', 'renegotiated')
      .orderBy('id')
      .execute();
    expect(moved.map((e) => e.new_due_date)).toEqual(['2026-12-02', '2026-12-04']);
  });

  it('takes a form corrected after a refusal, and only once', async () => {
    await t.slack.command(PEOPLE.fay, '/commit', 'Order the banner', { channel: CHANNELS.food });
    const form = t.slack.modal(PEOPLE.fay);
    expect(t.slack.fieldErrors(await form.submit(PEOPLE.fay))).toEqual({
      'Done by': 'Choose the date it will be done by.',
    });
    form.date('Done by', '2026-12-01');
    const corrected = await capture(t, () => form.submit(PEOPLE.fay));
    expect((await deliver(t, corrected)).body).toBe('');
    expect((await deliver(t, again(corrected))).body).toBe('');
    await t.settled();
    const made = await t.db
      .selectFrom('action_steps')
      .select('id')
      .where('title', '=', 'Order the banner')
      .execute();
    expect(made).toHaveLength(1);
  });
});

describe('two instances of the app', () => {
  it('make one step of one form submitted to both at the same moment', async () => {
    const other = await startTestApp({ db: t.db, fake: t.fake, clock: t.clock });
    try {
      await t.slack.command(PEOPLE.fay, '/commit', 'Rent the van', { channel: CHANNELS.food });
      const form = t.slack
        .modal(PEOPLE.fay)
        .pick('Who will do it', PEOPLE.finn)
        .date('Done by', '2026-12-01');
      const submitted = await capture(t, () => form.submit(PEOPLE.fay));
      const dms = t.fake.messages(PEOPLE.finn).length;
      const answers = await Promise.all([deliver(t, submitted), deliver(other, again(submitted))]);
      expect(answers.map((a) => [a.status, a.body])).toEqual([
        [200, ''],
        [200, ''],
      ]);
      await Promise.all([t.settled(), other.settled()]);
      const made = await t.db
        .selectFrom('action_steps')
        .select('id')
        .where('title', '=', 'Rent the van')
        .execute();
      expect(made).toHaveLength(1);
      expect(t.fake.messages(PEOPLE.finn)).toHaveLength(dms + 1);
    } finally {
      await other.stop();
    }
  });
});
