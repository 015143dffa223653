import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../../../src/sandbox/emulator/app-requests.js';
import { PROPOSAL } from '../../../src/views/ids.js';
import { SIGNING_SECRET, TEAM_ID, type TestApp } from '../../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, startCoalition } from '../../harness/coalition.js';
import { slackUser } from '../../harness/fake-slack.js';
import { latestProposal, propose } from '../../harness/proposals.js';

// What is seen, and by whom: the public records hold decisions only, a step's details are read-only for
// those who may not change it, and a deactivated account loses its powers with Slack's `user_change`.

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition({ publicRecords: true });
  t.clock.set('2026-11-24T15:00:00Z');
});
afterAll(() => t.stop());

/** The proposal's overflow menu, as `user` would use it on the message in the Core channel. */
async function menu(user: string, verb: 'close' | 'withdraw', proposalId: number) {
  const option = { text: { type: 'plain_text', text: verb }, value: `${verb}:${proposalId}` };
  await t.slack.blockAction(
    user,
    { kind: 'message', channel: CHANNELS.core, ts: '1700000000.000100', blocks: [] },
    { block_id: 'menu' },
    { type: 'overflow', action_id: PROPOSAL.MORE, options: [option], selected_option: option },
  );
  await t.settled();
}

describe('the public records page', () => {
  it('shows what was decided, and nothing of a proposal withdrawn before any decision', async () => {
    await propose(t, PEOPLE.carl, 'Shared calendar');
    await t.settled();
    await menu(PEOPLE.bea, 'close', (await latestProposal(t)).id);
    await propose(t, PEOPLE.carl, 'Changed my mind');
    await t.settled();
    const withdrawn = await latestProposal(t);
    await menu(PEOPLE.carl, 'withdraw', withdrawn.id);
    expect((await latestProposal(t)).status).toBe('withdrawn');

    const { decisions } = (await (await fetch(`${t.url}/records.json`)).json()) as {
      decisions: { title: string; outcome: string }[];
    };
    expect(decisions).toEqual([expect.objectContaining({ title: 'Shared calendar', outcome: 'no_quorum' })]);
    const html = await (await fetch(`${t.url}/records`)).text();
    expect(html).toContain('Shared calendar');
    expect(html).not.toContain('Changed my mind');
    expect(html).not.toContain('Withdrawn');
  });
});

describe('a step’s details', () => {
  it('are read-only for a member of its work group who may not change it, and hidden from others', async () => {
    await commitStep(t, PEOPLE.fay, 'Stock the pantry', '2026-12-02');
    await t.settled();
    const step = await t.db
      .selectFrom('action_steps')
      .select('id')
      .where('title', '=', 'Stock the pantry')
      .executeTakeFirstOrThrow();
    const open = (user: string) =>
      t.slack.blockAction(
        user,
        { kind: 'message', channel: CHANNELS.food, ts: '1700000000.000200', blocks: [] },
        { block_id: 'step' },
        { type: 'button', action_id: 'step_open', value: String(step.id) },
      );

    // Finn is in Food Access, but neither owns nor made the step.
    const before = t.fake.callsTo('views.open').length;
    await open(PEOPLE.finn);
    await t.settled();
    const shown = t.fake.callsTo('views.open').slice(before);
    expect(shown).toHaveLength(1);
    const view = shown[0]?.args.view;
    expect(JSON.stringify(view)).toContain('Stock the pantry');
    expect(JSON.stringify(view)).toContain('created it');
    expect(view.submit).toBeUndefined();
    const interactive = (view.blocks as { type: string; accessory?: unknown }[]).filter(
      (b) => b.type === 'actions' || b.type === 'input' || b.accessory !== undefined,
    );
    expect(interactive).toEqual([]);

    // Carl is in the Core only: he is told who may see it, and sees nothing of it.
    await open(PEOPLE.carl);
    await t.settled();
    expect(t.fake.callsTo('views.open').slice(before)).toHaveLength(1);
    const told = t.fake.callsTo('response_url').at(-1)?.args.text;
    expect(told).toBe(
      `Only <@${PEOPLE.fay}> (who owns it), <@${PEOPLE.fay}> (who made it), the members of its work group and of the backbone channel <#${CHANNELS.backbone}> can see this action step.`,
    );
  });
});

describe('a deactivated account', () => {
  const deactivate = async (id: string) => {
    const user = t.fake.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    user.deleted = true;
    expect((await t.slack.event({ type: 'user_change', user: slackUser(user) })).status).toBe(200);
    await t.settled();
  };

  it('loses the backbone’s powers with the user_change, before any reconcile', async () => {
    expect((await t.slack.command(PEOPLE.ben, '/concert', 'digest')).status).toBe(200);
    await t.settled();
    expect(t.fake.callsTo('response_url').at(-1)?.args.text).toMatch(/Follow-through|digest/i);

    await deactivate(PEOPLE.ben);
    const answer = await t.slack.command(PEOPLE.ben, '/concert', 'digest');
    expect(answer.body.text).toBe(
      'This Slack account is deactivated, so Concert takes nothing from it. Nothing was done; a workspace admin can reactivate it.',
    );
  });

  it('loses it at once even when Concert knew them only as a member of the backbone channel', async () => {
    // Counted in the backbone channel, but never looked up (as before people were kept).
    t.fake.addUser({ id: 'UGHOST', name: 'ghost', tz: 'America/New_York' });
    await t.db
      .insertInto('channel_members')
      .values({
        team_id: TEAM_ID,
        channel_id: CHANNELS.backbone,
        user_id: 'UGHOST',
        joined_at: t.clock.now(),
      })
      .execute();
    await deactivate('UGHOST');
    const members = await t.db
      .selectFrom('channel_members')
      .select('channel_id')
      .where('user_id', '=', 'UGHOST')
      .execute();
    expect(members).toEqual([]);
    // The backbone is told, once, from the outbox.
    const notices = await t.db
      .selectFrom('outbox')
      .select(['channel_id', 'text'])
      .where('kind', '=', 'person_deactivated')
      .where('text', 'like', '%UGHOST%')
      .execute();
    expect(notices).toEqual([
      { channel_id: CHANNELS.backbone, text: expect.stringContaining('was deactivated in Slack') },
    ]);
    expect((await t.slack.command('UGHOST', '/concert', 'group')).body.text).toMatch(
      /^This Slack account is deactivated/,
    );
  });
});

describe('who is acting, when Slack cannot say', () => {
  it('is left to the role checks: a person Concert has not met still gets an answer while users.info fails', async () => {
    t.fake.addUser({ id: 'UNEWCOMER', name: 'newcomer', tz: 'America/New_York' });
    for (let i = 0; i < 8; i++) t.fake.failNext('users.info', { status: 503 });
    const answer = await t.slack.command('UNEWCOMER', '/concert', 'group');
    expect(answer.status).toBe(200);
    expect(t.fake.callsTo('response_url').at(-1)?.args.text).toBe(
      `Only members of the backbone channel <#${CHANNELS.backbone}> can add or edit work groups. Ask one of them, or ask to join the channel.`,
    );
  });
});

describe('a person of another workspace in a shared channel', () => {
  it('is refused even where the request names this workspace, and nothing is recorded', async () => {
    await propose(t, PEOPLE.carl, 'Shared van');
    await t.settled();
    const proposal = await latestProposal(t);
    // In the Core channel, shared with another organisation's workspace, and even among the voters.
    t.fake.addUser({ id: 'UEXTERNAL', name: 'ext', tz: 'Europe/London' });
    t.fake.channels.get(CHANNELS.core)?.members.push('UEXTERNAL');
    await t.db
      .insertInto('proposal_voters')
      .values({ team_id: TEAM_ID, proposal_id: proposal.id, user_id: 'UEXTERNAL' })
      .execute();
    const payload = {
      type: 'block_actions',
      user: { id: 'UEXTERNAL', username: 'ext', team_id: 'T0002' },
      api_app_id: 'A0001',
      token: 'legacy-verification-token',
      team: { id: TEAM_ID, domain: 'coalition' },
      trigger_id: 'trig.UEXTERNAL.1',
      container: { type: 'message', message_ts: '1700000000.000300', channel_id: CHANNELS.core },
      channel: { id: CHANNELS.core, name: 'core' },
      actions: [
        {
          type: 'button',
          action_id: PROPOSAL.SUPPORT,
          value: String(proposal.id),
          block_id: 'b',
          action_ts: '1',
        },
      ],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const answer = await t.slack.send(body, 'application/x-www-form-urlencoded', {
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body),
    });
    expect(answer.status).toBe(200);
    const votes = await t.db
      .selectFrom('proposal_votes')
      .select('voter_id')
      .where('proposal_id', '=', proposal.id)
      .execute();
    expect(votes).toEqual([]);
    const told = t.fake.callsTo('chat.postEphemeral').at(-1)?.args;
    expect(told).toMatchObject({
      user: 'UEXTERNAL',
      text: 'Only people of this workspace can use its Concert; you belong to another one. Nothing was done.',
    });
  });
});
