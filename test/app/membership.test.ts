import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEAM_ID, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, recordedMembers, startCoalition } from '../harness/coalition.js';
import { jobFor } from '../harness/scheduler.js';

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());
beforeEach(() => t.fake.clearCalls());

const members = (channel: string) => recordedMembers(t, channel);

const joined = (user: string, channel: string) => ({
  type: 'member_joined_channel',
  user,
  channel,
  team: TEAM_ID,
});
const left = (user: string, channel: string) => ({
  type: 'member_left_channel',
  user,
  channel,
  team: TEAM_ID,
});

const reconcileJob = () => jobFor(t, 'reconcile-memberships');

describe('membership follows the channels', () => {
  it('adds a person who joins a work group channel and removes one who leaves', async () => {
    await t.slack.event(joined(PEOPLE.hal, CHANNELS.food));
    await t.settled();
    expect(await members(CHANNELS.food)).toContain(PEOPLE.hal);
    await t.slack.event(left(PEOPLE.fay, CHANNELS.food));
    await t.settled();
    expect(await members(CHANNELS.food)).toEqual([PEOPLE.cora, PEOPLE.finn, PEOPLE.hal].sort());
  });

  it('never counts a bot, and ignores channels that carry no role', async () => {
    t.fake.addUser({ id: 'UNEWBOT', name: 'newbot', isBot: true });
    await t.slack.event(joined('UNEWBOT', CHANNELS.food));
    await t.slack.event(joined(PEOPLE.nobody, CHANNELS.general));
    await t.settled();
    expect(await members(CHANNELS.food)).not.toContain('UNEWBOT');
    expect(await members(CHANNELS.general)).toEqual([]);
  });

  it('catches up on a role channel when Concert itself is invited to it', async () => {
    t.fake.setMembers(CHANNELS.core, [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl, PEOPLE.nobody, 'UBOT']);
    await t.slack.event(joined('UBOT', CHANNELS.core));
    await t.settled();
    expect(await members(CHANNELS.core)).toEqual(
      [PEOPLE.ben, PEOPLE.carl, PEOPLE.cora, PEOPLE.nobody].sort(),
    );
  });

  it('fixes drift in the daily reconcile, reading every page of a big channel', async () => {
    const crowd = Array.from({ length: 230 }, (_, i) => `UCROWD${String(i).padStart(3, '0')}`);
    for (const id of crowd) t.fake.addUser({ id, name: id.toLowerCase() });
    // Slack's truth drifted while events were missed: Fay is back, Hal left, a crowd and a bot arrived.
    t.fake.setMembers(CHANNELS.food, [PEOPLE.cora, PEOPLE.fay, PEOPLE.finn, PEOPLE.bot, ...crowd]);
    await reconcileJob().run(t.clock.now());
    expect(await members(CHANNELS.food)).toEqual([PEOPLE.cora, PEOPLE.fay, PEOPLE.finn, ...crowd].sort());
    expect(
      t.fake.callsTo('conversations.members').filter((c) => c.args.channel === CHANNELS.food).length,
    ).toBe(2);
  });

  it('asks Slack about a person at most once a day', async () => {
    await reconcileJob().run(t.clock.now());
    expect(t.fake.callsTo('users.info')).toEqual([]);
    t.clock.advance({ days: 1, minutes: 1 });
    await t.slack.event(joined(PEOPLE.nobody, CHANNELS.food));
    await t.settled();
    expect(t.fake.callsTo('users.info').map((c) => c.args.user)).toEqual([PEOPLE.nobody]);
  });

  it('forgets a deactivated account at the next reconcile', async () => {
    t.fake.addUser({ id: PEOPLE.finn, name: 'finn', deleted: true, tz: 'Europe/Berlin' });
    t.clock.advance({ days: 1, minutes: 1 });
    await reconcileJob().run(t.clock.now());
    expect(await members(CHANNELS.food)).not.toContain(PEOPLE.finn);
  });
});
