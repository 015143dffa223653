import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findWorkspace } from '../../src/db/workspaces.js';
import { rolesOf } from '../../src/services/roles.js';
import { startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, recordedMembers, seedWorkspace } from '../harness/coalition.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ adminIds: ['UNAMED'] });
  seedWorkspace(t.fake);
  t.fake.addUser({ id: 'UNAMED', name: 'named', realName: 'Named Admin' });
  t.fake.addChannel({ id: 'GSECRET', name: 'secret', isPrivate: true, members: [PEOPLE.bea] });
});
afterAll(() => t.stop());
beforeEach(() => t.fake.clearCalls());

const members = (channel: string) => recordedMembers(t, channel);

describe('/concert setup before Concert is set up', () => {
  it('refuses someone who is not a workspace admin or owner, writing nothing', async () => {
    await t.slack.command(PEOPLE.fay, '/concert', 'setup');
    await t.settled();
    expect(t.fake.callsTo('views.open')).toEqual([]);
    const [refusal] = t.fake.ephemerals(PEOPLE.fay);
    expect(refusal?.text).toMatch(/^Only a workspace admin or owner .* can set Concert up/);
    expect(await findWorkspace(t.db, TEAM_ID)).toBeUndefined();
  });

  it('opens the form for a Concert admin named in CONCERT_ADMIN_IDS', async () => {
    await t.slack.command('UNAMED', '/concert', 'setup');
    await t.settled();
    expect(t.fake.callsTo('views.open')).toHaveLength(1);
    expect(t.fake.lastView()?.title?.text).toBe('Set up Concert');
  });

  it('answers mistakes under their fields and saves nothing', async () => {
    await t.slack.command(PEOPLE.admin, '/concert', 'setup');
    const modal = t.slack.modal();
    modal.pick('Core channel', CHANNELS.core);
    modal.pick('Backbone channel', CHANNELS.core);
    modal.time('Working day starts', '17:00');
    modal.time('Working day ends', '09:00');
    modal.check('Working days', []);
    const result = await modal.submit(PEOPLE.admin);
    expect(result.status).toBe(200);
    expect(result.body.response_action).toBe('errors');
    expect(t.slack.fieldErrors(result)).toEqual({
      'Backbone channel': 'The backbone needs its own channel, separate from the Core’s.',
      'Working day ends': 'The working day has to end after it starts.',
      'Working days': 'Choose at least one working day.',
    });
    expect(await findWorkspace(t.db, TEAM_ID)).toBeUndefined();
  });

  it('asks for an invitation to a private channel it cannot see', async () => {
    await t.slack.command(PEOPLE.admin, '/concert', 'setup');
    const modal = t.slack.modal();
    modal.pick('Core channel', 'GSECRET');
    modal.pick('Backbone channel', CHANNELS.backbone);
    const result = await modal.submit(PEOPLE.admin);
    expect(t.slack.fieldErrors(result)).toEqual({
      'Core channel':
        'Concert can’t see this private channel yet. Type /invite @Concert in it, then try again.',
    });
    expect(await findWorkspace(t.db, TEAM_ID)).toBeUndefined();
  });

  it('saves the settings, joins the channels and records who is in them, bots left out', async () => {
    await t.slack.command(PEOPLE.admin, '/concert', 'setup');
    const modal = t.slack.modal();
    modal.pick('Core channel', CHANNELS.core);
    modal.pick('Backbone channel', CHANNELS.backbone);
    modal.select('Default time zone', 'America/Chicago');
    modal.time('Working day starts', '08:30');
    modal.time('Working day ends', '18:00');
    modal.check('Working days', ['Monday', 'Tuesday', 'Wednesday', 'Thursday']);
    modal.select('Overdue nudges every', '3 days');
    modal.select('Overdue nudges at most', '2 times');
    modal.select('Tell the backbone after', '5 days overdue');
    const result = await modal.submit(PEOPLE.admin);
    expect(result.body).toBe('');
    await t.settled();

    const workspace = await findWorkspace(t.db, TEAM_ID);
    expect(workspace).toMatchObject({
      core_channel_id: CHANNELS.core,
      backbone_channel_id: CHANNELS.backbone,
      default_tz: 'America/Chicago',
      workday_start_minute: 8 * 60 + 30,
      workday_end_minute: 18 * 60,
      working_days: [1, 2, 3, 4],
      nudge_repeat_days: 3,
      nudge_max_overdue: 2,
      escalate_after_days: 5,
      set_up_by: PEOPLE.admin,
    });
    expect(
      [CHANNELS.backbone, CHANNELS.core].filter((c) => t.fake.channelMembers(c).includes('UBOT')),
    ).toEqual([CHANNELS.backbone, CHANNELS.core]);
    expect(await members(CHANNELS.core)).toEqual([PEOPLE.ben, PEOPLE.carl, PEOPLE.cora].sort());
    expect(await members(CHANNELS.backbone)).toEqual([PEOPLE.bea, PEOPLE.ben].sort());

    const [notice] = t.fake.messages(CHANNELS.backbone);
    expect(notice?.text).toContain(`<@${PEOPLE.admin}> set Concert up.`);
    expect(notice?.text).toContain(`Core: <#${CHANNELS.core}> (3 members)`);
    expect(notice?.text).toContain('08:30–18:00 on Monday, Tuesday, Wednesday and Thursday');
    expect(t.fake.homeView(PEOPLE.admin)).toBeDefined();
    expect(t.fake.rejections).toEqual([]);
  });

  it('reads the roles from the channels', async () => {
    const ben = await rolesOf(t.db, TEAM_ID, PEOPLE.ben);
    expect([ben.isBackbone, ben.isCore]).toEqual([true, true]);
    const carl = await rolesOf(t.db, TEAM_ID, PEOPLE.carl);
    expect([carl.isBackbone, carl.isCore]).toEqual([false, true]);
    const admin = await rolesOf(t.db, TEAM_ID, PEOPLE.admin);
    expect([admin.isSetUp, admin.isBackbone, admin.isCore]).toEqual([true, false, false]);
  });
});

describe('/concert setup once Concert is set up', () => {
  it('belongs to the backbone: a workspace admin outside it is refused, naming the channel', async () => {
    await t.slack.command(PEOPLE.admin, '/concert', 'setup', { channel: CHANNELS.general });
    await t.settled();
    expect(t.fake.callsTo('views.open')).toEqual([]);
    expect(t.fake.ephemerals(PEOPLE.admin).at(-1)?.text).toBe(
      `Only members of the backbone channel <#${CHANNELS.backbone}> can set Concert up. Ask one of them, or ask to join the channel.`,
    );
  });

  it('opens for a backbone member with the current settings filled in', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'setup', { channel: CHANNELS.backbone });
    await t.settled();
    const view = t.fake.lastView();
    const core = view?.blocks.find((b: { block_id?: string }) => b.block_id === 'setup_core');
    expect(core?.element?.initial_conversation).toBe(CHANNELS.core);
  });

  it('refuses a submission from someone who left the backbone while the form was open', async () => {
    await t.slack.command(PEOPLE.ben, '/concert', 'setup', { channel: CHANNELS.backbone });
    const modal = t.slack.modal();
    await t.slack.event(
      { type: 'member_left_channel', user: PEOPLE.ben, channel: CHANNELS.backbone, team: TEAM_ID },
      { eventId: 'EvBENLEFT' },
    );
    await t.settled();
    modal.time('Working day starts', '07:00');
    const result = await modal.submit(PEOPLE.ben);
    expect(Object.values(t.slack.fieldErrors(result))).toEqual([
      `Only members of the backbone channel <#${CHANNELS.backbone}> can set Concert up. Ask one of them, or ask to join the channel.`,
    ]);
    expect((await findWorkspace(t.db, TEAM_ID))?.workday_start_minute).toBe(8 * 60 + 30);
  });
});
