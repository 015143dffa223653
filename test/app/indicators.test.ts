import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { indicatorChanges, listIndicators } from '../../src/db/indicators.js';
import { startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';
import { addWorkGroup, CHANNELS, PEOPLE, seedWorkspace, setUpCoalition } from '../harness/coalition.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  seedWorkspace(t.fake);
  await setUpCoalition(t);
  await addWorkGroup(t, { name: 'Food Access', channel: CHANNELS.food });
  await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing });
});
afterAll(() => t.stop());
beforeEach(() => t.fake.clearCalls());

async function openAddForm() {
  await t.slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
  await t.settled();
  await t.slack.clickButton(PEOPLE.bea, 'Add an indicator');
  await t.settled();
  return t.slack.modal(PEOPLE.bea);
}

describe('/concert indicators', () => {
  it('is refused to anyone outside the backbone, saying who may; nothing is opened', async () => {
    await t.slack.command(PEOPLE.fay, '/concert', 'indicators', { channel: CHANNELS.food });
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text).toBe(
      `Only members of the backbone channel <#${CHANNELS.backbone}> can define or change the shared indicators. Ask one of them, or ask to join the channel.`,
    );
    expect(t.fake.callsTo('views.open')).toEqual([]);
  });

  it('answers mistakes under their fields and writes nothing', async () => {
    const modal = await openAddForm();
    expect(t.fake.ephemerals(PEOPLE.bea)[0]?.text).toMatch(/no shared indicators yet/);
    modal.fill('Name', '  ');
    modal.fill('Unit', '');
    modal.fill('Target', 'lots');
    const answer = await modal.submit(PEOPLE.bea);
    expect(t.slack.fieldErrors(answer)).toEqual({
      Name: 'Give the indicator a name, like “Households served”.',
      Unit: 'Say what is counted, like “households”.',
      Target: 'Enter a number, like 120.',
      'Reported by': 'Choose the work groups that report it.',
    });
    modal.fill('Name', 'Households served');
    modal.fill('Unit', 'households');
    modal.fill('Target', '-5');
    modal.selectMany('Reported by', ['Food Access']);
    expect(t.slack.fieldErrors(await modal.submit(PEOPLE.bea))).toEqual({
      Target: 'Enter 0 or more: households can’t be below zero.',
    });
    modal.fill('Target', '500');
    expect(t.slack.fieldErrors(await modal.submit(PEOPLE.bea))).toEqual({
      'Target date': 'Choose the date the target is for.',
    });
    expect(await listIndicators(t.db, TEAM_ID)).toEqual([]);
  });

  it('defines an indicator: name, unit, direction, target and its date, frequency, the groups reporting it', async () => {
    const modal = await openAddForm();
    modal.fill('Name', 'Households served');
    modal.fill('Unit', 'households');
    modal.fill('Target', '1,200');
    modal.date('Target date', '2027-06-30');
    modal.selectMany('Reported by', ['Food Access', 'Housing']);
    expect((await modal.submit(PEOPLE.bea)).body).toBe('');
    // The same form again (a double click) defines nothing more.
    expect((await modal.submit(PEOPLE.bea)).body).toBe('');
    await t.settled();
    const [indicator, ...others] = await listIndicators(t.db, TEAM_ID);
    expect(others).toEqual([]);
    expect(indicator).toMatchObject({
      name: 'Households served',
      unit: 'households',
      up_is_better: true,
      negative_allowed: false,
      target: 1200,
      target_date: '2027-06-30',
      frequency: 'weekly',
      status: 'active',
      created_by: PEOPLE.bea,
    });
    expect(t.fake.messages(PEOPLE.bea).at(-1)?.text).toBe(
      'Added the indicator *Households served* (households, higher is better · weekly · target 1,200 households by 30 Jun 2027).',
    );
    await t.slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
    await t.settled();
    expect(JSON.stringify(t.fake.ephemerals(PEOPLE.bea).at(-1)?.blocks)).toContain(
      'reported by Food Access, Housing',
    );
  });

  it('shows the backbone the indicators on its App Home, with a button to add one', async () => {
    await t.slack.event({ type: 'app_home_opened', user: PEOPLE.bea, tab: 'home', channel: 'DBEA' });
    await t.settled();
    expect(JSON.stringify(t.fake.homeView(PEOPLE.bea))).toContain(
      '*Shared indicators:* Households served. `/concert indicators` to edit or retire one.',
    );
    await t.slack.clickButton(PEOPLE.bea, 'Add an indicator', { in: 'home' });
    await t.settled();
    expect(t.slack.modal(PEOPLE.bea).view.title.text).toBe('Add an indicator');
    await t.slack.event({ type: 'app_home_opened', user: PEOPLE.fay, tab: 'home', channel: 'DFAY' });
    await t.settled();
    expect(JSON.stringify(t.fake.homeView(PEOPLE.fay))).not.toContain('Shared indicators');
  });

  it('refuses a second active indicator of the same name', async () => {
    const modal = await openAddForm();
    modal.fill('Name', 'households SERVED');
    modal.fill('Unit', 'households');
    modal.selectMany('Reported by', ['Housing']);
    expect(t.slack.fieldErrors(await modal.submit(PEOPLE.bea))).toEqual({
      Name: 'There is already an indicator called “Households served”.',
    });
  });

  it('changes and retires an indicator, never deleting it; every change is kept', async () => {
    const [indicator] = await listIndicators(t.db, TEAM_ID);
    await t.slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
    await t.settled();
    await t.slack.clickButton(PEOPLE.bea, 'Edit');
    await t.settled();
    const edit = t.slack.modal(PEOPLE.bea);
    expect(edit.value('Name').value).toBe('Households served');
    edit.radio('Reported', 'monthly');
    edit.selectMany('Reported by', ['Housing']);
    expect((await edit.submit(PEOPLE.bea)).body).toBe('');
    await t.settled();

    await t.slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
    await t.settled();
    await t.slack.clickButton(PEOPLE.bea, 'Edit');
    await t.settled();
    const retire = t.slack.modal(PEOPLE.bea);
    retire.radio('Status', 'retired');
    expect((await retire.submit(PEOPLE.bea)).body).toBe('');
    await t.settled();

    const [kept] = await listIndicators(t.db, TEAM_ID);
    expect(kept).toMatchObject({ id: indicator?.id, status: 'retired', frequency: 'monthly' });
    expect(kept?.retired_at).toBeInstanceOf(Date);
    const changes = await indicatorChanges(t.db, TEAM_ID, indicator?.id as number);
    expect(changes.map((c) => [c.kind, c.actor_id, c.fields.frequency, c.fields.groupIds])).toEqual([
      ['defined', PEOPLE.bea, 'weekly', [expect.any(Number), expect.any(Number)]],
      ['changed', PEOPLE.bea, 'monthly', [expect.any(Number)]],
      ['retired', PEOPLE.bea, 'monthly', [expect.any(Number)]],
    ]);
    // A retired indicator has no Edit button; its name is free for a new one.
    await t.slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
    await t.settled();
    const list = JSON.stringify(t.fake.ephemerals(PEOPLE.bea).at(-1)?.blocks);
    expect(list).toContain('_retired_');
    expect(list).not.toContain('indicator_edit');
  });
});
