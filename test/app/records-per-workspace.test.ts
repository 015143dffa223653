import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordsAddressTaken, saveWorkspaceSettings } from '../../src/db/workspaces.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, seedWorkspace, workspaceDriver } from '../harness/coalition.js';
import type { SlackDriver } from '../harness/driver.js';
import { installThroughSlack } from '../harness/install.js';

// One server, two coalitions, each with its own public records page at the address it chose in setup: each
// page shows its own decisions only, an address is one coalition's, and a coalition that chose none has none.

const ADDRESS = 'Public records address';
let t: TestApp;
let hillside: SlackDriver;

/**
 * Setup through the workspace's own requests, with a records address; returns the form's answer. The admin
 * sets a coalition up; once it is, its backbone (Bea) changes the setup.
 */
async function setUp(slack: SlackDriver, address: string, who: string = PEOPLE.admin) {
  await slack.command(who, '/concert', 'setup', { channel: CHANNELS.general });
  const setup = slack.modal(who);
  setup.pick('Core channel', CHANNELS.core);
  setup.pick('Backbone channel', CHANNELS.backbone);
  setup.fill(ADDRESS, address);
  const answer = await setup.submit(who);
  await t.settled();
  return answer;
}

/** A proposal put to the Core and supported by all three of its members, so it closes with consensus. */
async function decide(slack: SlackDriver, title: string) {
  await slack.command(PEOPLE.ben, '/propose', title, { channel: CHANNELS.core });
  const kind = slack.modal(PEOPLE.ben);
  kind.radio('Kind of proposal', 'other');
  expect((await kind.submit(PEOPLE.ben)).body.response_action).toBe('update');
  expect((await slack.modal(PEOPLE.ben).submit(PEOPLE.ben)).body).toBe('');
  await t.settled();
  for (const member of [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl]) {
    await slack.clickButton(member, 'Support', { in: 'message', channel: CHANNELS.core });
    await t.settled();
  }
}

const titlesAt = async (path: string) => {
  const answer = await fetch(`${t.url}${path}`);
  if (answer.status !== 200) return answer.status;
  const { decisions } = (await answer.json()) as { decisions: { title: string; outcome: string }[] };
  return decisions.map((d) => `${d.title}: ${d.outcome}`);
};

beforeAll(async () => {
  t = await startTestApp({ oauth: true, publicRecords: true });
  seedWorkspace(t.fake);
  hillside = workspaceDriver(t, 'T0002');
  t.clock.set('2026-11-30T15:00:00Z');
  await installThroughSlack(t, { teamId: 'T0001', teamName: 'Riverside Coalition', userId: PEOPLE.admin });
  await installThroughSlack(t, { teamId: 'T0002', teamName: 'Hillside Alliance', userId: PEOPLE.admin });
});
afterAll(() => t.stop());

describe('each coalition’s public records page', () => {
  it('takes an address in setup that is well formed and no other coalition’s', async () => {
    expect((await setUp(t.slack, 'riverside')).body).toBe('');
    const badly = await setUp(hillside, 'hill side!');
    expect(t.slack.fieldErrors(badly)).toEqual({
      [ADDRESS]:
        'Use 3 to 40 lowercase letters, digits and hyphens, like riverside-coalition, or leave it empty.',
    });
    const taken = await setUp(hillside, 'Riverside');
    expect(t.slack.fieldErrors(taken)).toEqual({
      [ADDRESS]: 'Another coalition on this Concert server has this address. Choose another.',
    });
    const workspaces = () =>
      t.db.selectFrom('workspaces').select(['team_id', 'records_address']).orderBy('team_id').execute();
    expect(await workspaces()).toEqual([{ team_id: 'T0001', records_address: 'riverside' }]);
    expect((await setUp(hillside, 'Hillside-Alliance')).body).toBe('');
    expect(await workspaces()).toEqual([
      { team_id: 'T0001', records_address: 'riverside' },
      { team_id: 'T0002', records_address: 'hillside-alliance' },
    ]);
  });

  it('keeps an address one coalition’s even when two save it at the same moment (a unique index)', async () => {
    const riverside = await t.db
      .selectFrom('workspaces')
      .selectAll()
      .where('team_id', '=', 'T0001')
      .executeTakeFirstOrThrow();
    const settings = {
      coreChannelId: CHANNELS.core,
      backboneChannelId: CHANNELS.backbone,
      defaultTz: riverside.default_tz,
      workdayStartMinute: riverside.workday_start_minute,
      workdayEndMinute: riverside.workday_end_minute,
      workingDays: riverside.working_days,
      nudgeRepeatDays: 2,
      nudgeMaxOverdue: 3,
      escalateAfterDays: 3,
      consensusQuorum: '2/3',
      standAsideLimit: '1/3',
      digestWeekday: 1,
      digestMinute: 480,
      recordsShowVoters: false,
      recordsAddress: 'riverside',
      enterpriseId: null,
    };
    // The check before saving passed for both; the second save meets the first's address.
    await expect(saveWorkspaceSettings(t.db, 'T0003', settings, PEOPLE.admin, t.clock.now())).rejects.toThrow(
      RecordsAddressTaken,
    );
  });

  it('shows its own coalition’s decisions and no other’s, at its own address', async () => {
    await decide(t.slack, 'Riverside meets monthly');
    await decide(hillside, 'Hillside adds a youth group');
    expect(await titlesAt('/records/riverside.json')).toEqual(['Riverside meets monthly: consensus']);
    expect(await titlesAt('/records/hillside-alliance.json')).toEqual([
      'Hillside adds a youth group: consensus',
    ]);
    const page = await fetch(`${t.url}/records/hillside-alliance`);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const html = await page.text();
    expect(html).toContain('Hillside adds a youth group');
    expect(html).not.toContain('Riverside');
    // One server serving many coalitions has no page of everyone's decisions.
    expect(await titlesAt('/records.json')).toBe(404);
    expect((await fetch(`${t.url}/records`)).status).toBe(404);
  });

  it('is gone once the coalition clears its address, and an address none chose has no page', async () => {
    expect((await setUp(hillside, '', PEOPLE.bea)).body).toBe('');
    expect(await titlesAt('/records/hillside-alliance.json')).toBe(404);
    const none = await fetch(`${t.url}/records/nobody-here`);
    expect(none.status).toBe(404);
    expect(await none.text()).toBe('No coalition publishes its records at this address.');
    expect(await titlesAt('/records/riverside.json')).toEqual(['Riverside meets monthly: consensus']);
  });
});
