import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_TABLES } from '../../../src/db/workspace-data.js';
import { startTestApp, type TestApp } from '../../harness/app.js';
import {
  addWorkGroup,
  CHANNELS,
  coalitionIn,
  PEOPLE,
  seedWorkspace,
  setUpCoalition,
  workspaceDriver,
} from '../../harness/coalition.js';
import type { SlackDriver } from '../../harness/driver.js';
import type { Call } from '../../harness/fake-slack.js';
import { defineIndicator } from '../../harness/indicators.js';
import { installThroughSlack } from '../../harness/install.js';
import { jobsOf } from '../../harness/scheduler.js';
import { type Actor, CASES, type Role, type World } from './cases.js';
import { actorsOf, buildWorld, OTHER_TEAM } from './world.js';

// Tenant isolation: two coalitions on one server and one database, each installed on its own, and again as two
// workspaces of one Enterprise Grid org where Concert is installed once for the org. Every command, button, menu,
// shortcut and form the app registers is tried in the first by each role that may use it, then every
// scheduled job runs for both; and the public records pages and exports are read. Nothing done in one
// workspace writes a row of the other, every Slack call goes with the acting workspace's own token, and
// nothing of one coalition (its titles, its group's name) ever reaches the other's Slack or pages.

const HILLSIDE = 'HILLSIDE'; // in every title and name of the second coalition
/** What only the first coalition (Riverside, the matrix's world) has written. */
const RIVERSIDE_MARKS = [
  'Stock the pantry',
  'Shared calendar',
  'Open on Sundays',
  'Food Access',
  'Meals served',
];

const ORG = 'E0VALLEY';

describe.each([
  { mode: 'each installed on its own', grid: false },
  { mode: 'two workspaces of one Enterprise Grid org, installed org-wide', grid: true },
])('two coalitions on one server, $mode', ({ grid }) => {
  let t: TestApp;
  let hillside: SlackDriver;
  let world: World;
  let actors: Map<Role, Actor>;
  /** The token a workspace's calls go with: its own, or under an org-wide install the org's. */
  const tokenOf = (teamId: string) => t.fake.oauth?.tokensOf(grid ? ORG : teamId).at(-1) as string;

  /** A fingerprint of every row the workspace has, table by table: any write to it changes it. */
  async function fingerprint(teamId: string): Promise<Record<string, string>> {
    const prints: Record<string, string> = {};
    for (const table of WORKSPACE_TABLES) {
      const { rows } = await sql<{ n: string; digest: string | null }>`
      select count(*) as n, md5(string_agg(x::text, '|' order by x::text)) as digest
      from ${sql.table(table)} x where team_id = ${teamId}`.execute(t.db);
      prints[table] = `${rows[0]?.n}:${rows[0]?.digest ?? '-'}`;
    }
    return prints;
  }

  /** What of `calls` crossed from one workspace to the other: a foreign token, or the other's words. */
  function crossings(calls: readonly Call[], teamId: string, foreignWords: readonly string[]): string[] {
    const problems: string[] = [];
    const own = tokenOf(teamId);
    for (const call of calls) {
      if (call.token && call.token !== own) problems.push(`${call.method} with another workspace’s token`);
      const text = JSON.stringify(call.args);
      for (const word of foreignWords)
        if (text.includes(word)) problems.push(`${call.method} carries “${word}”: ${text.slice(0, 200)}`);
    }
    return problems;
  }

  /** The second coalition, made through its own requests: its group, an overdue step and an open proposal. */
  async function buildHillside() {
    await coalitionIn(t, hillside, {
      group: `${HILLSIDE} Harvest`,
      step: `${HILLSIDE} seed library`,
      due: '2026-11-27',
      recordsAddress: 'hillside',
    });
    await defineIndicator(
      t,
      { name: `${HILLSIDE} seeds shared`, unit: 'packets', groups: [`${HILLSIDE} Harvest`] },
      hillside,
    );
    await hillside.command(PEOPLE.carl, '/propose', `${HILLSIDE} tool share`, { channel: CHANNELS.core });
    const kind = hillside.modal(PEOPLE.carl);
    kind.radio('Kind of proposal', 'other');
    expect((await kind.submit(PEOPLE.carl)).body.response_action).toBe('update');
    expect((await hillside.modal(PEOPLE.carl).submit(PEOPLE.carl)).body).toBe('');
    await t.settled();
  }

  beforeAll(async () => {
    t = await startTestApp({ oauth: true, publicRecords: true, ...(grid ? { enterpriseId: ORG } : {}) });
    seedWorkspace(t.fake);
    hillside = workspaceDriver(t, OTHER_TEAM, grid ? ORG : undefined);
    t.clock.set('2026-11-23T15:00:00Z');
    if (grid) {
      await installThroughSlack(t, {
        teamId: ORG,
        teamName: 'Valley Network',
        userId: PEOPLE.admin,
        orgWide: true,
      });
    } else {
      await installThroughSlack(t, {
        teamId: 'T0001',
        teamName: 'Riverside Coalition',
        userId: PEOPLE.admin,
      });
      await installThroughSlack(t, {
        teamId: OTHER_TEAM,
        teamName: 'Hillside Alliance',
        userId: PEOPLE.admin,
      });
    }
    await buildHillside();
    await setUpCoalition(t);
    await addWorkGroup(t, { name: 'Food Access', channel: CHANNELS.food });
    await defineIndicator(t, { name: 'Meals served', unit: 'meals', groups: ['Food Access'] });
    world = await buildWorld(t);
    actors = actorsOf(t);
  }, 180_000);
  afterAll(() => t.stop());

  let tried = 0;

  for (const c of CASES) {
    it(`${c.name}: done in one workspace, reads and writes nothing of the other`, async () => {
      const problems: string[] = [];
      // The matrix's `other workspace` is the second coalition here: what it does is its own.
      for (const role of c.allowed.filter((r) => r !== 'other workspace')) {
        const actor = actors.get(role) as Actor;
        const prepared = c.prepare ? await c.prepare(t, world) : undefined;
        await t.settled();
        const before = await fingerprint(OTHER_TEAM);
        const from = t.fake.calls.length;
        await c.run(actor, world, prepared);
        await t.settled();
        tried++;
        const after = await fingerprint(OTHER_TEAM);
        for (const table of WORKSPACE_TABLES)
          if (after[table] !== before[table])
            problems.push(`${role}: wrote to the other workspace’s ${table}`);
        problems.push(
          ...crossings(t.fake.calls.slice(from), 'T0001', [HILLSIDE]).map((p) => `${role}: ${p}`),
        );
      }
      expect(problems).toEqual([]);
    });
  }

  it('runs every scheduled job for each workspace with its own token and its own data only', async () => {
    const moments: [string, string][] = [
      ['nudges', '2026-12-01T15:00:00Z'],
      ['checkins', '2026-12-01T23:05:00Z'],
      ['proposals', '2026-12-09T15:00:00Z'],
      ['digest', '2026-12-07T13:15:00Z'],
      ['reconcile-memberships', '2026-12-08T04:17:00Z'],
      ['statistics', '2026-12-08T04:37:00Z'],
      ['delete-after-retention', '2026-12-08T04:47:00Z'],
      ['prune-bookkeeping', '2026-12-08T05:07:00Z'],
    ];
    const all = jobsOf(t);
    expect(all.map((j) => j.name).sort()).toEqual(moments.map(([name]) => name).sort());
    const problems: string[] = [];
    const reached = new Set<string>();
    for (const [name, at] of moments) {
      t.clock.set(at);
      const from = t.fake.calls.length;
      await all.find((j) => j.name === name)?.run(t.clock.now());
      const calls = t.fake.calls.slice(from);
      // Under an org-wide install both go with the org's token: a call is the coalition's whose words it has.
      const said = (c: Call, words: readonly string[]) =>
        words.some((w) => JSON.stringify(c.args).includes(w));
      const riverside = grid
        ? calls.filter((c) => said(c, RIVERSIDE_MARKS))
        : calls.filter((c) => c.token === tokenOf('T0001'));
      const other = grid
        ? calls.filter((c) => said(c, [HILLSIDE]))
        : calls.filter((c) => c.token === tokenOf(OTHER_TEAM));
      if (riverside.length > 0) reached.add(`T0001 ${name}`);
      if (other.length > 0) reached.add(`${OTHER_TEAM} ${name}`);
      problems.push(...crossings(riverside, 'T0001', [HILLSIDE]).map((p) => `${name}: ${p}`));
      problems.push(...crossings(other, OTHER_TEAM, RIVERSIDE_MARKS).map((p) => `${name}: ${p}`));
      const stray = calls.filter(
        (c) => c.token && c.token !== tokenOf('T0001') && c.token !== tokenOf(OTHER_TEAM),
      );
      if (stray.length > 0) problems.push(`${name}: ${stray.length} calls with neither workspace’s token`);
    }
    expect(problems).toEqual([]);
    // The jobs did reach both: each coalition's nudges, proposals' close and digest went to its own Slack.
    for (const name of ['nudges', 'proposals', 'digest'])
      for (const teamId of ['T0001', OTHER_TEAM]) expect(reached).toContain(`${teamId} ${name}`);
  });

  it('serves each coalition’s records page and export with its own decisions only', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'setup', { channel: CHANNELS.backbone });
    const setup = t.slack.modal(PEOPLE.bea);
    setup.fill('Public records address', 'riverside');
    expect((await setup.submit(PEOPLE.bea)).body).toBe('');
    const riverside = await (await fetch(`${t.url}/records/riverside.json`)).text();
    const other = await (await fetch(`${t.url}/records/hillside.json`)).text();
    expect(riverside).toContain('Shared calendar');
    expect(riverside).toContain('Meals served');
    expect(riverside).not.toContain(HILLSIDE);
    expect(other).toContain(`${HILLSIDE} tool share`);
    expect(other).toContain(`${HILLSIDE} seeds shared`);
    for (const word of RIVERSIDE_MARKS) expect(other).not.toContain(word);

    const files = () => [...t.fake.uploads.files.values()].map((f) => f.content.toString('utf8'));
    const before = files().length;
    await hillside.command(PEOPLE.bea, '/concert', 'export', { channel: CHANNELS.backbone });
    await t.settled();
    const exported = files().slice(before).join('\n');
    expect(exported).toContain(`${HILLSIDE} seed library`);
    for (const word of RIVERSIDE_MARKS) expect(exported).not.toContain(word);
    console.info(
      `isolation matrix (${grid ? 'one Grid org' : 'two installs'}): ${tried} interactions tried, 8 jobs run for two workspaces`,
    );
  });
});
