import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../harness/app.js';
import {
  addWorkGroup,
  CHANNELS,
  commitStep,
  PEOPLE,
  seedWorkspace,
  setUpCoalition,
} from '../harness/coalition.js';
import type { PostedMessage } from '../harness/fake-slack.js';
import { latestProposal, proposalPost, propose } from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// Where a second copy of a message cannot be excluded (Slack took a post whose answer was lost, and Concert
// could not look for it: an installation without the history scopes), the copy Concert has no record of must
// neither act on anything but the one record nor keep saying what is no longer true.

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ liveTallyIntervalMs: 0 });
  seedWorkspace(t.fake);
  await setUpCoalition(t);
  await addWorkGroup(t, { name: 'Food Access', channel: CHANNELS.food });
});
afterAll(() => t.stop());

/** A second copy of a message Concert posted, as Slack would hold it had a post gone twice. */
function copyOf(message: PostedMessage, conversation: string): PostedMessage {
  return t.fake.postAs(t.fake.botUserId, conversation, message.text, { blocks: message.blocks ?? [] });
}

const hasButton = (m: PostedMessage | undefined, text: string) =>
  (m?.blocks ?? []).some((b) =>
    (b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : []).some(
      (e: { type?: string; text?: { text?: string } }) => e.type === 'button' && e.text?.text === text,
    ),
  );

describe('a copy of a proposal', () => {
  it('takes a vote on the one proposal, and shows its tally and then its withdrawal', async () => {
    t.clock.set('2026-11-23T16:00:00Z');
    expect((await propose(t, PEOPLE.cora, 'Copied proposal')).body).toBe('');
    await t.settled();
    const original = proposalPost(t, 'Copied proposal');
    const copy = copyOf(original, CHANNELS.core);

    await t.slack.clickButton(PEOPLE.carl, 'Support', { in: 'message', channel: CHANNELS.core, nth: 0 });
    await t.settled();
    const proposal = await latestProposal(t);
    const votes = await t.db
      .selectFrom('proposal_votes')
      .selectAll()
      .where('proposal_id', '=', proposal.id)
      .execute();
    expect(votes.map((v) => [v.voter_id, v.position])).toEqual([[PEOPLE.carl, 'support']]);
    // Both show the same tally: the copy was brought up to date, and the one Concert recorded too.
    expect(t.fake.message(CHANNELS.core, copy.ts)?.text).toBe(
      t.fake.message(CHANNELS.core, original.ts)?.text,
    );
    expect(JSON.stringify(t.fake.message(CHANNELS.core, copy.ts)?.blocks)).toBe(
      JSON.stringify(t.fake.message(CHANNELS.core, original.ts)?.blocks),
    );

    // Withdrawn from the copy's menu: the proposal is withdrawn, and neither message offers a vote.
    await t.slack.chooseOption(PEOPLE.cora, 'Withdraw', { in: 'message' });
    await t.settled();
    expect((await latestProposal(t)).status).toBe('withdrawn');
    for (const ts of [original.ts, copy.ts]) {
      const message = t.fake.message(CHANNELS.core, ts);
      expect(hasButton(message, 'Support'), ts).toBe(false);
    }
    expect(t.fake.message(CHANNELS.core, copy.ts)?.text).toBe(
      t.fake.message(CHANNELS.core, original.ts)?.text,
    );
  });

  it('clicked after the vote closed, is refused and loses its buttons', async () => {
    t.clock.set('2026-11-24T16:00:00Z');
    expect((await propose(t, PEOPLE.cora, 'Stale copy')).body).toBe('');
    await t.settled();
    const open = proposalPost(t, 'Stale copy');
    const stale = { ...open, blocks: structuredClone(open.blocks) };
    await t.slack.chooseOption(PEOPLE.cora, 'Withdraw', { in: 'message' });
    await t.settled();
    // The copy Slack kept from before: still saying it is open, with its buttons.
    const copy = copyOf(stale, CHANNELS.core);
    expect(hasButton(copy, 'Support')).toBe(true);

    await t.slack.clickButton(PEOPLE.ben, 'Support', { in: 'message', channel: CHANNELS.core, nth: 0 });
    await t.settled();
    const proposal = await latestProposal(t);
    const votes = await t.db
      .selectFrom('proposal_votes')
      .selectAll()
      .where('proposal_id', '=', proposal.id)
      .execute();
    expect(votes).toEqual([]);
    expect(t.fake.ephemerals(PEOPLE.ben).at(-1)?.text).toMatch(/withdrawn/i);
    expect(hasButton(t.fake.message(CHANNELS.core, copy.ts), 'Support')).toBe(false);
    expect(t.fake.message(CHANNELS.core, copy.ts)?.text).toBe(t.fake.message(CHANNELS.core, open.ts)?.text);
  });
});

describe('a copy of a nudge', () => {
  it('marks the one step done, and neither the nudge nor its copy offers Done after', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    await commitStep(t, PEOPLE.fay, 'Copied nudge step', '2026-11-25');
    await fireSlot(t, 'nudges', new Date('2026-11-24T15:00:00Z'));
    const nudge = t.fake.messages(PEOPLE.fay).find((m) => m.text.includes('Copied nudge step'));
    expect(nudge).toBeDefined();
    const copy = copyOf(nudge as PostedMessage, PEOPLE.fay);

    await t.slack.clickButton(PEOPLE.fay, 'Done', { in: 'message', channel: copy.channel, nth: 0 });
    await t.settled();
    const step = await t.db
      .selectFrom('action_steps')
      .selectAll()
      .where('title', '=', 'Copied nudge step')
      .executeTakeFirstOrThrow();
    expect(step.status).toBe('done');
    const events = await t.db
      .selectFrom('action_step_events')
      .selectAll()
      .where('action_step_id', '=', step.id)
      .execute();
    expect(events.filter((e) => e.kind === 'done')).toHaveLength(1);
    for (const ts of [(nudge as PostedMessage).ts, copy.ts])
      expect(hasButton(t.fake.message(PEOPLE.fay, ts), 'Done'), ts).toBe(false);
  });

  it('clicked once the step is closed, is refused and loses its buttons', async () => {
    await commitStep(t, PEOPLE.fay, 'Closed before the copy', '2026-11-26');
    await fireSlot(t, 'nudges', new Date('2026-11-25T15:00:00Z'));
    const nudge = t.fake.messages(PEOPLE.fay).find((m) => m.text.includes('Closed before the copy'));
    expect(nudge).toBeDefined();
    const stale = { ...(nudge as PostedMessage), blocks: structuredClone((nudge as PostedMessage).blocks) };
    await t.slack.clickButton(PEOPLE.fay, 'Done', {
      in: 'message',
      channel: (nudge as PostedMessage).channel,
      nth: 0,
    });
    await t.settled();
    const copy = copyOf(stale, PEOPLE.fay);
    expect(hasButton(copy, 'Done')).toBe(true);

    await t.slack.clickButton(PEOPLE.fay, 'Done', { in: 'message', channel: copy.channel, nth: 0 });
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text ?? t.fake.messages(PEOPLE.fay).at(-1)?.text).toMatch(
      /already marked done/,
    );
    expect(hasButton(t.fake.message(PEOPLE.fay, copy.ts), 'Done')).toBe(false);
  });
});
