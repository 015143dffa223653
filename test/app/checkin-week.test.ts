import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';
import {
  addWorkGroup,
  CHANNELS,
  commitStep,
  PEOPLE,
  seedWorkspace,
  setUpCoalition,
} from '../harness/coalition.js';
import { fireSlot } from '../harness/scheduler.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  seedWorkspace(t.fake);
  t.clock.set('2026-11-20T12:00:00Z');
  await setUpCoalition(t);
  // Each member at 10:00 on their own clock: Finn in Berlin, Fay in New York, Cora in Los Angeles.
  await addWorkGroup(t, { name: 'Food Access', channel: CHANNELS.food, zone: 'member' });
});
afterAll(() => t.stop());

const event = (type: string, user: string, channel: string) => ({ type, user, channel, team: TEAM_ID });

function kindOf(channel: string, text: string): string {
  if (text.startsWith('Time for the weekly check-in')) return 'prompt';
  if (text.startsWith('A reminder: your check-in')) return 'reminder';
  if (text.startsWith('Check-in · ')) return `summary: ${text}`;
  if (text.startsWith('Check-in from ')) return 'report';
  return `${channel === CHANNELS.food ? 'channel' : 'dm'}: ${text}`;
}

describe('two weeks of check-ins in three time zones', () => {
  it('asks each member once at their own 10:00, reminds the silent once, and sums up once at the close', async () => {
    // Cora will be away over the first round; Hal joins mid-week; Finn leaves before the second round.
    t.clock.set('2026-11-27T16:00:00Z');
    const away = await t.slack.command(PEOPLE.cora, '/checkin', 'away until 2026-12-01');
    expect(away.body.text).toMatch(/^You are away until Tue 1 Dec, inclusive/);
    await commitStep(t, PEOPLE.fay, 'Order crates', '2026-12-04');
    t.fake.clearCalls();

    const sent: string[] = [];
    let seen = 0;
    for (
      let at = Date.parse('2026-11-29T00:00:00Z');
      at <= Date.parse('2026-12-07T23:45:00Z');
      at += 15 * 60_000
    ) {
      const now = new Date(at);
      expect(await fireSlot(t, 'checkins', now)).toBe(true);
      const posts = t.fake.callsTo('chat.postMessage');
      for (const post of posts.slice(seen)) {
        sent.push(
          `${now.toISOString().slice(0, 16)} ${post.args.channel} ${kindOf(post.args.channel, post.args.text)}`,
        );
      }
      if (now.toISOString() === '2026-12-01T14:00:00.000Z') {
        await t.slack.clickButton(PEOPLE.fay, 'Start check-in', { in: 'message' });
        const form = t.slack.modal(PEOPLE.fay);
        form
          .fill('Intention', 'Crates for the Tuesday pantry')
          .select('Order crates', 'In progress')
          .radio('Progress toward the intention', '🟢 On track');
        expect((await form.submit(PEOPLE.fay)).body).toBe('');
        await t.slack.event(event('member_joined_channel', PEOPLE.hal, CHANNELS.food));
      }
      if (now.toISOString() === '2026-12-04T12:00:00.000Z') {
        await t.slack.event(event('member_left_channel', PEOPLE.finn, CHANNELS.food));
      }
      seen = t.fake.callsTo('chat.postMessage').length;
    }

    const { cora, fay, finn, hal } = PEOPLE;
    const food = CHANNELS.food;
    expect(sent.filter((line) => !line.includes(' dm: '))).toEqual([
      `2026-11-30T09:00 ${finn} prompt`,
      `2026-11-30T15:00 ${fay} prompt`,
      `2026-12-01T09:00 ${finn} reminder`,
      `2026-12-02T18:00 ${food} summary: Check-in · Food Access · Mon 30 Nov: 1 of 2 answered, 0 skipped, 1 not answered.`,
      `2026-12-02T18:00 ${food} report`,
      `2026-12-07T15:00 ${fay} prompt`,
      `2026-12-07T16:00 ${hal} prompt`,
      `2026-12-07T18:00 ${cora} prompt`,
    ]);
    const firstRound = await t.db
      .selectFrom('checkins')
      .innerJoin('checkin_rounds', 'checkin_rounds.id', 'checkins.round_id')
      .select(['checkins.user_id', 'checkins.status'])
      .where('checkin_rounds.round_date', '=', '2026-11-30')
      .orderBy('checkins.user_id')
      .execute();
    expect(firstRound).toEqual([
      { user_id: cora, status: 'away' },
      { user_id: fay, status: 'answered' },
      { user_id: finn, status: 'missed' },
    ]);
    const summary = t.fake
      .messages(food)
      .find((m) => m.text.startsWith('Check-in · Food Access · Mon 30 Nov'));
    expect(JSON.stringify(summary?.blocks)).toContain(`*Away:* <@${cora}>`);
    expect(t.fake.rejections).toEqual([]);
  }, 180_000);
});
