import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { PROPOSAL } from '../../../src/views/ids.js';
import { SIGNING_SECRET, type TestApp } from '../../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, startCoalition } from '../../harness/coalition.js';
import { SlackDriver } from '../../harness/driver.js';
import { slackUser } from '../../harness/fake-slack.js';
import { latestProposal, propose } from '../../harness/proposals.js';
import { fireSlot } from '../../harness/scheduler.js';
import { type Actor, CASES, ROLES, type Role, type World } from './cases.js';
import { hasEffect, observe } from './observe.js';

// Who may do what, tried exhaustively: every command, button, menu, shortcut and form the app registers, by
// each of eight kinds of person, through the real app over signed HTTP. Where a role may, the effect is
// there; where it may not, nothing changes (no row, no message, no view) and the person is told.

// Every listener the app registers, read as it registers them, so a new one cannot go untried.
const registrations = (['command', 'action', 'view', 'shortcut', 'event'] as const).map((kind) => ({
  kind,
  spy: vi.spyOn(App.prototype, kind),
}));

/** Events Slack sends about channels, accounts and the installation: no person acts through them. */
const NOT_A_PERSONS_ACTION = new Set([
  'member_joined_channel',
  'member_left_channel',
  'channel_archive',
  'group_archive',
  'channel_deleted',
  'group_deleted',
  'channel_left',
  'group_left',
  'channel_unarchive',
  'group_unarchive',
  'channel_rename',
  'group_rename',
  'user_change',
  'app_uninstalled',
  'tokens_revoked',
]);

const DEE = 'UDEE'; // was backbone, Core and Food Access; deactivated in Slack
const EXTERNAL = 'UEXTERNAL'; // a person of another workspace
const OTHER_TEAM = 'T0002';

let t: TestApp;
let world: World;
const actors = new Map<Role, Actor>();

beforeAll(async () => {
  t = await startCoalition();
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
    t.db.selectFrom('checkins').select('id').where('user_id', '=', user).executeTakeFirstOrThrow();
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
    .where('channel_id', '=', CHANNELS.food)
    .executeTakeFirstOrThrow();
  world = {
    foodGroupId: group.id,
    stepId: step.id,
    checkinId: checkin.id,
    coraCheckinId: coraCheckin.id,
    proposalId: open.id,
    decidedTitle: decided.title,
  };

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
  for (const role of ROLES)
    actors.set(role, { role, user: users[role], slack: role === 'other workspace' ? other : t.slack });
}, 120_000);
afterAll(() => t.stop());

let tried = 0;

describe('the authorization matrix', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const problems: string[] = [];
      for (const role of ROLES) {
        const actor = actors.get(role) as Actor;
        const prepared = c.prepare ? await c.prepare(t, world) : undefined;
        await t.settled();
        const seen = await observe(t, actor.user, () => c.run(actor, world, prepared));
        tried++;
        const may = c.allowed.includes(role);
        const saw = c.sees !== undefined && seen.answers.some((a) => a.includes(c.sees as string));
        const effect = hasEffect(seen);
        const what = `${role}: tables ${seen.tables.join(',') || '-'}, views ${seen.views.length}, sends ${seen.sends.map((s) => s.method).join(',') || '-'}; told ${seen.answers.join(' / ').slice(0, 160) || 'nothing'}`;
        if (may && c.sees !== undefined && !saw) problems.push(`${role} may, but did not see it. ${what}`);
        if (may && c.sees === undefined && !effect)
          problems.push(`${role} may, but nothing happened. ${what}`);
        if (!may && (effect || saw)) problems.push(`${role} may not, but it happened. ${what}`);
        // Nobody waits on an event: a refusal there is silent.
        const waiting = !c.covers.startsWith('event:');
        if (!may && waiting && seen.answers.length === 0)
          problems.push(`${role} was refused without a word. ${what}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('tries every interaction the app registers, by every role', () => {
    const covered = new Set(CASES.map((c) => c.covers));
    const untried: string[] = [];
    for (const { kind, spy } of registrations) {
      for (const [first] of spy.mock.calls) {
        const key = `${kind}:${String(first)}`;
        if (kind === 'event' && NOT_A_PERSONS_ACTION.has(String(first))) continue;
        if (!covered.has(key)) untried.push(key);
      }
    }
    // A command's sub-commands, as the manifest offers them to Slack users (`help | setup | group …`); a
    // hint without alternatives is free text (`[title]`).
    const manifest = parse(readFileSync(path.resolve(import.meta.dirname, '../../../manifest.yml'), 'utf8'));
    for (const { command, usage_hint } of manifest.features.slash_commands as {
      command: string;
      usage_hint: string;
    }[]) {
      if (!usage_hint.includes('|')) continue;
      const words = usage_hint
        .replace(/^\[|\]$/g, '')
        .split('|')
        .map((part) => part.trim().split(/\s+/)[0] ?? '')
        .filter((word) => /^[a-z]+$/.test(word));
      for (const word of words) {
        if (!CASES.some((c) => c.name.startsWith(`${command} ${word}`))) untried.push(`${command} ${word}`);
      }
    }
    expect(untried).toEqual([]);
    expect(tried).toBe(CASES.length * ROLES.length);
    console.info(
      `authorization matrix: ${CASES.length} interactions × ${ROLES.length} roles = ${tried} cases`,
    );
  });
});
