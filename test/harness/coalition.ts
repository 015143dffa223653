import { expect } from 'vitest';
import { SIGNING_SECRET, startTestApp, type TestApp, type TestAppOptions } from './app.js';
import { SlackDriver } from './driver.js';
import type { FakeSlack } from './fake-slack.js';

/**
 * A small coalition, the same in every test that needs one: an admin, a backbone, a Core whose members
 * also sit in work group channels, someone in nothing, and a bot that must never count as a person.
 */
export const PEOPLE = {
  admin: 'UADMIN',
  bea: 'UBEA', // backbone
  ben: 'UBEN', // backbone and Core
  cora: 'UCORA', // Core, and member of the food work group (its representative)
  carl: 'UCARL', // Core
  fay: 'UFAY', // food work group
  finn: 'UFINN', // food work group, in another time zone
  hal: 'UHAL', // housing work group
  nobody: 'UNOBODY', // in no role channel
  bot: 'UOTHERBOT', // another app's bot
} as const;

export const CHANNELS = {
  core: 'CCORE',
  backbone: 'CBACKBONE',
  food: 'CFOOD',
  housing: 'GHOUSING', // private
  general: 'CGENERAL',
} as const;

export function seedWorkspace(fake: FakeSlack): void {
  const p = PEOPLE;
  fake.addUser({ id: p.admin, name: 'ada', realName: 'Ada Admin', tz: 'America/New_York', isAdmin: true });
  fake.addUser({ id: p.bea, name: 'bea', realName: 'Bea Backbone', tz: 'America/Chicago' });
  fake.addUser({ id: p.ben, name: 'ben', realName: 'Ben Both', tz: 'America/New_York' });
  fake.addUser({ id: p.cora, name: 'cora', realName: 'Cora Core', tz: 'America/Los_Angeles' });
  fake.addUser({ id: p.carl, name: 'carl', realName: 'Carl Core', tz: 'America/Denver' });
  fake.addUser({ id: p.fay, name: 'fay', realName: 'Fay Food', tz: 'America/New_York' });
  fake.addUser({ id: p.finn, name: 'finn', realName: 'Finn Food', tz: 'Europe/Berlin' });
  fake.addUser({ id: p.hal, name: 'hal', realName: 'Hal Housing', tz: 'America/Chicago' });
  fake.addUser({ id: p.nobody, name: 'nobody', realName: 'No Body', tz: 'America/New_York' });
  fake.addUser({ id: p.bot, name: 'otherbot', realName: 'Other Bot', isBot: true });
  fake.addChannel({ id: CHANNELS.core, name: 'core', members: [p.ben, p.cora, p.carl, p.bot] });
  fake.addChannel({ id: CHANNELS.backbone, name: 'backbone', members: [p.bea, p.ben] });
  fake.addChannel({ id: CHANNELS.food, name: 'food-access', members: [p.cora, p.fay, p.finn, p.bot] });
  fake.addChannel({
    id: CHANNELS.housing,
    name: 'housing',
    isPrivate: true,
    members: [p.hal],
    botIsMember: true,
  });
  fake.addChannel({ id: CHANNELS.general, name: 'general', members: Object.values(p) });
}

/** Runs `/concert setup` as the workspace admin, through the real app, and waits for it to finish. */
export async function setUpCoalition(t: TestApp): Promise<void> {
  await t.slack.command(PEOPLE.admin, '/concert', 'setup', { channel: CHANNELS.general });
  const modal = t.slack.modal();
  modal.pick('Core channel', CHANNELS.core);
  modal.pick('Backbone channel', CHANNELS.backbone);
  const result = await modal.submit(PEOPLE.admin);
  expect(result.status).toBe(200);
  expect(result.body).toBe('');
  await t.settled();
}

/** Adds a work group through `/concert group` as a backbone member. */
export async function addWorkGroup(
  t: TestApp,
  fields: { name: string; channel: string; day?: string; time?: string; zone?: 'group' | 'member' },
): Promise<void> {
  await t.slack.command(PEOPLE.bea, '/concert', `group <#${fields.channel}>`, { channel: CHANNELS.backbone });
  const modal = t.slack.modal();
  modal.fill('Name', fields.name);
  if (fields.day) modal.select('Check-in day', fields.day);
  if (fields.time) modal.time('Check-in time', fields.time);
  if (fields.zone === 'member') modal.radio('Whose time zone', 'Each member’s own time zone');
  const result = await modal.submit(PEOPLE.bea);
  expect(result.body).toBe('');
  await t.settled();
}

/** Who Concert has recorded in a channel, sorted. */
export async function recordedMembers(t: TestApp, channel: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('channel_members')
    .select('user_id')
    .where('channel_id', '=', channel)
    .execute();
  return rows.map((r) => r.user_id).sort();
}

/** `/commit title` in the food channel, with a due date: the way a member makes an action step. */
export async function commitStep(t: TestApp, user: string, title: string, due: string): Promise<void> {
  await t.slack.command(user, '/commit', title, { channel: CHANNELS.food });
  const modal = t.slack.modal(user);
  modal.date('Done by', due);
  expect((await modal.submit(user)).body).toBe('');
}

/** The real app with the test coalition set up (New York, 09:00–17:00, Monday to Friday) and its food work group. */
export async function startCoalition(options: TestAppOptions = {}): Promise<TestApp> {
  const t = await startTestApp(options);
  seedWorkspace(t.fake);
  await setUpCoalition(t);
  await addWorkGroup(t, { name: 'Food Access', channel: CHANNELS.food });
  return t;
}

/**
 * Requests to the same test app from another workspace: `teamId`, and with `enterpriseId` a workspace of that
 * Enterprise Grid org, where Concert is installed org-wide.
 */
export function workspaceDriver(t: TestApp, teamId: string, enterpriseId?: string): SlackDriver {
  return new SlackDriver({
    appUrl: t.url,
    signingSecret: SIGNING_SECRET,
    fake: t.fake,
    teamId,
    ...(enterpriseId ? { enterpriseId } : {}),
    settle: () => t.concert.inFlight.settled(),
  });
}

/**
 * A coalition set up through one workspace's own requests (`slack`): setup by the admin (with a public records
 * address if given), the work group `group` on the food channel, and Fay's action step `step` for `owner`,
 * due `due`. Each form must be taken.
 */
export async function coalitionIn(
  t: TestApp,
  slack: SlackDriver,
  made: { group: string; step: string; owner?: string; due: string; recordsAddress?: string },
): Promise<void> {
  await slack.command(PEOPLE.admin, '/concert', 'setup', { channel: CHANNELS.general });
  const setup = slack.modal(PEOPLE.admin);
  setup.pick('Core channel', CHANNELS.core);
  setup.pick('Backbone channel', CHANNELS.backbone);
  if (made.recordsAddress) setup.fill('Public records address', made.recordsAddress);
  expect((await setup.submit(PEOPLE.admin)).body).toBe('');
  await t.settled();
  await slack.command(PEOPLE.bea, '/concert', `group <#${CHANNELS.food}>`, { channel: CHANNELS.backbone });
  const group = slack.modal(PEOPLE.bea);
  group.fill('Name', made.group);
  expect((await group.submit(PEOPLE.bea)).body).toBe('');
  await t.settled();
  await slack.command(PEOPLE.fay, '/commit', made.step, { channel: CHANNELS.food });
  const step = slack.modal(PEOPLE.fay);
  if (made.owner) step.pick('Who will do it', made.owner);
  step.date('Done by', made.due);
  expect((await step.submit(PEOPLE.fay)).body).toBe('');
  await t.settled();
}
