import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { addWorkGroup, CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { propose } from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// Failure kind: long text, emoji or characters Slack escapes push a section past 3,000 characters;
// the message is refused, or cut in the middle of a character.
let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
  await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing });
});
afterAll(() => t.stop());

// Within the form's 3,000-character limit: letters, then emoji. Cut at 2,999 UTF-16 units together with
// the section's “*Intention*\n” heading, the cut falls between the two halves of the first emoji.
const INTENTION = `${'a'.repeat(2986)}${'😀'.repeat(7)}`;

async function answer(user: string, intention: string): Promise<void> {
  await t.slack.clickButton(user, 'Start check-in', { in: 'message' });
  const form = t.slack.modal(user);
  form.fill('Intention', intention).radio('Progress toward the intention', '🟢 On track');
  expect((await form.submit(user)).body).toBe('');
  await t.settled();
}

describe('one check-in whose intention ends in emoji at the length limit', () => {
  it('is taken; at the close every report of every group is posted in its thread', async () => {
    await fireSlot(t, 'checkins', new Date('2026-11-30T15:00:00Z'));
    t.clock.set('2026-11-30T16:00:00Z');
    await answer(PEOPLE.cora, 'Open the Saturday pantry 🥫');
    await answer(PEOPLE.fay, INTENTION);
    await answer(PEOPLE.finn, 'Book the van');
    await answer(PEOPLE.hal, 'Visit the shelter');

    const errors: string[] = [];
    for (const at of [
      '2026-12-02T15:00:00Z',
      '2026-12-02T15:05:00Z',
      '2026-12-02T15:10:00Z',
      '2026-12-03T15:00:00Z',
    ]) {
      try {
        await fireSlot(t, 'checkins', new Date(at));
      } catch (e) {
        errors.push(`${at}: ${(e as Error).message}`);
      }
    }
    const reportsIn = (channel: string) =>
      t.fake
        .messages(channel)
        .filter((m) => m.thread_ts && m.text.startsWith('Check-in from'))
        .map((m) => m.text);
    console.log('job errors:', errors);
    console.log('food reports:', reportsIn(CHANNELS.food));
    console.log('housing reports:', reportsIn(CHANNELS.housing));
    expect(errors).toEqual([]);
    expect(reportsIn(CHANNELS.food)).toHaveLength(3);
    expect(reportsIn(CHANNELS.housing)).toHaveLength(1);
  });
});

describe('a proposal whose details, once escaped, are cut in the middle of an emoji', () => {
  it('is opened and put to the Core', async () => {
    const esc = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    // About 2,000 characters (the form takes 2,500): ampersands and brackets grow by escaping to 2,998.
    const unit = 'Costs & timeline for R&D <phase 2> & Q&A. ';
    let details = '';
    while (esc(details + unit).length <= 2998) details += unit;
    while (esc(details).length < 2998) details += 'x';
    details += '🙏🙏';
    t.clock.set('2026-12-07T15:00:00Z');
    const answer = await propose(t, PEOPLE.cora, 'Shared intake budget', 'other', (f) =>
      f.fill('Details', details),
    );
    expect(answer.body).toBe('');
    await t.settled();
    console.log(
      'DM to the proposer:',
      t.fake
        .messages(PEOPLE.cora)
        .map((m) => m.text)
        .at(-1),
    );
    const opened = await t.db
      .selectFrom('proposals')
      .selectAll()
      .where('title', '=', 'Shared intake budget')
      .execute();
    expect(opened).toHaveLength(1);
    expect(
      t.fake.messages(CHANNELS.core).some((m) => m.text.startsWith('Proposal: Shared intake budget')),
    ).toBe(true);
  });
});
