import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, seedWorkspace, setUpCoalition } from '../harness/coalition.js';

const logLines: string[] = [];
let t: TestApp;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  t = await startTestApp({ log: createLogger('info', sink) });
  seedWorkspace(t.fake);
});
afterAll(() => t.stop());
beforeEach(() => t.fake.clearCalls());

async function deliveries(): Promise<number> {
  const rows = await t.db.selectFrom('slack_deliveries').select('delivery_key').execute();
  return rows.length;
}

function commandBody(text: string) {
  return new URLSearchParams({
    command: '/concert',
    text,
    user_id: PEOPLE.admin,
    team_id: 'T0001',
    channel_id: CHANNELS.general,
    trigger_id: `trig.${Math.random()}`,
    response_url: `${t.fake.url}response/1`,
  }).toString();
}

function sign(body: string, timestamp: number, secret = SIGNING_SECRET) {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

describe('requests from Slack', () => {
  it('answers /concert help and an unknown word with the list of commands', async () => {
    const help = await t.slack.command(PEOPLE.nobody, '/concert', 'help');
    expect(help.status).toBe(200);
    expect(help.body.response_type).toBe('ephemeral');
    expect(help.body.text).toContain('/concert setup');
    expect(help.body.text).toContain('/concert group');

    const bare = await t.slack.command(PEOPLE.nobody, '/concert', '');
    expect(bare.body.text).toBe(help.body.text);

    const unknown = await t.slack.command(PEOPLE.nobody, '/concert', 'frobnicate now');
    expect(unknown.body.text).toMatch(/^I don’t know `\/concert frobnicate`/);
    expect(unknown.body.text).toContain('/concert setup');
  });

  it('answers every command in the manifest, even before setup', async () => {
    const checkin = await t.slack.command(PEOPLE.fay, '/checkin', '');
    const propose = await t.slack.command(PEOPLE.carl, '/propose', 'Add a youth work group');
    expect([checkin.body.response_type, propose.body.response_type]).toEqual(['ephemeral', 'ephemeral']);
    expect(checkin.body.text).toMatch(/^Concert isn’t set up yet, so nobody can check in\./);
    // Before setup there is no Core to propose to, and the answer says how setup happens.
    expect(propose.body.text).toMatch(/^Concert isn’t set up yet, so nobody can make proposals\./);
  });

  it('refuses a bad signature, a missing one and a stale timestamp with 401, running nothing', async () => {
    const before = await deliveries();
    const body = commandBody('setup');
    const now = Math.floor(Date.now() / 1000);
    const form = 'application/x-www-form-urlencoded';

    const forged = await t.slack.send(body, form, {
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': sign(body, now, 'not-the-secret'),
    });
    const unsigned = await t.slack.send(body, form, { 'x-slack-request-timestamp': String(now) });
    const stale = await t.slack.send(body, form, {
      'x-slack-request-timestamp': String(now - 6 * 60),
      'x-slack-signature': sign(body, now - 6 * 60),
    });
    const tampered = await t.slack.send(body.replace('setup', 'help'), form, {
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': sign(body, now),
    });

    expect([forged.status, unsigned.status, stale.status, tampered.status]).toEqual([401, 401, 401, 401]);
    await t.settled();
    expect(t.fake.calls).toEqual([]);
    expect(await deliveries()).toBe(before);

    // The same request, correctly signed, does run: the refusals above were about the signature alone.
    const good = await t.slack.send(body, form, {
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': sign(body, now),
    });
    expect(good.status).toBe(200);
    await t.settled();
    expect(t.fake.callsTo('views.open')).toHaveLength(1);
  });

  it('answers Slack’s unsigned SSL check with 200, and runs nothing smuggled beside it', async () => {
    const before = await deliveries();
    const form = 'application/x-www-form-urlencoded';
    const check = await t.slack.send('ssl_check=1&token=legacy-verification-token', form, {});
    // An unsigned request that says it is an SSL check but carries a command, or an interaction's payload.
    const command = await t.slack.send(`ssl_check=1&${commandBody('setup')}`, form, {});
    const payload = JSON.stringify({
      type: 'message_action',
      callback_id: 'make_action_step',
      trigger_id: `trig.${Math.random()}`,
      user: { id: PEOPLE.admin },
      team: { id: 'T0001' },
      channel: { id: CHANNELS.general },
      message: { text: 'Book the hall', ts: '1800000000.000100' },
      response_url: `${t.fake.url}response/1`,
    });
    const shortcut = await t.slack.send(`payload=${encodeURIComponent(payload)}&ssl_check=1`, form, {});
    expect([check.status, command.status, shortcut.status]).toEqual([200, 200, 200]);
    await t.settled();
    expect(t.fake.calls).toEqual([]);
    expect(await deliveries()).toBe(before);
  });

  it('answers GET /healthz with the database state', async () => {
    const response = await fetch(`${t.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, db: 'ok' });
  });
});

describe('redeliveries', () => {
  it('opens one modal when a slash command arrives twice', async () => {
    const first = await t.slack.command(PEOPLE.admin, '/concert', 'setup');
    const again = await t.slack.command(PEOPLE.admin, '/concert', 'setup', {
      triggerId: first.triggerId,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect([first.status, again.status]).toEqual([200, 200]);
    await t.settled();
    expect(t.fake.callsTo('views.open')).toHaveLength(1);
  });

  it('applies an event once when Slack delivers it again after later events', async () => {
    await setUpCoalition(t);
    const joined = {
      type: 'member_joined_channel',
      user: PEOPLE.nobody,
      channel: CHANNELS.core,
      team: 'T0001',
    };
    const left = { type: 'member_left_channel', user: PEOPLE.nobody, channel: CHANNELS.core, team: 'T0001' };
    t.fake.setMembers(CHANNELS.core, [...t.fake.channelMembers(CHANNELS.core), PEOPLE.nobody]);
    await t.slack.event(joined, { eventId: 'EvJOIN1' });
    await t.settled();
    expect(await coreMembers()).toContain(PEOPLE.nobody);

    await t.slack.event(left, { eventId: 'EvLEFT1' });
    await t.settled();
    const retried = await t.slack.event(joined, {
      eventId: 'EvJOIN1',
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(retried.status).toBe(200);
    await t.settled();
    expect(await coreMembers()).not.toContain(PEOPLE.nobody);
  });

  it('opens one work group form when a click arrives twice', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'group', { channel: CHANNELS.backbone });
    await t.settled();
    t.fake.clearCalls();
    const click = await t.slack.clickButton(PEOPLE.bea, 'Add a work group');
    await t.slack.clickButton(PEOPLE.bea, 'Add a work group', { triggerId: click.triggerId, retryNum: 1 });
    await t.settled();
    expect(t.fake.callsTo('views.open')).toHaveLength(1);
  });
});

describe('when a handler fails', () => {
  it('tells the user in an ephemeral message with a reference, and logs it without the token', async () => {
    t.fake.failNext('views.open', { error: 'internal_error' });
    const first = await t.slack.command(PEOPLE.bea, '/concert', 'setup', { channel: CHANNELS.backbone });
    await t.settled();
    const notice = t.fake.ephemerals(PEOPLE.bea).at(-1);
    expect(notice?.channel).toBe(CHANNELS.backbone);
    const ref = /reference `([0-9a-f]{8})`/.exec(String(notice?.text))?.[1];
    expect(notice?.text).toMatch(/something went wrong on Concert’s side and that was not done/);
    expect(ref).toBeDefined();
    const logged = logLines.find((line) => line.includes(`"ref":"${ref}"`));
    expect(logged).toContain('"slackError":"internal_error"');
    expect(logged).toContain('"command":"/concert"');
    expect(logLines.join('\n')).not.toContain('xoxb-test-token');

    // Nothing was recorded as handled, so Slack's retry of the same command gets a real second chance.
    t.fake.clearCalls();
    await t.slack.command(PEOPLE.bea, '/concert', 'setup', {
      channel: CHANNELS.backbone,
      triggerId: first.triggerId,
      retryNum: 1,
    });
    await t.settled();
    expect(t.fake.callsTo('views.open')).toHaveLength(1);
    expect(t.fake.rejections).toEqual([]);
  });
});

async function coreMembers(): Promise<string[]> {
  const rows = await t.db
    .selectFrom('channel_members')
    .select('user_id')
    .where('channel_id', '=', CHANNELS.core)
    .execute();
  return rows.map((r) => r.user_id);
}
