import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tablesWithTeamId, WORKSPACE_TABLES } from '../../../src/db/workspace-data.js';
import { startTestApp, type TestApp } from '../../harness/app.js';
import { CHANNELS, coalitionIn, PEOPLE, seedWorkspace, workspaceDriver } from '../../harness/coalition.js';
import type { SlackDriver } from '../../harness/driver.js';
import { installThroughSlack } from '../../harness/install.js';
import { fireSlot } from '../../harness/scheduler.js';
import { again, capture, deliver, twinAfterFirstCheck } from '../../harness/twice.js';

// Leaving cleanly: a backbone member deletes all of the workspace's data after typing its name, and the data
// of a workspace that uninstalled Concert is deleted once the retention period is over. Two workspaces share
// the database throughout, and what is done to one leaves every row of the other as it was.

const DAY_MS = 24 * 60 * 60 * 1000;
const RIVERSIDE = 'Riverside Coalition';
const CONFIRM = `Type the workspace’s name, ${RIVERSIDE}, to confirm`;

let t: TestApp;
let hillside: SlackDriver;
const drivers = () => ({ T0001: t.slack, T0002: hillside });

/** Tables of bookkeeping that each request or job writes to (Slack's retries, double clicks, slots, pace). */
const BOOKKEEPING: readonly string[] = [
  'slack_deliveries',
  'interaction_effects',
  'scheduler_runs',
  'send_pace',
];

/**
 * Rows the workspace has in each table that holds workspace data, with tables of none left out; with
 * `bookkeeping: false`, only the coalition's own (which a request that changes nothing leaves as they were).
 */
async function rowsOf(teamId: string, { bookkeeping = false } = {}): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WORKSPACE_TABLES) {
    if (!bookkeeping && BOOKKEEPING.includes(table)) continue;
    const { n } = await t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('team_id', '=', teamId)
      .executeTakeFirstOrThrow();
    if (Number(n) > 0) counts[table] = Number(n);
  }
  return counts;
}

/** Setup, a work group and Fay's action step for Finn, through the workspace's own requests. */
async function startCoalition(teamId: 'T0001' | 'T0002', due = '2026-12-04') {
  await coalitionIn(t, drivers()[teamId], {
    group: 'Food Access',
    step: `Draft the MOU for ${teamId}`,
    owner: PEOPLE.finn,
    due,
  });
}

beforeAll(async () => {
  t = await startTestApp({ oauth: true });
  seedWorkspace(t.fake);
  hillside = workspaceDriver(t, 'T0002');
  t.clock.set('2026-11-30T15:00:00Z');
  await installThroughSlack(t, { teamId: 'T0001', teamName: RIVERSIDE, userId: PEOPLE.admin });
  await installThroughSlack(t, { teamId: 'T0002', teamName: 'Hillside Alliance', userId: PEOPLE.admin });
  await startCoalition('T0001');
  await startCoalition('T0002');
});
afterAll(() => t.stop());

describe('deleting all of a workspace’s data', () => {
  it('knows every table that holds a workspace’s rows (all but the installation, which the app needs)', async () => {
    const tables = (await tablesWithTeamId(t.db)).filter((table) => table !== 'installations');
    expect([...WORKSPACE_TABLES].sort()).toEqual(tables);
  });

  it('is refused to anyone outside the backbone, in words that say who may', async () => {
    const before = await rowsOf('T0001');
    await t.slack.command(PEOPLE.fay, '/concert', 'delete-data', { channel: CHANNELS.food });
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text).toBe(
      `Only members of the backbone channel <#${CHANNELS.backbone}> can delete the workspace’s data. Ask one of them, or ask to join the channel.`,
    );
    expect(t.fake.topModal(PEOPLE.fay)).toBeUndefined();
    expect(await rowsOf('T0001')).toEqual(before);
  });

  it('deletes nothing until the workspace’s name is typed, and then everything of it and nothing else', async () => {
    const riverside = await rowsOf('T0001');
    const hillsideRows = await rowsOf('T0002');
    // Both coalitions hold the same kinds of rows: what follows would see a table left behind.
    expect(Object.keys(riverside).sort()).toEqual(Object.keys(hillsideRows).sort());
    expect(riverside.action_steps).toBe(1);

    await t.slack.command(PEOPLE.bea, '/concert', 'delete-data', { channel: CHANNELS.backbone });
    await t.settled();
    const form = t.slack.modal(PEOPLE.bea);
    expect(form.labels()).toContain(CONFIRM);

    form.fill(CONFIRM, 'Riverside');
    const refused = await form.submit(PEOPLE.bea);
    expect(t.slack.fieldErrors(refused)).toEqual({
      [CONFIRM]: `Type the workspace’s name, ${RIVERSIDE}, to confirm. Nothing was deleted.`,
    });
    expect(await rowsOf('T0001')).toEqual(riverside);

    form.fill(CONFIRM, '  riverside   COALITION ');
    const confirmed = await form.submit(PEOPLE.bea);
    expect(confirmed.body?.response_action).toBe('update');
    await t.settled();
    expect(t.fake.messages(PEOPLE.bea).at(-1)?.text).toBe(
      `All of Concert’s data for *${RIVERSIDE}* is deleted (1 action step, 1 work group, ${riverside.people} people, and everything that went with them). Concert is still installed: run \`/concert setup\` to start again, or remove the app from the workspace’s apps.`,
    );
    // Only the confirming form's key is left (no name, no content), so that the same form again deletes nothing
    // more; it is pruned within a month, as every such key is.
    expect(await rowsOf('T0001', { bookkeeping: true })).toEqual({ interaction_effects: 1 });
    expect(await rowsOf('T0002')).toEqual(hillsideRows);
    // The app is still installed there: the next command is answered, and setup can begin again.
    const installations = await t.db
      .selectFrom('installations')
      .select('team_id')
      .orderBy('team_id')
      .execute();
    expect(installations.map((r) => r.team_id)).toEqual(['T0001', 'T0002']);
    await t.slack.command(PEOPLE.bea, '/concert', 'export', { channel: CHANNELS.backbone });
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.bea).at(-1)?.text).toMatch(
      /^Concert isn’t set up yet, so nobody can export/,
    );
  });
});

/** Riverside's coalition again, and Bea's confirming form, filled in, as Slack would send it. */
async function confirmingForm() {
  await startCoalition('T0001');
  await t.slack.command(PEOPLE.bea, '/concert', 'delete-data', { channel: CHANNELS.backbone });
  await t.settled();
  const form = t.slack.modal(PEOPLE.bea).fill(CONFIRM, RIVERSIDE);
  return capture(t, () => form.submit(PEOPLE.bea));
}

/** The DMs telling Bea that the data is deleted. */
const deletedDms = () =>
  t.fake.messages(PEOPLE.bea).filter((m) => m.text.startsWith('All of Concert’s data for')).length;

describe('the confirming form, submitted twice at once, again, and redelivered', () => {
  it('deletes once and says so once, and no repeat is refused', async () => {
    const request = await confirmingForm();
    const hillsideRows = await rowsOf('T0002');
    const before = deletedDms();
    const answers = await Promise.all([deliver(t, request), deliver(t, again(request)), deliver(t, request)]);
    await t.settled();
    answers.push(await deliver(t, request, 1), await deliver(t, again(request)));
    await t.settled();
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body?.response_action).not.toBe('errors');
    }
    expect(deletedDms() - before).toBe(1);
    // All gone but the person the repeats came from, whom any request from them caches anew.
    expect(await rowsOf('T0001')).toEqual({ people: 1 });
    expect(await rowsOf('T0002')).toEqual(hillsideRows);
  });

  it('deletes once and refuses nothing when the second deletes in full between the first one’s check and its deletion', async () => {
    const request = await confirmingForm();
    const before = deletedDms();
    const gate = twinAfterFirstCheck(() => deliver(t, again(request)));
    const other = await startTestApp({
      db: t.db.withPlugin(gate.plugin),
      fake: t.fake,
      clock: t.clock,
      oauth: true,
    });
    try {
      const first = await deliver(other, request);
      const twin = gate.interleaved();
      expect(twin).toBeDefined();
      for (const answer of [first, await twin]) {
        expect(answer?.status).toBe(200);
        expect(answer?.body?.response_action).not.toBe('errors');
      }
      await Promise.all([t.settled(), other.settled()]);
      expect(deletedDms() - before).toBe(1);
      // All gone but, perhaps, the person cached by the first request before the second deleted.
      const { people: _cached, ...left } = await rowsOf('T0001');
      expect(left).toEqual({});
    } finally {
      await other.stop();
      // The browser's way back after an install is this instance's again.
      if (t.fake.oauth) t.fake.oauth.redirectUrl = `${t.url}/slack/oauth_redirect`;
    }
  });
});

describe('the data of a workspace that uninstalled Concert', () => {
  it('is kept through the retention period, kept if installed again, and deleted once the period is over', async () => {
    await startCoalition('T0001');
    const riverside = await rowsOf('T0001');
    const hillsideRows = await rowsOf('T0002');
    const uninstalledAt = new Date('2026-12-01T12:00:00Z');
    t.clock.set(uninstalledAt);
    await hillside.event({ type: 'app_uninstalled' });
    await t.settled();
    const marked = await t.db
      .selectFrom('workspaces')
      .select(['uninstalled_at', 'uninstall_reason'])
      .where('team_id', '=', 'T0002')
      .executeTakeFirstOrThrow();
    expect(marked).toEqual({ uninstalled_at: uninstalledAt, uninstall_reason: 'app_uninstalled' });
    const hillsideThen = await rowsOf('T0002');

    // 29 days on: kept, in case the coalition comes back.
    expect(await fireSlot(t, 'delete-after-retention', new Date(uninstalledAt.getTime() + 29 * DAY_MS))).toBe(
      true,
    );
    expect(await rowsOf('T0002')).toEqual(hillsideThen);

    // 30 days on: deleted, every table of it; the other workspace, installed, untouched.
    expect(await fireSlot(t, 'delete-after-retention', new Date(uninstalledAt.getTime() + 30 * DAY_MS))).toBe(
      true,
    );
    expect(await rowsOf('T0002', { bookkeeping: true })).toEqual({});
    expect(await rowsOf('T0001')).toEqual(riverside);
    expect(Object.keys(hillsideRows).length).toBeGreaterThan(5);
  });

  it('is kept when the workspace installs Concert again before the period is over', async () => {
    t.clock.set('2027-01-05T15:00:00Z');
    await installThroughSlack(t, { teamId: 'T0002', teamName: 'Hillside Alliance', userId: PEOPLE.admin });
    await startCoalition('T0002', '2027-01-08');
    const uninstalledAt = new Date('2027-01-10T12:00:00Z');
    t.clock.set(uninstalledAt);
    await hillside.event({ type: 'app_uninstalled' });
    await t.settled();
    t.clock.set(new Date(uninstalledAt.getTime() + 3 * DAY_MS));
    await installThroughSlack(t, { teamId: 'T0002', teamName: 'Hillside Alliance', userId: PEOPLE.admin });
    const back = await rowsOf('T0002');
    expect(back.action_steps).toBe(1);
    expect(await fireSlot(t, 'delete-after-retention', new Date(uninstalledAt.getTime() + 40 * DAY_MS))).toBe(
      true,
    );
    expect(await rowsOf('T0002')).toEqual(back);
  });
});
