import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { addWorkGroup, CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { fireSlot } from '../harness/scheduler.js';

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
  // Cora is in Food Access and, from here on, in Housing too.
  t.fake.channels.get(CHANNELS.housing)?.members.push(PEOPLE.cora);
  await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing, day: 'Wednesday' });
});
afterAll(() => t.stop());

describe('check-in rules', () => {
  it('renders a valid form for a member with 20 open action steps, and says where the rest are', async () => {
    t.clock.set('2026-11-24T15:00:00Z');
    const group = await t.db
      .selectFrom('work_groups')
      .select('id')
      .where('name', '=', 'Food Access')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('action_steps')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          team_id: 'T0001',
          title: `Task number ${String(i + 1).padStart(2, '0')} with a long enough title to fill the label`,
          owner_id: PEOPLE.finn,
          created_by: PEOPLE.finn,
          work_group_id: group.id,
          due_date: `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`,
          first_due_date: '2026-12-01',
          source: 'commit' as const,
        })),
      )
      .execute();
    t.fake.clearCalls();
    await t.slack.command(PEOPLE.finn, '/checkin', '', { channel: CHANNELS.food });
    expect(t.fake.rejections).toEqual([]);
    const view = t.fake.lastView();
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const stepQuestions = view.blocks.filter((b: { block_id?: string }) =>
      b.block_id?.startsWith('ci_step_status_'),
    );
    expect(stepQuestions.length).toBe(25);
    expect(JSON.stringify(view.blocks)).toContain('And 5 more, due later: update them with `/commit list`.');
    expect(view.blocks[1].label.text).toBe('Intention');

    // The off-cycle report is taken: nothing open now, so the next round counts it.
    const form = t.slack.modal(PEOPLE.finn);
    form.fill('Intention', 'Work through the backlog').radio('Progress toward the intention', '🟢 On track');
    for (const block of view.blocks.filter((b: { block_id?: string }) =>
      b.block_id?.startsWith('ci_step_status_'),
    ))
      form.select(block.label.text, 'In progress');
    expect((await form.submit(PEOPLE.finn)).body).toBe('');
    await t.settled();
    const [report] = await t.db
      .selectFrom('checkins')
      .selectAll()
      .where('user_id', '=', PEOPLE.finn)
      .execute();
    expect(report).toMatchObject({ status: 'answered', round_id: null });

    await fireSlot(t, 'checkins', new Date('2026-11-30T15:00:00Z'));
    const counted = await t.db
      .selectFrom('checkins')
      .selectAll()
      .where('user_id', '=', PEOPLE.finn)
      .execute();
    expect(counted).toEqual([
      expect.objectContaining({ id: report?.id, status: 'answered', round_id: expect.any(Number) }),
    ]);
    expect(t.fake.messages(PEOPLE.finn).some((m) => m.text.startsWith('Time for the weekly check-in'))).toBe(
      false,
    );
  });

  it('asks a member of several groups which one, and tells someone in none where check-ins come from', async () => {
    const several = await t.slack.command(PEOPLE.cora, '/checkin', '', { channel: CHANNELS.general });
    expect(several.body.text).toBe('Which work group are you checking in for?');
    await t.slack.clickButton(PEOPLE.cora, 'Housing', { in: 'ephemeral' });
    expect(t.fake.lastView().blocks[0].elements[0].text).toMatch(/^\*Housing\* · an off-cycle report/);

    const none = await t.slack.command(PEOPLE.carl, '/checkin', '');
    expect(none.body.text).toMatch(/^Check-ins are for the members of work groups/);
  });

  it('checks the away day and the words it is given', async () => {
    t.clock.set('2026-12-01T15:00:00Z');
    const cases: [string, RegExp][] = [
      ['away until soon', /^Say the last day you are away as a date/],
      ['away until 2026-11-30', /^That day has already passed/],
      ['away until 2028-01-01', /^Say a day within a year/],
      ['away until 2027-02-30', /^Say the last day you are away as a date/],
      ['away 2026-12-08', /^You are away until Tue 8 Dec, inclusive/],
      ['frobnicate', /^I don’t know `\/checkin frobnicate`/],
      ['back', /^Welcome back\. You will be asked to check in again\. Your check-in this week is open again/],
      ['back', /^You were not marked away\.$/],
    ];
    for (const [text, expected] of cases) {
      const answer = await t.slack.command(PEOPLE.fay, '/checkin', text);
      expect([text, answer.body.text]).toEqual([text, expect.stringMatching(expected)]);
    }
  });

  it('takes the reminder and the close from the group’s settings, and refuses a reminder after the close', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'group', { channel: CHANNELS.backbone });
    await t.slack.clickButton(PEOPLE.bea, 'Edit', { near: 'Housing' });
    const form = t.slack.modal(PEOPLE.bea);
    form.select('Remind those who have not answered', '3 days after it opens');
    form.select('Close the round and post the summary', '1 day after it opens');
    expect(t.slack.fieldErrors(await form.submit(PEOPLE.bea))).toEqual({
      'Remind those who have not answered':
        'The reminder has to come before the check-in closes. Choose an earlier reminder or a later close.',
    });
    form.select('Remind those who have not answered', '4 hours after it opens');
    expect((await form.submit(PEOPLE.bea)).body).toBe('');
    const housing = await t.db
      .selectFrom('work_groups')
      .selectAll()
      .where('name', '=', 'Housing')
      .executeTakeFirstOrThrow();
    expect([housing.checkin_reminder_hours, housing.checkin_close_hours]).toEqual([4, 24]);

    // The next Wednesday's round runs on them: asked at 10:00 New York, reminded at 14:00, summed up a day on.
    const hal = () => t.fake.messages(PEOPLE.hal).map((m) => m.text);
    const summaries = () =>
      t.fake.messages(CHANNELS.housing).filter((m) => m.text.startsWith('Check-in · Housing'));
    await fireSlot(t, 'checkins', new Date('2026-12-09T15:00:00Z'));
    expect(hal().at(-1)).toBe('Time for the weekly check-in of Housing.');
    await fireSlot(t, 'checkins', new Date('2026-12-09T18:45:00Z'));
    expect(hal().at(-1)).toBe('Time for the weekly check-in of Housing.');
    await fireSlot(t, 'checkins', new Date('2026-12-09T19:00:00Z'));
    expect(hal().at(-1)).toBe('A reminder: your check-in for Housing is still open.');
    await fireSlot(t, 'checkins', new Date('2026-12-10T14:45:00Z'));
    expect(summaries()).toHaveLength(0);
    await fireSlot(t, 'checkins', new Date('2026-12-10T15:00:00Z'));
    expect(summaries()).toHaveLength(1);
  });

  it('counts a report filed before going away as the next round’s answer', async () => {
    // Every round so far has closed: nothing is open for Cora.
    await fireSlot(t, 'checkins', new Date('2026-12-03T18:00:00Z'));
    await t.slack.command(PEOPLE.cora, '/checkin', '', { channel: CHANNELS.general });
    await t.slack.clickButton(PEOPLE.cora, 'Food Access', { in: 'ephemeral' });
    const form = t.slack.modal(PEOPLE.cora);
    form
      .fill('Intention', 'Hand over before the break')
      .radio('Progress toward the intention', '🟢 On track');
    expect((await form.submit(PEOPLE.cora)).body).toBe('');
    await t.slack.command(PEOPLE.cora, '/checkin', 'away until 2026-12-08');
    await fireSlot(t, 'checkins', new Date('2026-12-07T15:00:00Z'));
    const round = await t.db
      .selectFrom('checkins')
      .innerJoin('checkin_rounds', 'checkin_rounds.id', 'checkins.round_id')
      .select(['checkins.status', 'checkins.intention', 'checkin_rounds.round_date'])
      .where('checkins.user_id', '=', PEOPLE.cora)
      .where('checkin_rounds.round_date', '=', '2026-12-07')
      .execute();
    expect(round).toEqual([
      { status: 'answered', intention: 'Hand over before the break', round_date: '2026-12-07' },
    ]);
  });

  it('takes a form opened just before the round opened as that round’s answer', async () => {
    await fireSlot(t, 'checkins', new Date('2026-12-14T14:45:00Z'));
    t.clock.set('2026-12-14T14:58:00Z');
    await t.slack.command(PEOPLE.fay, '/checkin', '', { channel: CHANNELS.food });
    const form = t.slack.modal(PEOPLE.fay);
    expect(t.fake.lastView().blocks[0].elements[0].text).toMatch(/an off-cycle report/);
    await fireSlot(t, 'checkins', new Date('2026-12-14T15:00:00Z'));
    expect(t.slack.canSee(PEOPLE.fay, 'Start check-in', { in: 'message' })).toBe(true);

    t.clock.set('2026-12-14T15:04:00Z');
    form.fill('Intention', 'Plan the winter pantry').radio('Progress toward the intention', '🟢 On track');
    expect((await form.submit(PEOPLE.fay)).body).toBe('');
    await t.settled();
    const rows = await t.db
      .selectFrom('checkins')
      .leftJoin('checkin_rounds', 'checkin_rounds.id', 'checkins.round_id')
      .select(['checkins.status', 'checkin_rounds.round_date'])
      .where('checkins.user_id', '=', PEOPLE.fay)
      .where('checkins.intention', '=', 'Plan the winter pantry')
      .execute();
    expect(rows).toEqual([{ status: 'answered', round_date: '2026-12-14' }]);
    expect(t.slack.canSee(PEOPLE.fay, 'Start check-in', { in: 'message' })).toBe(false);
  });

  it('keeps a round open until the last member’s own close, when a time zone is learnt mid-round', async () => {
    const setTz = (userId: string, tz: string | null) =>
      t.db
        .insertInto('people')
        .values({
          team_id: 'T0001',
          user_id: userId,
          name: userId,
          tz,
          is_bot: false,
          is_admin: false,
          is_owner: false,
          deleted: false,
          refreshed_at: new Date('2026-12-21T00:00:00Z'),
        })
        .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ tz }))
        .execute();
    await t.db
      .updateTable('work_groups')
      .set({ tz_mode: 'member' })
      .where('name', '=', 'Food Access')
      .execute();
    await setTz(PEOPLE.fay, 'Europe/Berlin');
    await setTz(PEOPLE.finn, 'America/New_York');
    await setTz(PEOPLE.cora, null);
    // Monday 10:00 in Berlin opens the round; Cora's zone is not known yet, so the group's (New York) stands in.
    await fireSlot(t, 'checkins', new Date('2026-12-21T09:00:00Z'));
    // Before her New York 10:00 comes, Slack tells us she is in Los Angeles: she is asked at 10:00 there.
    await setTz(PEOPLE.cora, 'America/Los_Angeles');
    await fireSlot(t, 'checkins', new Date('2026-12-21T15:00:00Z'));
    await fireSlot(t, 'checkins', new Date('2026-12-21T18:00:00Z'));
    const coraIn = () =>
      t.db
        .selectFrom('checkins')
        .innerJoin('checkin_rounds', 'checkin_rounds.id', 'checkins.round_id')
        .select(['checkins.status', 'checkins.closes_at', 'checkin_rounds.closed_at'])
        .where('checkins.user_id', '=', PEOPLE.cora)
        .where('checkin_rounds.round_date', '=', '2026-12-21')
        .executeTakeFirstOrThrow();
    expect(await coraIn()).toMatchObject({ status: 'pending', closes_at: new Date('2026-12-23T18:00:00Z') });
    // New York's close passes with Cora's window still open; hers closes the round.
    await fireSlot(t, 'checkins', new Date('2026-12-23T15:00:00Z'));
    expect(await coraIn()).toMatchObject({ status: 'pending', closed_at: null });
    await fireSlot(t, 'checkins', new Date('2026-12-23T18:00:00Z'));
    expect(await coraIn()).toMatchObject({ status: 'missed', closed_at: new Date('2026-12-23T18:00:00Z') });
  });
});
