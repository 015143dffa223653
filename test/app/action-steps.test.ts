import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
  // Monday 23 November 2026, 10:00 in New York.
  t.clock.set('2026-11-23T15:00:00Z');
});
afterAll(() => t.stop());
beforeEach(() => t.fake.clearCalls());

const steps = () => t.db.selectFrom('action_steps').selectAll().orderBy('id').execute();
const events = (stepId: number) =>
  t.db
    .selectFrom('action_step_events')
    .selectAll()
    .where('action_step_id', '=', stepId)
    .orderBy('id')
    .execute();

async function commit(
  user: string,
  text: string,
  fields: { due?: string; owner?: string; title?: string } = {},
) {
  await t.slack.command(user, '/commit', text, { channel: CHANNELS.food });
  const modal = t.slack.modal(user);
  if (fields.title !== undefined) modal.fill('What will be done', fields.title);
  if (fields.owner) modal.pick('Who will do it', fields.owner);
  if (fields.due) modal.date('Done by', fields.due);
  return modal.submit(user);
}

describe('/commit', () => {
  it('opens the form prefilled: the text, me as owner, my only work group', async () => {
    await t.slack.command(PEOPLE.fay, '/commit', 'Call the food bank about Saturday hours', {
      channel: CHANNELS.food,
    });
    const modal = t.slack.modal(PEOPLE.fay);
    expect(modal.value('What will be done').value).toBe('Call the food bank about Saturday hours');
    expect(modal.value('Who will do it').selected_user).toBe(PEOPLE.fay);
    expect(modal.value('Work group').selected_option.text.text).toBe('Food Access');
    expect(t.fake.lastView()?.title.text).toBe('New action step');

    // Slack sends a command's text with &, < and > escaped and mentions as markup: the form reads as typed.
    await t.slack.command(PEOPLE.fay, '/commit', 'Ask <@UCORA|cora> for the R&amp;D budget &lt;draft&gt;', {
      channel: CHANNELS.food,
    });
    expect(t.slack.modal(PEOPLE.fay).value('What will be done').value).toBe(
      'Ask @cora for the R&D budget <draft>',
    );
  });

  it('answers mistakes under their fields and writes nothing', async () => {
    const before = (await steps()).length;
    const empty = await commit(PEOPLE.fay, '', { due: '2026-11-20' });
    expect(t.slack.fieldErrors(empty)).toEqual({
      'What will be done': 'Say what will be done.',
      'Done by': 'That date has already passed. Choose today or a later date.',
    });
    const long = await commit(PEOPLE.fay, '', { title: 'x'.repeat(151), due: '2026-11-30' });
    expect(t.slack.fieldErrors(long)).toEqual({
      'What will be done': 'Keep the title to 150 characters or fewer (this one has 151).',
    });
    const noDate = await commit(PEOPLE.fay, 'Something', {});
    expect(t.slack.fieldErrors(noDate)).toEqual({ 'Done by': 'Choose the date it will be done by.' });
    const bot = await commit(PEOPLE.fay, 'Something', { owner: PEOPLE.bot, due: '2026-11-30' });
    expect(t.slack.fieldErrors(bot)).toEqual({
      'Who will do it': 'Choose a person. An app or a deactivated account can’t own an action step.',
    });
    expect((await steps()).length).toBe(before);
  });

  it('saves a step with its first event and confirms it where it was asked', async () => {
    const result = await commit(PEOPLE.fay, 'Call the food bank', { due: '2026-11-25' });
    expect(result.body).toBe('');
    const [step] = (await steps()).slice(-1);
    expect(step).toMatchObject({
      title: 'Call the food bank',
      owner_id: PEOPLE.fay,
      created_by: PEOPLE.fay,
      due_date: '2026-11-25',
      first_due_date: '2026-11-25',
      status: 'open',
      source: 'commit',
    });
    expect((await events(step!.id)).map((e) => [e.kind, e.actor_id, e.new_due_date])).toEqual([
      ['created', PEOPLE.fay, '2026-11-25'],
    ]);
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text).toBe(
      'Saved: *Call the food bank*, due Wed 25 Nov, owner you.',
    );
    expect(JSON.stringify(t.fake.homeView(PEOPLE.fay))).toContain('Call the food bank');
  });

  it('tells someone else who is put down for a step, with a button to open it', async () => {
    await commit(PEOPLE.bea, 'Draft the MOU', { owner: PEOPLE.finn, due: '2026-11-27' });
    const [dm] = t.fake.messages(PEOPLE.finn);
    expect(dm?.text).toBe(`<@${PEOPLE.bea}> put you down for an action step: Draft the MOU`);
    await t.slack.clickButton(PEOPLE.finn, 'Open');
    expect(t.fake.lastView()?.title.text).toBe('Action step');
    expect(JSON.stringify(t.fake.lastView())).toContain(`<@${PEOPLE.bea}> created it`);
    // Bea is not in the food channel, so the confirmation comes to her DM with the app instead.
    expect(t.fake.messages(PEOPLE.bea).at(-1)?.text).toContain('They have been told.');
  });

  it('lists my open steps, soonest first, with their buttons', async () => {
    await commit(PEOPLE.fay, 'Book the hall', { due: '2026-11-24' });
    await t.slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food });
    const list = t.fake.ephemerals(PEOPLE.fay).at(-1);
    expect(list?.text).toBe('Your open action steps: 2.');
    const lines = (list?.blocks ?? [])
      .filter((b: { type: string }) => b.type === 'section')
      .map((b: { text: { text: string } }) => b.text.text);
    expect(lines.slice(1)).toEqual([
      '*Book the hall* — due tomorrow (Tue 24 Nov) · Food Access',
      '*Call the food bank* — due Wed 25 Nov · Food Access',
    ]);
    expect(t.fake.rejections).toEqual([]);
  });

  it('is refused before Concert is set up, saying how it gets set up', async () => {
    const other = await startTestApp({ fake: t.fake });
    try {
      const answer = await other.slack.command(PEOPLE.fay, '/commit', 'anything');
      expect(answer.body.text).toMatch(/^Concert isn’t set up yet, so nobody can make action steps/);
    } finally {
      await other.stop();
    }
  });
});

describe('the message shortcut', () => {
  it('prefills from the message and keeps its permalink', async () => {
    t.fake.setMembers(CHANNELS.food, [...t.fake.channelMembers(CHANNELS.food), 'UBOT']);
    const posted = await t.concert.app.client.chat.postMessage({
      channel: CHANNELS.food,
      text: 'We should ask <@UCORA|cora> to email the district & the board\nby Friday if possible',
    });
    await t.slack.messageShortcut(PEOPLE.cora, 'make_action_step', {
      channel: CHANNELS.food,
      ts: posted.ts as string,
      text: 'We should ask <@UCORA|cora> to email the district &amp; the board\nby Friday if possible',
      user: PEOPLE.fay,
    });
    const modal = t.slack.modal(PEOPLE.cora);
    expect(modal.value('What will be done').value).toBe(
      'We should ask @cora to email the district & the board',
    );
    expect(modal.value('Who will do it').selected_user).toBe(PEOPLE.cora);
    modal.date('Done by', '2026-11-27');
    expect((await modal.submit(PEOPLE.cora)).body).toBe('');
    const step = (await steps()).at(-1);
    expect(step?.source).toBe('shortcut');
    expect(step?.permalink).toMatch(/^https:\/\/coalition\.slack\.com\/archives\/CFOOD\/p\d+/);
    expect(step?.details).toContain('by Friday if possible');
  });
});

describe('changing a step', () => {
  it('records Done once, however often it is clicked or redelivered', async () => {
    await t.slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food });
    const click = await t.slack.clickButton(PEOPLE.fay, 'Done', { nth: 0 });
    const step = (await steps()).find((s) => s.title === 'Book the hall');
    expect(step?.status).toBe('done');
    // Slack's retry of the same click, then a second click on a stale copy of the list.
    await t.slack.clickButton(PEOPLE.fay, 'Done', { triggerId: click.triggerId, retryNum: 1, in: 'home' });
    const doneEvents = (await events(step!.id)).filter((e) => e.kind === 'done');
    expect(doneEvents).toHaveLength(1);
    // The list it was clicked in now says what happened instead of offering the buttons again.
    expect(
      t.fake.ephemerals(PEOPLE.fay).some((e) => e.text.startsWith(':white_check_mark: Book the hall: done')),
    ).toBe(true);
  });

  it('refuses anyone but the owner, the maker or the backbone, saying who may', async () => {
    const step = (await steps()).find((s) => s.title === 'Call the food bank');
    await t.slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food });
    const list = t.fake.ephemerals(PEOPLE.fay).at(-1);
    // Hal has the same message in front of him (forwarded); his click is refused.
    t.fake.showEphemeral(PEOPLE.hal, CHANNELS.food, { text: list?.text, blocks: list?.blocks });
    await t.slack.clickButton(PEOPLE.hal, 'Done');
    await t.slack.clickButton(PEOPLE.hal, 'Drop');
    const refusals = t.fake
      .ephemerals(PEOPLE.hal)
      .slice(-2)
      .map((e) => e.text);
    const expected = `Only <@${PEOPLE.fay}> (who owns it), <@${PEOPLE.fay}> (who made it) or members of the backbone channel <#${CHANNELS.backbone}> can change this action step.`;
    expect(refusals).toEqual([expected, expected]);
    expect(t.fake.callsTo('views.open')).toEqual([]);
    expect((await events(step!.id)).map((e) => e.kind)).toEqual(['created']);
  });

  it('needs a reason to drop or to move the date, and keeps the old date', async () => {
    const step = (await steps()).find((s) => s.title === 'Call the food bank')!;
    await t.slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food });
    await t.slack.clickButton(PEOPLE.fay, 'Drop');
    expect(t.slack.fieldErrors(await t.slack.modal(PEOPLE.fay).submit(PEOPLE.fay))).toEqual({
      'Why it is being dropped': 'Say why it is being dropped.',
    });
    await t.slack.clickButton(PEOPLE.fay, 'New date', { in: 'ephemeral' });
    const newDate = t.slack.modal(PEOPLE.fay);
    newDate.date('New date', '2026-11-25');
    expect(t.slack.fieldErrors(await newDate.submit(PEOPLE.fay))).toEqual({
      'New date': 'That is the date already agreed. Choose a new one.',
      'Why the date is changing': 'Say why the date is changing.',
    });
    expect((await events(step.id)).map((e) => e.kind)).toEqual(['created']);

    newDate
      .date('New date', '2026-12-02')
      .fill('Why the date is changing', 'The food bank is closed until Tuesday');
    expect((await newDate.submit(PEOPLE.fay)).body).toBe('');
    const moved = (await events(step.id)).at(-1);
    expect(moved).toMatchObject({
      kind: 'renegotiated',
      old_due_date: '2026-11-25',
      new_due_date: '2026-12-02',
      note: 'The food bank is closed until Tuesday',
      actor_id: PEOPLE.fay,
    });
    expect((await steps()).find((s) => s.id === step.id)).toMatchObject({
      due_date: '2026-12-02',
      first_due_date: '2026-11-25',
    });
  });

  it('sends a request for support to the backbone channel with the step', async () => {
    await t.slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food });
    await t.slack.clickButton(PEOPLE.fay, 'Need support');
    const modal = t.slack.modal(PEOPLE.fay);
    modal.fill('What help would move this forward', 'An introduction to the food bank director');
    expect((await modal.submit(PEOPLE.fay)).body).toBe('');
    const posted = t.fake.messages(CHANNELS.backbone).at(-1);
    expect(posted?.text).toBe('Call the food bank: support requested');
    expect(JSON.stringify(posted?.blocks)).toContain('An introduction to the food bank director');
    const step = (await steps()).find((s) => s.title === 'Call the food bank')!;
    expect((await events(step.id)).at(-1)).toMatchObject({ kind: 'support_requested', actor_id: PEOPLE.fay });
    expect(step.status).toBe('open');
  });
});

describe('/concert nudge', () => {
  it('is the backbone’s: anyone else is refused, naming the backbone channel', async () => {
    await t.slack.command(PEOPLE.cora, '/concert', `nudge <@${PEOPLE.finn}|finn>`, {
      channel: CHANNELS.food,
    });
    expect(t.fake.ephemerals(PEOPLE.cora).at(-1)?.text).toBe(
      `Only members of the backbone channel <#${CHANNELS.backbone}> can nudge people about their action steps. Ask one of them, or ask to join the channel.`,
    );
    expect(t.fake.messages(PEOPLE.finn).length).toBe(1);
  });

  it('DMs the person about each step due or overdue, and records it', async () => {
    t.clock.set('2026-11-28T15:00:00Z'); // Finn's MOU was due the 27th
    await t.slack.command(PEOPLE.bea, '/concert', `nudge <@${PEOPLE.finn}|finn>`, {
      channel: CHANNELS.backbone,
    });
    expect(t.fake.ephemerals(PEOPLE.bea).at(-1)?.text).toBe(
      `Nudged <@${PEOPLE.finn}> by DM about 1 action step.`,
    );
    const dm = t.fake.messages(PEOPLE.finn).at(-1);
    expect(dm?.text).toContain(`<@${PEOPLE.bea}> from the backbone is checking in on this one.`);
    expect(dm?.text).toContain('Draft the MOU was due Fri 27 Nov, 1 day ago.');
    const step = (await steps()).find((s) => s.title === 'Draft the MOU')!;
    expect((await events(step.id)).at(-1)).toMatchObject({ kind: 'nudged', actor_id: PEOPLE.bea });

    // Finn marks it done from the DM: the DM stops offering buttons.
    await t.slack.clickButton(PEOPLE.finn, 'Done', { in: 'message' });
    const updated = t.fake.messages(PEOPLE.finn).at(-1);
    expect(updated?.text).toBe(
      `:white_check_mark: Draft the MOU: done, marked by <@${PEOPLE.finn}> on Sat 28 Nov.`,
    );
    expect(JSON.stringify(updated?.blocks)).not.toContain('"type":"button"');
    expect(t.fake.messages(PEOPLE.finn)[0]?.blocks?.some((b) => b.type === 'actions')).toBe(false);

    await t.slack.command(PEOPLE.bea, '/concert', `nudge <@${PEOPLE.finn}|finn>`, {
      channel: CHANNELS.backbone,
    });
    expect(t.fake.ephemerals(PEOPLE.bea).at(-1)?.text).toBe(
      `<@${PEOPLE.finn}> has no open action steps that are due or overdue.`,
    );
    expect(t.fake.rejections).toEqual([]);
  });
});
