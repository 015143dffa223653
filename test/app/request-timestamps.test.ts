import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../../src/sandbox/emulator/app-requests.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, seedWorkspace } from '../harness/coalition.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  seedWorkspace(t.fake);
});
afterAll(() => t.stop());

const FORM = 'application/x-www-form-urlencoded';

function helpCommand(): string {
  return new URLSearchParams({
    command: '/concert',
    text: 'help',
    user_id: PEOPLE.nobody,
    team_id: 'T0001',
    channel_id: CHANNELS.general,
    trigger_id: `trig.${PEOPLE.nobody}.${Math.random()}`,
    response_url: `${t.fake.url}response/1`,
  }).toString();
}

/** Sends /concert help correctly signed over `timestamp`, whatever the timestamp says. */
function sendSignedAt(timestamp: string) {
  const body = helpCommand();
  return t.slack.send(body, FORM, {
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp as unknown as number, body),
  });
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('request timestamps (Slack: whole seconds, within five minutes either way)', () => {
  it('refuses with 401 a validly signed request from more than five minutes in the future or past', async () => {
    const future = await sendSignedAt(String(nowSeconds() + 6 * 60));
    const past = await sendSignedAt(String(nowSeconds() - 6 * 60));
    expect([future.status, past.status]).toEqual([401, 401]);
  });

  it('refuses with 401 a validly signed timestamp that is not a whole number of seconds', async () => {
    const now = nowSeconds();
    const shapes = [`${now}.5`, `${now}.0`, `${now / 1000}e3`, `+${now}`, `0x${now.toString(16)}`, '', 'now'];
    const statuses = [];
    for (const timestamp of shapes) statuses.push((await sendSignedAt(timestamp)).status);
    expect(statuses).toEqual(shapes.map(() => 401));
  });

  it('takes a request stamped up to five minutes either way, as Slack’s clock may differ', async () => {
    const now = nowSeconds();
    const ahead = await sendSignedAt(String(now + 4 * 60));
    const behind = await sendSignedAt(String(now - 4 * 60));
    expect([ahead.status, behind.status]).toEqual([200, 200]);
    expect(ahead.body.text).toContain('/concert setup');
    expect(behind.body.text).toContain('/concert setup');
  });
});
