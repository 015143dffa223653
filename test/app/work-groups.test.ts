import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listActiveWorkGroups } from '../../src/db/work-groups.js';
import { rolesOf } from '../../src/services/roles.js';
import { startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';
import {
  addWorkGroup,
  CHANNELS,
  PEOPLE,
  recordedMembers,
  seedWorkspace,
  setUpCoalition,
} from '../harness/coalition.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  seedWorkspace(t.fake);
});
afterAll(() => t.stop());
beforeEach(() => t.fake.clearCalls());

const members = (channel: string) => recordedMembers(t, channel);

describe('/concert group', () => {
  it('is refused before setup, saying how setup happens', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'group');
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.bea).at(-1)?.text).toMatch(
      /^Concert isn’t set up yet, so nobody can add or edit work groups\. A workspace admin or owner runs `\/concert setup` first/,
    );
    expect(t.fake.callsTo('views.open')).toEqual([]);
  });

  it('is refused to anyone outside the backbone, naming the backbone channel; nothing is written', async () => {
    await setUpCoalition(t);
    t.fake.clearCalls();
    await t.slack.command(PEOPLE.cora, '/concert', 'group', { channel: CHANNELS.food });
    await t.slack.command(PEOPLE.cora, '/concert', `group <#${CHANNELS.food}|food-access>`, {
      channel: CHANNELS.food,
    });
    await t.settled();
    const refusals = t.fake.ephemerals(PEOPLE.cora).map((e) => e.text);
    expect(refusals).toEqual([
      `Only members of the backbone channel <#${CHANNELS.backbone}> can add or edit work groups. Ask one of them, or ask to join the channel.`,
      `Only members of the backbone channel <#${CHANNELS.backbone}> can add or edit work groups. Ask one of them, or ask to join the channel.`,
    ]);
    expect(t.fake.callsTo('views.open')).toEqual([]);
    expect(await listActiveWorkGroups(t.db, TEAM_ID)).toEqual([]);
  });

  it('lists the work groups for the backbone, with a button to add one', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'group', { channel: CHANNELS.backbone });
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.bea).at(-1)?.text).toMatch(/There are no work groups yet/);
    await t.slack.clickButton(PEOPLE.bea, 'Add a work group');
    await t.settled();
    expect(t.fake.lastView()?.title?.text).toBe('Add a work group');
  });

  it('answers mistakes under their fields and writes nothing', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'group', { channel: CHANNELS.backbone });
    await t.slack.clickButton(PEOPLE.bea, 'Add a work group');
    const modal = t.slack.modal();
    modal.fill('Name', 'x'.repeat(81));
    modal.pick('Channel', CHANNELS.core);
    const tooLong = await modal.submit(PEOPLE.bea);
    expect(t.slack.fieldErrors(tooLong)).toEqual({
      Name: 'Keep the name to 80 characters or fewer (this one has 81).',
      Channel: 'That is the Core channel. Choose the work group’s own channel.',
    });
    modal.fill('Name', '   ');
    modal.pick('Channel', CHANNELS.backbone);
    const blank = await modal.submit(PEOPLE.bea);
    expect(t.slack.fieldErrors(blank)).toEqual({
      Name: 'Give the work group a name.',
      Channel: 'That is the backbone channel. Choose the work group’s own channel.',
    });
    expect(await listActiveWorkGroups(t.db, TEAM_ID)).toEqual([]);
  });

  it('adds a work group bound to its channel; its human members become the group', async () => {
    await addWorkGroup(t, { name: 'Food Access', channel: CHANNELS.food, day: 'Tuesday', time: '14:30' });
    const [group] = await listActiveWorkGroups(t.db, TEAM_ID);
    expect(group).toMatchObject({
      name: 'Food Access',
      channel_id: CHANNELS.food,
      checkin_weekday: 2,
      checkin_minute: 14 * 60 + 30,
      tz_mode: 'group',
      tz: 'America/New_York',
      created_by: PEOPLE.bea,
    });
    expect(await members(CHANNELS.food)).toEqual([PEOPLE.cora, PEOPLE.fay, PEOPLE.finn].sort());
    expect(t.fake.messages(CHANNELS.backbone).at(-1)?.text).toBe(
      `<@${PEOPLE.bea}> added the work group *Food Access* in <#${CHANNELS.food}>: check-in Tuesdays at 14:30 (America/New_York) · 3 members.`,
    );

    const cora = await rolesOf(t.db, TEAM_ID, PEOPLE.cora);
    expect(cora.workGroups.map((g) => g.name)).toEqual(['Food Access']);
    expect(cora.representativeOf.map((g) => g.name)).toEqual(['Food Access']);
    const fay = await rolesOf(t.db, TEAM_ID, PEOPLE.fay);
    expect([fay.isCore, fay.workGroups.length, fay.representativeOf.length]).toEqual([false, 1, 0]);
  });

  it('refuses a second group with the same name or the same channel', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'group', { channel: CHANNELS.backbone });
    await t.slack.clickButton(PEOPLE.bea, 'Add a work group');
    const modal = t.slack.modal();
    modal.fill('Name', 'food access');
    modal.pick('Channel', CHANNELS.food);
    expect(t.slack.fieldErrors(await modal.submit(PEOPLE.bea))).toEqual({
      Name: 'There is already a work group called “Food Access”.',
      Channel: 'That channel already belongs to the work group “Food Access”.',
    });
  });

  it('adds a group in a private channel Concert was invited to, on members’ own time zones', async () => {
    await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing, zone: 'member' });
    const housing = (await listActiveWorkGroups(t.db, TEAM_ID)).find((g) => g.name === 'Housing');
    expect(housing?.tz_mode).toBe('member');
    expect(await members(CHANNELS.housing)).toEqual([PEOPLE.hal]);
    expect(t.fake.callsTo('conversations.join')).toEqual([]);
  });

  it('edits a group from the list; its id travels with the form', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'group', { channel: CHANNELS.backbone });
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.bea).at(-1)?.text).toBe('Work groups: Food Access, Housing');
    await t.slack.clickButton(PEOPLE.bea, 'Edit');
    const modal = t.slack.modal();
    expect(t.fake.lastView()?.title?.text).toBe('Edit work group');
    modal.fill('Name', 'Food Justice');
    modal.select('Check-in day', 'Thursday');
    expect((await modal.submit(PEOPLE.bea)).body).toBe('');
    await t.settled();
    const groups = await listActiveWorkGroups(t.db, TEAM_ID);
    expect(groups.map((g) => [g.name, g.checkin_weekday])).toEqual([
      ['Food Justice', 4],
      ['Housing', 1],
    ]);
    expect(t.fake.messages(CHANNELS.backbone).at(-1)?.text).toMatch(
      /updated the work group \*Food Justice\*/,
    );
  });

  it('shows the backbone its work groups on App Home', async () => {
    await t.slack.event({ type: 'app_home_opened', user: PEOPLE.ben, channel: 'DBEN', tab: 'home' });
    await t.settled();
    const home = JSON.stringify(t.fake.homeView(PEOPLE.ben));
    expect(home).toContain('You are in the backbone and the Core.');
    expect(home).toContain('*Food Justice*');
    expect(home).toContain('Add a work group');

    await t.slack.event({ type: 'app_home_opened', user: PEOPLE.cora, channel: 'DCORA', tab: 'home' });
    await t.settled();
    const coraHome = JSON.stringify(t.fake.homeView(PEOPLE.cora));
    expect(coraHome).toContain('You represent *Food Justice* in the Core.');
    expect(coraHome).not.toContain('Add a work group');
    expect(t.fake.rejections).toEqual([]);
  });
});
