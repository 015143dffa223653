import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { TestClock } from '../harness/clock.js';
import { addWorkGroup, CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { latestProposal, propose, setCore } from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// Local times through the real app, where the clocks change: a New York group whose check-in falls in the
// hour the clocks repeat or skip, and a member and a proposer in Santiago, whose clocks skip midnight.
const SOFIA = 'USOFIA';
const COAST = 'CCOAST';

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition({ clock: new TestClock('2026-08-03T15:00:00Z'), publicRecords: true });
  t.fake.addUser({ id: SOFIA, name: 'sofia', realName: 'Sofía Santiago', tz: 'America/Santiago' });
  t.fake.addChannel({ id: COAST, name: 'coast', members: [SOFIA], botIsMember: true });
  // Housing checks in on Sundays at 01:30, New York time (the workspace's zone).
  await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing, day: 'Sunday', time: '01:30' });
  // Coast checks in on Sundays at 00:30, each member in their own zone.
  await addWorkGroup(t, { name: 'Coast', channel: COAST, day: 'Sunday', time: '00:30', zone: 'member' });
});
afterAll(() => t.stop());

/** Messages ever posted to `user` that begin with `text` (later rewrites of them do not count). */
const posted = (user: string, text: string) =>
  t.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user && String(c.args.text).startsWith(text)).length;
const promptsTo = (user: string) => posted(user, 'Time for the weekly check-in');
const remindersTo = (user: string) => posted(user, 'A reminder: your check-in');

describe('a check-in round', () => {
  it('opens for a Santiago member at 00:30 on the Sunday midnight is skipped as 01:30 that Sunday', async () => {
    // 6 September 2026: Santiago's clocks go from 00:00 to 01:00. 03:30 UTC is still Saturday 23:30 there.
    await fireSlot(t, 'checkins', new Date('2026-09-06T03:30:00Z'));
    expect(promptsTo(SOFIA)).toBe(0);
    await fireSlot(t, 'checkins', new Date('2026-09-06T04:25:00Z'));
    expect(promptsTo(SOFIA)).toBe(0);
    await fireSlot(t, 'checkins', new Date('2026-09-06T04:30:00Z'));
    expect(promptsTo(SOFIA)).toBe(1);
    const round = await t.db
      .selectFrom('checkin_rounds')
      .innerJoin('work_groups', 'work_groups.id', 'checkin_rounds.work_group_id')
      .select(['checkin_rounds.round_date'])
      .where('work_groups.name', '=', 'Coast')
      .executeTakeFirstOrThrow();
    expect(String(round.round_date)).toMatch(/2026-09-06/);
  });

  it('opens at the first of a time the clocks repeat, and reminds a day later at the same time of day', async () => {
    // 1 November 2026: New York's 01:30 comes at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    await fireSlot(t, 'checkins', new Date('2026-11-01T05:25:00Z'));
    expect(promptsTo(PEOPLE.hal)).toBe(0);
    await fireSlot(t, 'checkins', new Date('2026-11-01T05:30:00Z'));
    expect(promptsTo(PEOPLE.hal)).toBe(1);
    // A day after 01:30 EDT on Sunday is 01:30 EST on Monday: 25 hours, at 06:30 UTC.
    await fireSlot(t, 'checkins', new Date('2026-11-02T06:25:00Z'));
    expect(remindersTo(PEOPLE.hal)).toBe(0);
    await fireSlot(t, 'checkins', new Date('2026-11-02T06:30:00Z'));
    expect(remindersTo(PEOPLE.hal)).toBe(1);
  });

  it('opens at a time the clocks skip when the jump has passed: 02:30 on 14 March 2027 is 03:30 EDT', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'group', { channel: CHANNELS.backbone });
    await t.slack.clickButton(PEOPLE.bea, 'Edit', { near: 'Housing' });
    const form = t.slack.modal(PEOPLE.bea);
    form.time('Check-in time', '02:30');
    expect((await form.submit(PEOPLE.bea)).body).toBe('');
    await t.settled();
    const prompts = promptsTo(PEOPLE.hal);
    const reminders = remindersTo(PEOPLE.hal);
    // 06:30 UTC would be 01:30 EST, an hour before the time asked for; 07:30 UTC is 03:30 EDT.
    await fireSlot(t, 'checkins', new Date('2027-03-14T06:30:00Z'));
    await fireSlot(t, 'checkins', new Date('2027-03-14T07:25:00Z'));
    expect(promptsTo(PEOPLE.hal)).toBe(prompts);
    await fireSlot(t, 'checkins', new Date('2027-03-14T07:30:00Z'));
    expect(promptsTo(PEOPLE.hal)).toBe(prompts + 1);
    // A day after 03:30 EDT on Sunday is 03:30 EDT on Monday.
    await fireSlot(t, 'checkins', new Date('2027-03-15T07:25:00Z'));
    expect(remindersTo(PEOPLE.hal)).toBe(reminders);
    await fireSlot(t, 'checkins', new Date('2027-03-15T07:30:00Z'));
    expect(remindersTo(PEOPLE.hal)).toBe(reminders + 1);
  });
});

describe('a proposal’s closing time', () => {
  it('is read in a Santiago proposer’s zone: 00:30 on the night midnight is skipped closes at 01:30 that day', async () => {
    t.clock.set('2026-09-01T12:00:00Z');
    await setCore(t, [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl, SOFIA]);
    const answer = await propose(t, SOFIA, 'Meet on the coast', 'other', (form) => {
      form.date('Voting closes on', '2026-09-06').time('at', '00:30');
    });
    expect(answer.body).toBe('');
    await t.settled();
    expect(await latestProposal(t)).toMatchObject({
      title: 'Meet on the coast',
      closes_at: new Date('2026-09-06T04:30:00Z'),
    });
    // Saturday 23:30 in Santiago (03:30 UTC) is not its deadline; 04:30 UTC is.
    await fireSlot(t, 'proposals', new Date('2026-09-06T03:30:00Z'));
    await fireSlot(t, 'proposals', new Date('2026-09-06T04:29:00Z'));
    expect((await latestProposal(t)).status).toBe('open');
    await fireSlot(t, 'proposals', new Date('2026-09-06T04:30:00Z'));
    expect(await latestProposal(t)).toMatchObject({ status: 'closed', close_reason: 'deadline' });
  });
});

describe('an action step in the evening', () => {
  it('is dated that day where its owner is, in its history and in the message it is done in', async () => {
    // Friday 27 November, 21:30 in New York, already Saturday in UTC: Bea puts Fay down for a step.
    t.clock.set('2026-11-28T02:30:00Z');
    await t.slack.command(PEOPLE.bea, '/commit', 'Sweep the hall', { channel: CHANNELS.food });
    const form = t.slack.modal(PEOPLE.bea);
    form.pick('Who will do it', PEOPLE.fay).date('Done by', '2026-11-30');
    expect((await form.submit(PEOPLE.bea)).body).toBe('');
    await t.settled();
    await t.slack.clickButton(PEOPLE.fay, 'Open', { in: 'message' });
    expect(JSON.stringify(t.fake.lastView())).toContain(`Fri 27 Nov · <@${PEOPLE.bea}> created it`);
    // Fay marks it done a few minutes later, still Friday evening for her.
    t.clock.set('2026-11-28T02:40:00Z');
    await t.slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food });
    await t.slack.clickButton(PEOPLE.fay, 'Done', { in: 'ephemeral' });
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text).toBe(
      `:white_check_mark: Sweep the hall: done, marked by <@${PEOPLE.fay}> on Fri 27 Nov.`,
    );
  });
});

describe('the public decision records', () => {
  it('date a decision by the workspace’s calendar', async () => {
    // Ben in New York proposes on Sunday 6 September, closing at 22:00 that day: 02:00 UTC on the 7th.
    t.clock.set('2026-09-06T18:00:00Z');
    const answer = await propose(t, PEOPLE.ben, 'Late vote', 'other', (form) => {
      form.date('Voting closes on', '2026-09-06').time('at', '22:00');
    });
    expect(answer.body).toBe('');
    await fireSlot(t, 'proposals', new Date('2026-09-07T02:00:00Z'));
    const records = (await (await fetch(`${t.url}/records.json`)).json()) as {
      decisions: { title: string; decidedOn: string }[];
    };
    expect(records.decisions.find((r) => r.title === 'Late vote')?.decidedOn).toBe('2026-09-06');
  });
});
