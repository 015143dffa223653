import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_BEFORE_MS } from '../../src/slack/installations.js';
import { TokenCipher } from '../../src/slack/token-cipher.js';
import { OAUTH_TEST_CONFIG, startTestApp, type TestApp } from '../harness/app.js';
import { PEOPLE, seedWorkspace } from '../harness/coalition.js';
import { installThroughSlack } from '../harness/install.js';

// Slack's token rotation: a bot token that expires within REFRESH_BEFORE_MS is refreshed before it is used,
// once, even when two instances need it at the same moment.
let t: TestApp;
let other: TestApp;
const HOUR = 60 * 60;
beforeAll(async () => {
  t = await startTestApp({ oauth: true });
  seedWorkspace(t.fake);
  const oauth = t.fake.oauth;
  if (!oauth) throw new Error('the fake has no OAuth');
  oauth.rotation = true;
  // The first token is good for an hour: already within the refresh margin of two.
  oauth.expiresIn = HOUR;
  expect(HOUR * 1000).toBeLessThan(REFRESH_BEFORE_MS);
  expect((await installThroughSlack(t, { teamId: 'T0001' })).status).toBe(200);
  oauth.expiresIn = 12 * HOUR;
  // A second instance of Concert on the same database.
  other = await startTestApp({ oauth: true, db: t.db, fake: t.fake });
});
afterAll(async () => {
  await other.stop();
  await t.stop();
});

const row = () => t.db.selectFrom('installations').selectAll().executeTakeFirstOrThrow();

describe('token rotation', () => {
  it('stores the refresh token, sealed, and when the token expires', async () => {
    const installed = await row();
    const cipher = new TokenCipher(OAUTH_TEST_CONFIG.encryptionKey);
    expect(cipher.open(installed.bot_refresh_token as string, 'T0001')).toMatch(/^xoxe-1-/);
    const left = (installed.bot_token_expires_at?.getTime() ?? 0) - Date.now();
    expect(left).toBeGreaterThan(HOUR * 1000 - 60_000);
    expect(left).toBeLessThanOrEqual(HOUR * 1000);
  });

  it('refreshes an expiring token once, when two instances need it at the same moment', async () => {
    const [first, firstOld] = t.fake.oauth?.tokensOf('T0001') ?? [];
    expect(firstOld).toBeUndefined();
    const [a, b] = await Promise.all([
      t.concert.installations?.bot('T0001'),
      other.concert.installations?.bot('T0001'),
    ]);
    expect(t.fake.oauth?.refreshes.get('T0001')).toBe(1);
    const tokens = t.fake.oauth?.tokensOf('T0001') ?? [];
    expect(tokens).toHaveLength(2);
    const fresh = tokens[1];
    expect(fresh).not.toBe(first);
    expect([a?.botToken, b?.botToken]).toEqual([fresh, fresh]);
    const left = ((await row()).bot_token_expires_at?.getTime() ?? 0) - Date.now();
    expect(left).toBeGreaterThan(REFRESH_BEFORE_MS);
  });

  it('answers requests with the refreshed token, and refreshes no more while it is good', async () => {
    const from = t.fake.calls.length;
    await t.slack.command(PEOPLE.admin, '/concert', 'setup');
    await other.slack.command(PEOPLE.admin, '/concert', 'setup');
    await t.settled();
    await other.settled();
    const fresh = t.fake.oauth?.tokensOf('T0001').at(-1);
    const opened = t.fake.calls.slice(from).filter((c) => c.method === 'views.open');
    expect(opened.map((c) => c.token)).toEqual([fresh, fresh]);
    expect(t.fake.oauth?.refreshes.get('T0001')).toBe(1);
  });
});
