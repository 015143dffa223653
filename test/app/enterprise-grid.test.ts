import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../harness/app.js';
import { CHANNELS, coalitionIn, PEOPLE, seedWorkspace, workspaceDriver } from '../harness/coalition.js';
import type { SlackDriver } from '../harness/driver.js';
import { installThroughSlack } from '../harness/install.js';
import { fireSlot } from '../harness/scheduler.js';

// Enterprise Grid: an org admin installs Concert once for the whole org (org_deploy_enabled). Each workspace
// of the org then sets up its own coalition, answered with the org's token, its data under its own team ID;
// the jobs find the org's token for each; removing the org install stops every workspace of the org.

const ORG = 'E0ORG';
let t: TestApp;
let north: SlackDriver;
let south: SlackDriver;
const orgToken = () => t.fake.oauth?.tokensOf(ORG).at(-1) as string;

/** A coalition in one workspace of the org: setup, a work group and an action step for Finn, in its name. */
const startCoalition = (slack: SlackDriver, name: string) =>
  coalitionIn(t, slack, {
    group: `${name} Food`,
    step: `${name} pantry shelves`,
    owner: PEOPLE.finn,
    due: '2026-12-02',
  });

beforeAll(async () => {
  t = await startTestApp({ oauth: true });
  seedWorkspace(t.fake);
  north = workspaceDriver(t, 'T0NORTH', ORG);
  south = workspaceDriver(t, 'T0SOUTH', ORG);
  t.clock.set('2026-11-30T15:00:00Z');
});
afterAll(() => t.stop());

describe('an Enterprise Grid org-wide install', () => {
  it('is stored once, under the org, and says what to do next', async () => {
    const visit = await installThroughSlack(t, {
      teamId: ORG,
      teamName: 'Valley Network',
      userId: PEOPLE.admin,
      orgWide: true,
    });
    expect(visit.status).toBe(200);
    expect(visit.page).toContain('Concert is installed');
    expect(visit.page).toContain('Valley Network');
    const rows = await t.db
      .selectFrom('installations')
      .select(['team_id', 'is_enterprise_install', 'enterprise_id', 'team_name'])
      .execute();
    expect(rows).toEqual([
      { team_id: ORG, is_enterprise_install: true, enterprise_id: ORG, team_name: 'Valley Network' },
    ]);
  });

  it('serves each workspace of the org on its own, with the org’s token', async () => {
    const from = t.fake.calls.length;
    await startCoalition(north, 'North');
    await startCoalition(south, 'South');
    const calls = t.fake.calls.slice(from).filter((c) => c.token);
    expect(calls.length).toBeGreaterThan(5);
    expect(new Set(calls.map((c) => c.token))).toEqual(new Set([orgToken()]));
    const workspaces = await t.db
      .selectFrom('workspaces')
      .select(['team_id', 'enterprise_id'])
      .orderBy('team_id')
      .execute();
    expect(workspaces).toEqual([
      { team_id: 'T0NORTH', enterprise_id: ORG },
      { team_id: 'T0SOUTH', enterprise_id: ORG },
    ]);
    const steps = await t.db
      .selectFrom('action_steps')
      .select(['team_id', 'title'])
      .orderBy('team_id')
      .execute();
    expect(steps).toEqual([
      { team_id: 'T0NORTH', title: 'North pantry shelves' },
      { team_id: 'T0SOUTH', title: 'South pantry shelves' },
    ]);
    // Each workspace's /commit list shows its own step only.
    await north.command(PEOPLE.finn, '/commit', 'list', { channel: CHANNELS.food });
    await t.settled();
    const listed = JSON.stringify(t.fake.ephemerals(PEOPLE.finn).at(-1));
    expect(listed).toContain('North pantry shelves');
    expect(listed).not.toContain('South');
  });

  it('runs each workspace’s jobs with the org’s token, each with its own data', async () => {
    const from = t.fake.calls.length;
    // Both steps are overdue on Thursday: each workspace nudges Finn about its own.
    expect(await fireSlot(t, 'nudges', new Date('2026-12-03T15:00:00Z'))).toBe(true);
    const nudges = t.fake.calls
      .slice(from)
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === PEOPLE.finn);
    expect(nudges.map((c) => c.token)).toEqual([orgToken(), orgToken()]);
    const texts = nudges.map((c) => String(c.args.text)).sort();
    expect(texts[0]).toContain('North pantry shelves');
    expect(texts[0]).not.toContain('South');
    expect(texts[1]).toContain('South pantry shelves');
    expect(texts[1]).not.toContain('North');
  });

  it('stops every workspace of the org when the org install is removed, and resumes them on a new one', async () => {
    await north.event({ type: 'app_uninstalled' });
    await t.settled();
    const marked = await t.db
      .selectFrom('workspaces')
      .select(['team_id', 'uninstall_reason'])
      .orderBy('team_id')
      .execute();
    expect(marked).toEqual([
      { team_id: 'T0NORTH', uninstall_reason: 'app_uninstalled' },
      { team_id: 'T0SOUTH', uninstall_reason: 'app_uninstalled' },
    ]);
    expect(await t.db.selectFrom('installations').select('team_id').execute()).toEqual([]);
    const from = t.fake.calls.length;
    await fireSlot(t, 'nudges', new Date('2026-12-05T15:00:00Z'));
    expect(t.fake.calls.slice(from).filter((c) => c.method === 'chat.postMessage')).toEqual([]);

    await installThroughSlack(t, {
      teamId: ORG,
      teamName: 'Valley Network',
      userId: PEOPLE.admin,
      orgWide: true,
    });
    const back = await t.db.selectFrom('workspaces').select(['team_id', 'uninstalled_at']).execute();
    expect(back.map((w) => w.uninstalled_at)).toEqual([null, null]);
  });
});
