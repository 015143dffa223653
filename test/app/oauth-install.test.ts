import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, messageRow } from '../../src/db/outbox.js';
import { jobs } from '../../src/scheduler/jobs.js';
import { TokenCipher } from '../../src/slack/token-cipher.js';
import { WorkspaceClients } from '../../src/slack/workspace-clients.js';
import { OAUTH_TEST_CONFIG, startTestApp, type TestApp } from '../harness/app.js';
import { PEOPLE, seedWorkspace, workspaceDriver } from '../harness/coalition.js';
import type { SlackDriver } from '../harness/driver.js';
import { installThroughSlack } from '../harness/install.js';

// Add to Slack, end to end over HTTP: the install page, Slack's authorize page (the fake), the redirect back,
// the stored installation, and each workspace's requests and sends on its own token.
let t: TestApp;
let second: SlackDriver;
beforeAll(async () => {
  t = await startTestApp({ oauth: true });
  seedWorkspace(t.fake);
  second = workspaceDriver(t, 'T0002');
});
afterAll(() => t.stop());

const installations = () => t.db.selectFrom('installations').selectAll().orderBy('team_id').execute();
const tokenOf = (teamId: string) => t.fake.oauth?.tokensOf(teamId).at(-1) as string;
/** The tokens of the calls the fake saw since `from`, for `method`. */
const tokensSince = (from: number, method: string) =>
  t.fake.calls
    .slice(from)
    .filter((c) => c.method === method)
    .map((c) => c.token);

/** The nudges job (which sends whatever is queued and due), each workspace on its own client. */
function nudgesJob() {
  const clients = new WorkspaceClients((teamId) => t.concert.installations?.bot(teamId) as never, {
    slackApiUrl: t.fake.url,
  });
  return jobs({
    db: t.db,
    client: t.concert.app.client,
    botUserId: () => undefined,
    clients,
    log: t.log,
  }).find((j) => j.name === 'nudges');
}

describe('installing Concert', () => {
  it('shows an Add to Slack page that links to Slack with Concert’s scopes and a state', async () => {
    const page = await fetch(`${t.url}/slack/install`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('set-cookie')).toMatch(/^slack-app-oauth-state=[^;]+; Secure; HttpOnly/);
    const html = await page.text();
    expect(html).toContain('Add to Slack');
    const link = new URL(/href="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, '&') ?? '');
    expect(link.pathname).toBe('/oauth/v2/authorize');
    expect(link.searchParams.get('client_id')).toBe(OAUTH_TEST_CONFIG.clientId);
    expect(link.searchParams.get('scope')?.split(',')).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'users:read']),
    );
    expect(link.searchParams.get('state')).toBeTruthy();
  });

  it('stores the installation, says what to do next, and answers the workspace with its own token', async () => {
    const visit = await installThroughSlack(t, {
      teamId: 'T0001',
      teamName: 'Riverside Coalition',
      userId: PEOPLE.admin,
    });
    expect(visit.status).toBe(200);
    expect(visit.page).toContain('Concert is installed');
    expect(visit.page).toContain('Riverside Coalition');
    expect(visit.page).toContain('/concert setup');
    expect(visit.page).toMatch(/invite <strong>@Concert<\/strong>/);
    const [row] = await installations();
    expect(row).toMatchObject({
      team_id: 'T0001',
      team_name: 'Riverside Coalition',
      bot_user_id: 'UBOT',
      bot_id: 'B0001',
      installer_user_id: PEOPLE.admin,
      bot_refresh_token: null,
      bot_token_expires_at: null,
    });
    expect(row?.bot_scopes.split(',')).toContain('chat:write');
    // The token is sealed at rest, bound to its workspace.
    const token = tokenOf('T0001');
    expect(row?.bot_token).not.toContain(token);
    const cipher = new TokenCipher(OAUTH_TEST_CONFIG.encryptionKey);
    expect(cipher.open(row?.bot_token as string, 'T0001')).toBe(token);
    expect(() => cipher.open(row?.bot_token as string, 'T0002')).toThrow();

    // A workspace admin opens the setup form: Slack is asked with this workspace's token.
    const from = t.fake.calls.length;
    await t.slack.command(PEOPLE.admin, '/concert', 'setup');
    await t.settled();
    expect(tokensSince(from, 'views.open')).toEqual([token]);
  });

  it('installs a second workspace beside the first, each answered with its own token', async () => {
    const visit = await installThroughSlack(t, { teamId: 'T0002', teamName: 'Hillside Alliance' });
    expect(visit.status).toBe(200);
    expect((await installations()).map((r) => r.team_id)).toEqual(['T0001', 'T0002']);
    const [first, other] = [tokenOf('T0001'), tokenOf('T0002')];
    expect(other).not.toBe(first);

    const from = t.fake.calls.length;
    await second.command(PEOPLE.admin, '/concert', 'setup');
    await t.slack.command(PEOPLE.admin, '/concert', 'setup');
    await t.settled();
    expect(tokensSince(from, 'views.open')).toEqual([other, first]);
    // Every call the requests made went with one of the two tokens, each for its own workspace.
    expect(new Set(t.fake.calls.slice(from).map((c) => c.token))).toEqual(new Set([first, other]));
  });

  it('sends each workspace’s queued messages with that workspace’s token', async () => {
    const now = t.clock.now();
    for (const teamId of ['T0001', 'T0002'])
      await enqueue(
        t.db,
        messageRow(teamId, 'test_notice', teamId, PEOPLE.fay, { text: `For ${teamId}`, blocks: [] }, now),
      );
    const nudges = nudgesJob();
    const from = t.fake.calls.length;
    await nudges?.run(now);
    const posts = t.fake.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => [c.args.text, c.token])).toEqual([
      ['For T0001', tokenOf('T0001')],
      ['For T0002', tokenOf('T0002')],
    ]);
    const sent = await t.db.selectFrom('outbox').select('status').where('kind', '=', 'test_notice').execute();
    expect(sent).toEqual([{ status: 'sent' }, { status: 'sent' }]);
  });
});

describe('an install that does not go through', () => {
  it('refuses a forged state, and stores nothing', async () => {
    const before = await installations();
    const from = t.fake.calls.length;
    const forged = await fetch(`${t.url}/slack/oauth_redirect?code=code-x&state=forged`, {
      headers: { cookie: 'slack-app-oauth-state=forged' },
    });
    expect(forged.status).toBe(400);
    const page = await forged.text();
    expect(page).toContain('Concert was not installed');
    expect(page).toContain('not one Concert gave this browser');
    expect(page).toContain('Nothing was stored');
    expect(tokensSince(from, 'oauth.v2.access')).toEqual([]);
    expect(await installations()).toEqual(before);
  });

  it('refuses a state replayed after its install, even with its cookie', async () => {
    const visit = await installThroughSlack(t, { teamId: 'T0003' });
    expect(visit.status).toBe(200);
    await t.db.deleteFrom('installations').where('team_id', '=', 'T0003').execute();
    const from = t.fake.calls.length;
    const replay = await fetch(visit.callbackUrl, { headers: { cookie: visit.cookie } });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('was used already');
    expect(t.fake.calls.slice(from).map((c) => c.method)).not.toContain('oauth.v2.access');
    expect((await installations()).map((r) => r.team_id)).toEqual(['T0001', 'T0002']);
  });

  it('refuses a state without the cookie of the browser that began the install', async () => {
    const page = await fetch(`${t.url}/slack/install`);
    const link = new URL(/href="([^"]+)"/.exec(await page.text())?.[1]?.replace(/&#38;/g, '&') ?? '');
    const state = link.searchParams.get('state') ?? '';
    const answer = await fetch(`${t.url}/slack/oauth_redirect?code=any&state=${encodeURIComponent(state)}`);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('not one Concert gave this browser');
  });

  it('says so when the install was cancelled in Slack', async () => {
    const visit = await installThroughSlack(t, { teamId: 'T0004', cancel: true });
    expect(visit.status).toBe(400);
    expect(visit.page).toContain('cancelled in Slack');
    expect((await installations()).map((r) => r.team_id)).toEqual(['T0001', 'T0002']);
  });

  it('says which permissions are missing when Slack granted fewer, and stores nothing', async () => {
    const visit = await installThroughSlack(t, { teamId: 'T0005', scopes: ['commands', 'chat:write'] });
    expect(visit.status).toBe(400);
    expect(visit.page).toContain('missing: im:write, users:read');
    expect((await installations()).map((r) => r.team_id)).toEqual(['T0001', 'T0002']);
  });
});

describe('leaving', () => {
  it('a workspace whose token was revoked is skipped and its tokens deleted; the others are sent for', async () => {
    expect((await installThroughSlack(t, { teamId: 'T0006' })).status).toBe(200);
    const revoked = tokenOf('T0006');
    t.fake.oauth?.revoke('T0006');
    const now = t.clock.now();
    for (const teamId of ['T0006', 'T0001'])
      await enqueue(
        t.db,
        messageRow(
          teamId,
          'test_notice',
          `${teamId}-again`,
          PEOPLE.fay,
          { text: `Again ${teamId}`, blocks: [] },
          now,
        ),
      );
    const from = t.fake.calls.length;
    await nudgesJob()?.run(now);
    const posts = t.fake.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => [c.args.text, c.token])).toEqual([
      ['Again T0006', revoked],
      ['Again T0001', tokenOf('T0001')],
    ]);
    const rows = await t.db
      .selectFrom('outbox')
      .select(['team_id', 'status', 'last_error'])
      .where('kind', '=', 'test_notice')
      .where('dedupe_key', 'like', '%-again')
      .orderBy('team_id')
      .execute();
    expect(rows).toEqual([
      { team_id: 'T0001', status: 'sent', last_error: null },
      { team_id: 'T0006', status: 'failed', last_error: 'token_revoked' },
    ]);
    expect((await installations()).map((r) => r.team_id)).toEqual(['T0001', 'T0002']);
    // Nothing more is tried with it.
    const later = t.fake.calls.length;
    await nudgesJob()?.run(now);
    expect(t.fake.calls.slice(later).filter((c) => c.token === revoked)).toEqual([]);
  });

  it('app_uninstalled deletes the workspace’s tokens; nothing more goes with them, the other goes on', async () => {
    await second.event({ type: 'app_uninstalled' });
    await t.settled();
    expect((await installations()).map((r) => r.team_id)).toEqual(['T0001']);
    const gone = tokenOf('T0002');
    const from = t.fake.calls.length;
    await second.command(PEOPLE.admin, '/concert', 'setup');
    await t.slack.command(PEOPLE.admin, '/concert', 'setup');
    await t.settled();
    const since = t.fake.calls.slice(from);
    expect(since.filter((c) => c.token === gone)).toEqual([]);
    expect(tokensSince(from, 'views.open')).toEqual([tokenOf('T0001')]);
  });
});
