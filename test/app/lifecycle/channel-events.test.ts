import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_USER_ID, TEAM_ID, type TestApp } from '../../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../../harness/coalition.js';
import { propose } from '../../harness/proposals.js';
import { fireSlot } from '../../harness/scheduler.js';

// Slack's channel lifecycle, followed: a work group's channel archived and unarchived, the Core channel
// left and rejoined, the backbone channel itself archived, renames, and channels that carry no role.
let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());

const event = async (body: Record<string, unknown>) => {
  const answer = await t.slack.event({ team: TEAM_ID, ...body });
  expect(answer.status).toBe(200);
  await t.settled();
};
/** What Concert told the backbone channel about channels it could not reach. */
const backboneSaid = () =>
  t.fake
    .messages(CHANNELS.backbone)
    .map((m) => m.text)
    .filter((text) => /Concert can(’t)? post in/.test(text));
const promptsTo = (user: string) =>
  t.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user && String(c.args.text).startsWith('Time for the weekly check-in'));

describe('a work group channel archived, then unarchived', () => {
  it('tells the backbone once what to do, and posts nothing in the archived channel', async () => {
    await fireSlot(t, 'checkins', new Date('2026-11-30T15:00:00Z'));
    expect(promptsTo(PEOPLE.fay)).toHaveLength(1);
    const food = t.fake.channels.get(CHANNELS.food);
    if (food) food.isArchived = true;
    await event({ type: 'channel_archive', channel: CHANNELS.food, user: PEOPLE.bea });
    await event({ type: 'channel_archive', channel: CHANNELS.food, user: PEOPLE.bea });
    const notices = backboneSaid().filter((m) => m.includes(`<#${CHANNELS.food}>`));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('it was archived. Unarchive it, or give the work group another channel');
    expect(notices[0]).toContain('Food Access gets no check-in prompts or summaries');

    // The round closes: its summary waits, without a call Slack would refuse.
    const before = t.fake.callsTo('chat.postMessage').length;
    await fireSlot(t, 'checkins', new Date('2026-12-02T15:00:00Z'));
    const calls = t.fake.callsTo('chat.postMessage').slice(before);
    expect(calls.filter((c) => c.args.channel === CHANNELS.food)).toEqual([]);
    const summary = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'checkin_summary')
      .executeTakeFirstOrThrow();
    expect([summary.status, summary.last_error]).toEqual(['failed', 'channel_unreachable']);
  });

  it('opens no round while archived, and says so once a round', async () => {
    await fireSlot(t, 'checkins', new Date('2026-12-07T15:00:00Z'));
    await fireSlot(t, 'checkins', new Date('2026-12-07T15:05:00Z'));
    expect(promptsTo(PEOPLE.fay)).toHaveLength(1);
    const skipped = backboneSaid().filter((m) => m.includes('check-in of Mon 7 Dec did not open'));
    expect(skipped).toHaveLength(1);
  });

  it('when unarchived, says so, posts what waited, and the group checks in again', async () => {
    const food = t.fake.channels.get(CHANNELS.food);
    if (food) food.isArchived = false;
    t.clock.set('2026-12-10T15:00:00Z');
    await event({ type: 'channel_unarchive', channel: CHANNELS.food, user: PEOPLE.bea });
    expect(backboneSaid().filter((m) => m.includes('again'))).toEqual([
      expect.stringContaining(
        `Concert can post in <#${CHANNELS.food}> (the Food Access work group’s channel) again`,
      ),
    ]);
    await fireSlot(t, 'checkins', new Date('2026-12-10T15:05:00Z'));
    expect(t.fake.messages(CHANNELS.food).map((m) => m.text)).toContainEqual(
      expect.stringContaining('Check-in · Food Access · Mon 30 Nov'),
    );
    await fireSlot(t, 'checkins', new Date('2026-12-14T15:00:00Z'));
    expect(promptsTo(PEOPLE.fay)).toHaveLength(2);
  });
});

describe('Concert removed from the Core channel, and invited back', () => {
  it('tells the backbone how to invite it, and that it is back', async () => {
    await event({ type: 'member_left_channel', channel: CHANNELS.core, user: BOT_USER_ID });
    await event({ type: 'channel_left', channel: CHANNELS.core, actor_id: PEOPLE.carl });
    const removed = backboneSaid().filter((m) => m.includes(`<#${CHANNELS.core}>`));
    expect(removed).toEqual([
      expect.stringContaining(
        `Concert was removed from it. Type \`/invite @Concert\` in <#${CHANNELS.core}>, or choose another channel in \`/concert setup\`. Until then no proposal can be put to the Core.`,
      ),
    ]);
    // Meanwhile a proposal is refused with the reason, the form kept open.
    const refused = await propose(t, PEOPLE.carl, 'Shared intake form');
    expect(refused.body.response_action).toBe('errors');
    expect(Object.values(refused.body.errors)).toEqual([
      expect.stringContaining('Concert can’t post in the Core channel right now'),
    ]);
    await event({ type: 'member_joined_channel', channel: CHANNELS.core, user: BOT_USER_ID });
    expect(backboneSaid().filter((m) => m.includes(`<#${CHANNELS.core}>`))).toHaveLength(2);
    expect(backboneSaid().at(-1)).toContain('again');
    expect(await t.db.selectFrom('channel_problems').selectAll().execute()).toEqual([]);
  });
});

describe('the backbone channel itself archived', () => {
  it('tells whoever set Concert up, by DM', async () => {
    await event({ type: 'channel_archive', channel: CHANNELS.backbone, user: PEOPLE.bea });
    const dm = t.fake.messages(t.fake.dmChannelOf(PEOPLE.admin)).map((m) => m.text);
    expect(dm).toContainEqual(
      expect.stringContaining(
        `Concert can’t post in <#${CHANNELS.backbone}> (the backbone channel): it was archived`,
      ),
    );
    await event({ type: 'group_unarchive', channel: CHANNELS.backbone, user: PEOPLE.bea });
  });
});

describe('events that change nothing', () => {
  it('takes renames and channels without a role in its stride', async () => {
    const before = t.fake.callsTo('chat.postMessage').length;
    await event({ type: 'channel_rename', channel: { id: CHANNELS.food, name: 'food', created: 1 } });
    await event({ type: 'group_rename', channel: { id: CHANNELS.housing, name: 'homes', created: 1 } });
    await event({ type: 'channel_archive', channel: CHANNELS.general, user: PEOPLE.bea });
    await event({ type: 'channel_deleted', channel: CHANNELS.general });
    expect(t.fake.callsTo('chat.postMessage').slice(before)).toEqual([]);
    expect(await t.db.selectFrom('channel_problems').selectAll().execute()).toEqual([]);
  });
});
