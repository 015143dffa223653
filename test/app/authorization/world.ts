import { expect } from 'vitest';
import { PROPOSAL } from '../../../src/views/ids.js';
import { SIGNING_SECRET, TEAM_ID, type TestApp } from '../../harness/app.js';
import { CHANNELS, commitStep, PEOPLE } from '../../harness/coalition.js';
import { SlackDriver } from '../../harness/driver.js';
import { slackUser } from '../../harness/fake-slack.js';
import { latestProposal, propose } from '../../harness/proposals.js';
import { fireSlot } from '../../harness/scheduler.js';
import { type Actor, ROLES, type Role, type World } from './cases.js';

export const DEE = 'UDEE'; // was backbone, Core and Food Access; deactivated in Slack
export const EXTERNAL = 'UEXTERNAL'; // a person of another workspace
export const OTHER_TEAM = 'T0002';

/**
 * The coalition's fixed objects for the matrices, made through the app in the set-up coalition of T0001
 * (`t.slack`): Fay's overdue step, a decided and an open proposal, an open check-in round, and Dee, once in
 * every role, now deactivated. Every row is read by the coalition's own team, so a second workspace on the
 * same database (the isolation matrix) changes nothing here.
 */
export async function buildWorld(t: TestApp): Promise<World> {
  t.clock.set('2026-11-24T15:00:00Z');
  t.fake.addUser({ id: DEE, name: 'dee', realName: 'Dee Departed', tz: 'America/New_York' });
  for (const channel of [CHANNELS.backbone, CHANNELS.core, CHANNELS.food]) {
    t.fake.channels.get(channel)?.members.push(DEE);
    await t.slack.event({ type: 'member_joined_channel', user: DEE, channel, channel_type: 'C' });
  }
  await commitStep(t, PEOPLE.fay, 'Stock the pantry', '2026-11-27');
  const step = await t.db
    .selectFrom('action_steps')
    .select('id')
    .where('team_id', '=', TEAM_ID)
    .where('title', '=', 'Stock the pantry')
    .executeTakeFirstOrThrow();

  // A decision for the log: proposed by Carl, closed early by the backbone.
  await propose(t, PEOPLE.carl, 'Shared calendar');
  await t.settled();
  const decided = await latestProposal(t);
  const close = { text: { type: 'plain_text', text: 'Close' }, value: `close:${decided.id}` };
  await t.slack.blockAction(
    PEOPLE.bea,
    { kind: 'message', channel: CHANNELS.core, ts: '1700000000.000300', blocks: [] },
    { block_id: 'm' },
    { type: 'overflow', action_id: PROPOSAL.MORE, options: [close], selected_option: close },
  );
  await t.settled();
  expect((await latestProposal(t)).status).toBe('closed');
  expect(decided.title).toBe('Shared calendar');

  // Food Access's round opens on Monday at 10:00 in New York.
  await fireSlot(t, 'checkins', new Date('2026-11-30T15:00:00Z'));
  t.clock.set('2026-11-30T16:00:00Z');
  const checkinOf = (user: string) =>
    t.db
      .selectFrom('checkins')
      .select('id')
      .where('team_id', '=', TEAM_ID)
      .where('user_id', '=', user)
      .executeTakeFirstOrThrow();
  const checkin = await checkinOf(PEOPLE.fay);
  const coraCheckin = await checkinOf(PEOPLE.cora);
  // Open for the Core's vote while Dee is still in the Core: she is among its voters.
  await propose(t, PEOPLE.carl, 'Open on Sundays');
  await t.settled();
  const open = await latestProposal(t);
  const voters = await t.db
    .selectFrom('proposal_voters')
    .select('user_id')
    .where('proposal_id', '=', open.id)
    .execute();
  expect(voters.map((v) => v.user_id)).toContain(DEE);

  // Dee's account is deactivated: Slack says so at once.
  const dee = t.fake.users.get(DEE);
  if (!dee) throw new Error('no Dee');
  dee.deleted = true;
  expect((await t.slack.event({ type: 'user_change', user: slackUser(dee) })).status).toBe(200);
  await t.settled();

  const group = await t.db
    .selectFrom('work_groups')
    .select('id')
    .where('team_id', '=', TEAM_ID)
    .where('channel_id', '=', CHANNELS.food)
    .executeTakeFirstOrThrow();
  return {
    foodGroupId: group.id,
    stepId: step.id,
    checkinId: checkin.id,
    coraCheckinId: coraCheckin.id,
    proposalId: open.id,
    decidedTitle: decided.title,
  };
}

/** The person who plays each role; `other workspace` speaks through a driver for OTHER_TEAM. */
export function actorsOf(t: TestApp): Map<Role, Actor> {
  const other = new SlackDriver({
    appUrl: t.url,
    signingSecret: SIGNING_SECRET,
    fake: t.fake,
    teamId: OTHER_TEAM,
    settle: () => t.settled(),
  });
  const users: Record<Role, string> = {
    backbone: PEOPLE.bea,
    core: PEOPLE.carl,
    representative: PEOPLE.cora,
    member: PEOPLE.fay,
    outsider: PEOPLE.nobody,
    deactivated: DEE,
    bot: PEOPLE.bot,
    'other workspace': EXTERNAL,
  };
  return new Map(
    ROLES.map((role) => [
      role,
      { role, user: users[role], slack: role === 'other workspace' ? other : t.slack },
    ]),
  );
}
