import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, startCoalition } from '../harness/coalition.js';
import { fireSlot } from '../harness/scheduler.js';

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());

function label(channel: string, text: string): string {
  if (channel === CHANNELS.backbone) return 'escalation';
  if (text.startsWith('A reminder')) return 'before';
  if (text.includes('is due today')) return 'due';
  if (text.includes(' was due ')) return 'overdue';
  return `other: ${text}`;
}

describe('nudges over three weeks', () => {
  it('go at the owner’s 09:00 on working days only, in their own time zone, and escalate once', async () => {
    // Monday 23 November 2026. Fay works in New York (09:00 = 14:00 UTC), Finn in Berlin (09:00 = 08:00 UTC).
    t.clock.set('2026-11-23T15:00:00Z');
    await commitStep(t, PEOPLE.fay, 'Step A', '2026-11-25');
    await commitStep(t, PEOPLE.finn, 'Step B', '2026-11-30');
    await commitStep(t, PEOPLE.fay, 'Step C', '2026-12-04');
    await commitStep(t, PEOPLE.finn, 'Step D', '2026-12-02');
    t.fake.clearCalls();

    const sent: string[] = [];
    let seen = 0;
    for (
      let at = Date.parse('2026-11-23T16:00:00Z');
      at <= Date.parse('2026-12-14T23:00:00Z');
      at += 3_600_000
    ) {
      const now = new Date(at);
      expect(await fireSlot(t, 'nudges', now)).toBe(true);
      const posts = t.fake.callsTo('chat.postMessage');
      for (const post of posts.slice(seen)) {
        const title = /Step [A-D]/.exec(post.args.text)?.[0];
        sent.push(
          `${now.toISOString()} ${post.args.channel} ${label(post.args.channel, post.args.text)} ${title}`,
        );
      }
      seen = posts.length;

      if (now.toISOString() === '2026-12-01T12:00:00.000Z') {
        // Finn asks for a new date from the nudge about D: its nudges start again from the new date.
        await t.slack.clickButton(PEOPLE.finn, 'New date', { in: 'message', near: 'Step D' });
        const modal = t.slack.modal(PEOPLE.finn);
        modal.date('New date', '2026-12-09').fill('Why the date is changing', 'Waiting on the county');
        expect((await modal.submit(PEOPLE.finn)).body).toBe('');
      }
      if (now.toISOString() === '2026-12-03T16:00:00.000Z') {
        await t.slack.clickButton(PEOPLE.fay, 'Done', { in: 'message', near: 'Step C' });
      }
      seen = t.fake.callsTo('chat.postMessage').length;
    }

    const { fay, finn } = PEOPLE;
    const backbone = CHANNELS.backbone;
    expect(sent.sort()).toEqual(
      [
        `2026-11-24T14:00:00.000Z ${fay} before Step A`,
        `2026-11-25T14:00:00.000Z ${fay} due Step A`,
        `2026-11-26T14:00:00.000Z ${fay} overdue Step A`,
        `2026-11-27T08:00:00.000Z ${finn} before Step B`,
        `2026-11-30T08:00:00.000Z ${finn} due Step B`,
        `2026-11-30T14:00:00.000Z ${fay} overdue Step A`,
        `2026-11-30T14:00:00.000Z ${backbone} escalation Step A`,
        `2026-12-01T08:00:00.000Z ${finn} overdue Step B`,
        `2026-12-01T08:00:00.000Z ${finn} before Step D`,
        `2026-12-03T08:00:00.000Z ${finn} overdue Step B`,
        `2026-12-03T14:00:00.000Z ${fay} before Step C`,
        `2026-12-03T14:00:00.000Z ${backbone} escalation Step B`,
        `2026-12-07T08:00:00.000Z ${finn} overdue Step B`,
        `2026-12-08T08:00:00.000Z ${finn} before Step D`,
        `2026-12-09T08:00:00.000Z ${finn} due Step D`,
        `2026-12-10T08:00:00.000Z ${finn} overdue Step D`,
        `2026-12-14T08:00:00.000Z ${finn} overdue Step D`,
        `2026-12-14T14:00:00.000Z ${backbone} escalation Step D`,
      ].sort(),
    );
    expect(t.fake.rejections).toEqual([]);

    // The nudges that offered D's buttons for its old date, and C's, no longer do.
    const finnDms = t.fake.messages(finn).filter((m) => m.text.includes('Step D'));
    expect(finnDms[0]?.text).toBe(
      `Step D: new date Wed 9 Dec (was Wed 2 Dec), set by <@${finn}>. Reason: Waiting on the county`,
    );
    expect(finnDms[0]?.blocks?.some((b) => b.type === 'actions')).toBe(false);
    const cDm = t.fake.messages(fay).find((m) => m.text.includes('Step C'));
    expect(cDm?.text).toMatch(/^:white_check_mark: Step C: done/);
  });
});
