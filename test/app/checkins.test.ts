import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, startCoalition } from '../harness/coalition.js';
import type { ModalForm } from '../harness/driver.js';
import { fireSlot } from '../harness/scheduler.js';

// Food Access checks in on Mondays at 10:00 New York time (15:00 UTC): reminded a day later, closed after two.
const OPENS = new Date('2026-11-30T15:00:00Z');
const REMINDER = new Date('2026-12-01T15:00:00Z');
const CLOSES = new Date('2026-12-02T15:00:00Z');

let t: TestApp;
/** Fay's form stays open across a refusal, with what she typed, as it does in Slack. */
let form: ModalForm;

beforeAll(async () => {
  t = await startCoalition();
  t.clock.set('2026-11-24T15:00:00Z');
  await commitStep(t, PEOPLE.fay, 'Step A', '2026-12-02');
  await commitStep(t, PEOPLE.fay, 'Step B', '2026-12-04');
  await commitStep(t, PEOPLE.fay, 'Step C', '2026-12-10');
});
afterAll(() => t.stop());

const steps = () => t.db.selectFrom('action_steps').selectAll().orderBy('id').execute();
const checkinOf = (user: string) =>
  t.db.selectFrom('checkins').selectAll().where('user_id', '=', user).orderBy('id').execute();
const dmTexts = (user: string) => t.fake.messages(user).map((m) => m.text);

describe('a weekly round, through the real app', () => {
  it('asks each member once at the open, by DM with their open steps and two buttons', async () => {
    t.fake.clearCalls();
    expect(await fireSlot(t, 'checkins', new Date(OPENS.getTime() - 5 * 60_000))).toBe(true);
    expect(t.fake.callsTo('chat.postMessage')).toEqual([]);

    expect(await fireSlot(t, 'checkins', OPENS)).toBe(true);
    expect(await fireSlot(t, 'checkins', new Date(OPENS.getTime() + 5 * 60_000))).toBe(true);
    const prompts = t.fake
      .callsTo('chat.postMessage')
      .map((c) => c.args.channel)
      .sort();
    expect(prompts).toEqual([PEOPLE.cora, PEOPLE.fay, PEOPLE.finn].sort());
    const prompt = t.fake.messages(PEOPLE.fay).at(-1);
    expect(prompt?.text).toBe('Time for the weekly check-in of Food Access.');
    expect(JSON.stringify(prompt?.blocks)).toContain('You have 3 open action steps in this group.');
    expect(t.slack.canSee(PEOPLE.fay, 'Start check-in', { in: 'message' })).toBe(true);
    expect(t.slack.canSee(PEOPLE.fay, 'Skip this week', { in: 'message' })).toBe(true);
    await t.slack.event({ type: 'app_home_opened', user: PEOPLE.fay, tab: 'home', channel: 'DFAY' });
    expect(JSON.stringify(t.fake.homeView(PEOPLE.fay))).toContain(
      'Your weekly check-in for *Food Access* is waiting.',
    );
    expect(t.slack.canSee(PEOPLE.fay, 'Start check-in', { in: 'home' })).toBe(true);
    expect(t.fake.rejections).toEqual([]);
  });

  it('refuses a dropped step without a reason, off track without a note and a next step in the past, inline', async () => {
    t.clock.set('2026-11-30T16:00:00Z');
    await t.slack.clickButton(PEOPLE.fay, 'Start check-in', { in: 'message' });
    form = t.slack.modal(PEOPLE.fay);
    const modal = form;
    expect(modal.labels().slice(0, 4)).toEqual([
      'Intention',
      'Step A',
      'New date, if it moves',
      'Reason or note',
    ]);
    modal
      .fill('Intention', 'Get the pantry schedule out')
      .select('Step A', 'Dropped')
      .select('Step B', 'In progress')
      .select('Step C', 'Not started')
      .radio('Progress toward the intention', '🔴 Off track')
      .fill('Next step 1', 'Call the county')
      .date('Next step 1 › Done by', '2026-11-27');
    const answer = await modal.submit(PEOPLE.fay);
    expect(t.slack.fieldErrors(answer)).toEqual({
      'Reason or note': 'Say why it is being dropped.',
      'About that': 'Say what put it off track.',
      'Done by': 'That date has already passed. Choose today or a later date.',
    });
    expect(await checkinOf(PEOPLE.fay)).toMatchObject([{ status: 'pending', intention: null }]);
    expect((await steps()).map((s) => s.status)).toEqual(['open', 'open', 'open']);
  });

  it('saves the report, changes steps through their own rules, and makes next steps; a retry changes nothing', async () => {
    const modal = form;
    modal
      .select('Step A', 'Done')
      .select('Step B', 'In progress')
      .date('Step B › New date, if it moves', '2026-12-09')
      .fill('Step B › Reason or note', 'The printer is booked')
      .fill('Actions taken since last check-in', 'Met the pantry leads')
      .radio('Progress toward the intention', '🟡 At risk')
      .fill('About that', 'Volunteers are short')
      .date('Next step 1 › Done by', '2026-12-03')
      .fill('Next step 2', 'Draft the flyer')
      .date('Next step 2 › Done by', '2026-12-04')
      .pick('Next step 2 › Who', PEOPLE.finn)
      .fill('Support needed', 'A venue for the volunteer training');
    const first = await modal.submit(PEOPLE.fay);
    expect(first.body).toBe('');
    const again = await modal.submit(PEOPLE.fay);
    expect(again.body).toBe('');
    await t.settled();

    const [checkin, ...others] = await checkinOf(PEOPLE.fay);
    expect(others).toEqual([]);
    expect(checkin).toMatchObject({
      status: 'answered',
      intention: 'Get the pantry schedule out',
      actions_taken: 'Met the pantry leads',
      assessment: 'at_risk',
      assessment_note: 'Volunteers are short',
      support_needed: 'A venue for the volunteer training',
      late: false,
    });
    const all = await steps();
    expect(all.map((s) => [s.title, s.status, s.due_date, s.owner_id, s.source])).toEqual([
      ['Step A', 'done', '2026-12-02', PEOPLE.fay, 'commit'],
      ['Step B', 'open', '2026-12-09', PEOPLE.fay, 'commit'],
      ['Step C', 'open', '2026-12-10', PEOPLE.fay, 'commit'],
      ['Call the county', 'open', '2026-12-03', PEOPLE.fay, 'checkin'],
      ['Draft the flyer', 'open', '2026-12-04', PEOPLE.finn, 'checkin'],
    ]);
    const events = await t.db
      .selectFrom('action_step_events')
      .select(['action_step_id', 'kind', 'actor_id', 'old_due_date', 'new_due_date', 'note'])
      .where('kind', '!=', 'created')
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      {
        action_step_id: all[0]?.id,
        kind: 'done',
        actor_id: PEOPLE.fay,
        old_due_date: '2026-12-02',
        new_due_date: null,
        note: null,
      },
      {
        action_step_id: all[1]?.id,
        kind: 'renegotiated',
        actor_id: PEOPLE.fay,
        old_due_date: '2026-12-04',
        new_due_date: '2026-12-09',
        note: 'The printer is booked',
      },
    ]);

    // The prompt stops offering what is done; Finn hears of the step he was given; the backbone of the support.
    const prompt = t.fake.messages(PEOPLE.fay).find((m) => m.text.includes('Food Access'));
    expect(prompt?.text).toBe('You checked in for Food Access.');
    expect(t.slack.canSee(PEOPLE.fay, 'Start check-in', { in: 'message' })).toBe(false);
    expect(dmTexts(PEOPLE.finn).some((text) => text.includes('Draft the flyer'))).toBe(true);
    const support = t.fake.messages(CHANNELS.backbone).filter((m) => m.text.includes('asks for support'));
    expect(support.map((m) => m.text)).toEqual([
      `<@${PEOPLE.fay}> asks for support in their check-in for Food Access.`,
    ]);
    expect(JSON.stringify(t.fake.homeView(PEOPLE.fay))).toContain(
      'You checked in for *Food Access* this week.',
    );
    expect(t.fake.rejections).toEqual([]);
  });

  it('records a skip, reminds only the silent, once, and sums up the round at the close', async () => {
    t.clock.set('2026-11-30T17:00:00Z');
    await t.slack.clickButton(PEOPLE.finn, 'Skip this week', { in: 'message' });
    expect(await checkinOf(PEOPLE.finn)).toMatchObject([{ status: 'skipped' }]);
    expect(dmTexts(PEOPLE.finn)).toContain('You skipped this week’s check-in for Food Access.');
    expect(t.slack.canSee(PEOPLE.finn, 'Check in after all', { in: 'message' })).toBe(true);

    t.fake.clearCalls();
    for (const at of [
      REMINDER,
      new Date(REMINDER.getTime() + 5 * 60_000),
      new Date(REMINDER.getTime() + 3_600_000),
    ])
      await fireSlot(t, 'checkins', at);
    const reminders = t.fake.callsTo('chat.postMessage');
    expect(reminders.map((c) => [c.args.channel, c.args.text])).toEqual([
      [PEOPLE.cora, 'A reminder: your check-in for Food Access is still open.'],
    ]);

    t.fake.clearCalls();
    await fireSlot(t, 'checkins', new Date(CLOSES.getTime() - 5 * 60_000));
    expect(t.fake.callsTo('chat.postMessage')).toEqual([]);
    await fireSlot(t, 'checkins', CLOSES);
    await fireSlot(t, 'checkins', new Date(CLOSES.getTime() + 5 * 60_000));
    const inChannel = t.fake.messages(CHANNELS.food);
    const summary = inChannel.filter((m) => m.text.startsWith('Check-in · Food Access'));
    expect(summary.map((m) => m.text)).toEqual([
      'Check-in · Food Access · Mon 30 Nov: 1 of 3 answered, 1 skipped, 1 not answered.',
    ]);
    const parent = summary[0];
    expect(parent?.blocks?.[1].text.text).toBe(
      '*1 of 3* answered · 1 skipped · 1 not answered\n🟢 On track 0 · 🟡 At risk 1 · 🔴 Off track 0',
    );
    expect(parent?.blocks?.[2].text.text).toBe(
      `*Answered:* <@${PEOPLE.fay}>\n*Skipped:* <@${PEOPLE.finn}>\n*Not answered:* <@${PEOPLE.cora}>`,
    );
    const thread = inChannel.filter((m) => m.thread_ts === parent?.ts);
    expect(thread.map((m) => m.text)).toEqual([`Check-in from <@${PEOPLE.fay}>: 🟡 At risk`]);
    const report = JSON.stringify(thread[0]?.blocks);
    expect(report).toContain('✅ Step A: done');
    expect(report).toContain('⏳ Step B: in progress, now due Wed 9 Dec — The printer is booked');
    expect(report).toContain('⬜ Step C: not started');
    expect(report).toContain(`Draft the flyer — <@${PEOPLE.finn}>, by Fri 4 Dec`);
    const statuses = await t.db
      .selectFrom('checkins')
      .select(['user_id', 'status'])
      .orderBy('user_id')
      .execute();
    expect(statuses).toEqual([
      { user_id: PEOPLE.cora, status: 'missed' },
      { user_id: PEOPLE.fay, status: 'answered' },
      { user_id: PEOPLE.finn, status: 'skipped' },
    ]);
    // Cora's prompt and reminder no longer offer a skip, only a late report; Finn's skip stays as it was.
    expect(t.slack.canSee(PEOPLE.cora, 'Skip this week', { in: 'message' })).toBe(false);
    expect(t.slack.canSee(PEOPLE.cora, 'Start check-in', { in: 'message' })).toBe(false);
    expect(dmTexts(PEOPLE.cora).filter((text) => text.includes('closed without your report'))).toHaveLength(
      2,
    );
    expect(t.slack.canSee(PEOPLE.finn, 'Check in after all', { in: 'message' })).toBe(true);
    expect(t.fake.rejections).toEqual([]);
  });

  it('takes a late answer into the thread and the counts, and an edit rewrites its reply', async () => {
    t.clock.set('2026-12-03T15:00:00Z');
    await t.slack.clickButton(PEOPLE.cora, 'Check in late', { in: 'message' });
    const late = t.slack.modal(PEOPLE.cora);
    late.fill('Intention', 'Find a venue').radio('Progress toward the intention', '🟢 On track');
    expect((await late.submit(PEOPLE.cora)).body).toBe('');
    await t.settled();
    expect(await checkinOf(PEOPLE.cora)).toMatchObject([{ status: 'answered', late: true }]);
    expect(t.slack.canSee(PEOPLE.cora, 'Check in late', { in: 'message' })).toBe(false);
    expect(dmTexts(PEOPLE.cora)).toContain('You checked in for Food Access.');

    const parent = t.fake.messages(CHANNELS.food).find((m) => m.text.startsWith('Check-in · Food Access'));
    expect(parent?.text).toBe(
      'Check-in · Food Access · Mon 30 Nov: 2 of 3 answered, 1 skipped, 0 not answered.',
    );
    const replies = () => t.fake.messages(CHANNELS.food).filter((m) => m.thread_ts === parent?.ts);
    expect(replies().map((m) => m.text)).toEqual([
      `Check-in from <@${PEOPLE.fay}>: 🟡 At risk`,
      `Check-in from <@${PEOPLE.cora}>: 🟢 On track`,
    ]);

    // Since her check-in moved Step B to the 9th, Fay has moved it again, to the 15th, from /commit list.
    await t.slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food });
    await t.slack.clickButton(PEOPLE.fay, 'New date', { in: 'ephemeral', near: 'Step B' });
    const moved = t.slack.modal(PEOPLE.fay);
    moved.date('New date', '2026-12-15').fill('Why the date is changing', 'The printer broke');
    expect((await moved.submit(PEOPLE.fay)).body).toBe('');
    const stepB = (await steps()).find((s) => s.title === 'Step B');
    expect(stepB?.due_date).toBe('2026-12-15');
    const eventsOfB = () =>
      t.db.selectFrom('action_step_events').select('kind').where('action_step_id', '=', stepB!.id).execute();
    const renegotiations = (await eventsOfB()).length;

    // Editing after the close: the answer stays on time, and Step B's later date stands.
    await t.slack.clickButton(PEOPLE.fay, 'Edit check-in', { in: 'message' });
    const edit = t.slack.modal(PEOPLE.fay);
    expect(edit.value('Intention')).toMatchObject({ value: 'Get the pantry schedule out' });
    expect(edit.labels()).not.toContain('Step A');
    expect(edit.value('Step B › New date, if it moves')).toMatchObject({ selected_date: null });
    edit.radio('Progress toward the intention', '🟢 On track').fill('About that', '');
    expect((await edit.submit(PEOPLE.fay)).body).toBe('');
    await t.settled();
    expect(replies().map((m) => m.text)).toEqual([
      `Check-in from <@${PEOPLE.fay}>: 🟢 On track`,
      `Check-in from <@${PEOPLE.cora}>: 🟢 On track`,
    ]);
    expect(await checkinOf(PEOPLE.fay)).toMatchObject([{ status: 'answered', late: false }]);
    expect(JSON.stringify(replies()[0]?.blocks)).not.toContain('_late_');
    expect(JSON.stringify(replies()[1]?.blocks)).toContain('_late_');
    expect((await steps()).find((s) => s.title === 'Step B')?.due_date).toBe('2026-12-15');
    expect(await eventsOfB()).toHaveLength(renegotiations);
    expect((await steps()).filter((s) => s.source === 'checkin')).toHaveLength(2);
    expect(t.fake.rejections).toEqual([]);
  });
});
