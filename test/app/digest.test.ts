import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, postgresDatabase } from '../../src/db/database.js';
import { stepHistory } from '../../src/db/exports.js';
import { parseCsv } from '../../src/services/csv.js';
import { figures } from '../../src/services/follow-through.js';
import { startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';
import { addWorkGroup, CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { stepFigures } from '../harness/figures.js';
import { fireSlot, jobFor } from '../harness/scheduler.js';

// Two past weeks, as New York's calendar reads them: 9–15 November and 16–22 November 2026.
const FIRST_END = new Date('2026-11-16T05:00:00Z');
const SECOND_END = new Date('2026-11-23T05:00:00Z');

let t: TestApp;

/** The digest's own messages shown to `user` (its charts follow them). */
const digestsShown = (user: string) =>
  t.fake.ephemerals(user).filter((e) => e.text.startsWith('Coalition digest'));
/** The CSV files uploaded (charts are uploaded as PNG files too). */
const csvFiles = () => [...t.fake.uploads.files.values()].filter((f) => f.filename.endsWith('.csv'));
let food: number;
let housing: number;
let transit: number;

type EventKind = 'created' | 'done' | 'dropped' | 'renegotiated' | 'support_requested';

/** A step as its history left it: created with a date, then each event at its moment. */
async function step(
  db: Db,
  owner: string,
  group: number,
  title: string,
  due: string,
  events: [EventKind, string, string?][] = [],
): Promise<void> {
  let current = due;
  let status: 'open' | 'done' | 'dropped' = 'open';
  let closedAt: string | null = null;
  const created = await db
    .insertInto('action_steps')
    .values({
      team_id: TEAM_ID,
      title,
      owner_id: owner,
      created_by: owner,
      work_group_id: group,
      due_date: due,
      first_due_date: due,
      source: 'commit',
      created_at: '2026-10-20T15:00:00Z',
      updated_at: '2026-10-20T15:00:00Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const base = { team_id: TEAM_ID, action_step_id: created.id, actor_id: owner };
  await db
    .insertInto('action_step_events')
    .values({ ...base, kind: 'created', new_due_date: due, at: '2026-10-20T15:00:00Z' })
    .execute();
  for (const [kind, at, value] of events) {
    const moved = kind === 'renegotiated' ? value : undefined;
    await db
      .insertInto('action_step_events')
      .values({ ...base, kind, at, old_due_date: current, new_due_date: moved ?? null, note: value ?? null })
      .execute();
    if (moved) current = moved;
    if (kind === 'done' || kind === 'dropped') {
      status = kind;
      closedAt = at;
    }
  }
  // The row as the app leaves it (services/action-steps.ts): its date, status and the moment it closed.
  await db
    .updateTable('action_steps')
    .set({ due_date: current, status, closed_at: closedAt === null ? null : new Date(closedAt) })
    .where('id', '=', created.id)
    .execute();
}

async function round(db: Db, group: number, date: string, rows: [string, string, string?, string?][]) {
  const opens = new Date(`${date}T15:00:00Z`);
  const r = await db
    .insertInto('checkin_rounds')
    .values({
      team_id: TEAM_ID,
      work_group_id: group,
      round_date: date,
      opens_at: opens,
      closes_at: new Date(opens.getTime() + 48 * 3_600_000),
      closed_at: new Date(opens.getTime() + 48 * 3_600_000),
      created_at: opens,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [user, status, assessment, support] of rows) {
    await db
      .insertInto('checkins')
      .values({
        team_id: TEAM_ID,
        work_group_id: group,
        round_id: r.id,
        user_id: user,
        status: status as 'answered',
        assessment: (assessment ?? null) as 'on_track' | null,
        intention: status === 'answered' ? 'Keep going' : null,
        support_needed: support ?? null,
        answered_at: status === 'answered' ? new Date(opens.getTime() + 3_600_000) : null,
        opens_at: opens,
        created_at: opens,
        updated_at: opens,
      })
      .execute();
  }
}

async function proposal(
  db: Db,
  title: string,
  opened: string,
  closed: string | null,
  outcome: string | null,
) {
  await db
    .insertInto('proposals')
    .values({
      team_id: TEAM_ID,
      kind: 'other',
      title,
      proposer_id: PEOPLE.carl,
      channel_id: CHANNELS.core,
      payload: '{}',
      quorum: '2/3',
      stand_aside_limit: '1/3',
      opened_at: opened,
      closes_at: closed ?? '2026-11-27T15:00:00Z',
      remind_at: opened,
      status: closed ? 'closed' : 'open',
      outcome: outcome as 'consensus' | null,
      closed_at: closed ? new Date(closed) : null,
    })
    .execute();
}

beforeAll(async () => {
  t = await startCoalition();
  t.fake.channels.get(CHANNELS.housing)?.members.push(PEOPLE.cora);
  await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing });
  const groups = await t.db.selectFrom('work_groups').select(['id', 'name']).execute();
  food = groups.find((g) => g.name === 'Food Access')?.id as number;
  housing = groups.find((g) => g.name === 'Housing')?.id as number;
  const { fay, finn, cora, hal } = PEOPLE;
  const db = t.db;
  // The groups were there before the history below; Transit's partnership ended during the first week.
  await db.updateTable('work_groups').set({ created_at: '2026-10-01T15:00:00Z' }).execute();
  const ended = await db
    .insertInto('work_groups')
    .values({
      team_id: TEAM_ID,
      name: 'Transit',
      channel_id: 'CTRANSIT',
      status: 'ended',
      checkin_weekday: 1,
      checkin_minute: 600,
      tz_mode: 'group',
      tz: 'America/New_York',
      created_by: PEOPLE.bea,
      created_at: '2026-10-01T15:00:00Z',
      updated_at: '2026-11-15T20:00:00Z',
      ended_at: new Date('2026-11-15T20:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  transit = ended.id;
  await step(db, hal, transit, 'Hand over the bus data', '2026-11-12', [['done', '2026-11-12T15:00:00Z']]);
  await step(db, fay, food, 'Early', '2026-11-10', [['done', '2026-11-05T15:00:00Z']]);
  await step(db, fay, food, 'On the day', '2026-11-12', [['done', '2026-11-13T03:00:00Z']]); // 22:00 on the 12th in New York
  await step(db, fay, food, 'Late', '2026-11-10', [['done', '2026-11-14T15:00:00Z']]);
  await step(db, finn, food, 'Done after the week', '2026-11-13', [['done', '2026-11-17T15:00:00Z']]);
  await step(db, cora, food, 'Moved, then done', '2026-11-11', [
    ['renegotiated', '2026-11-10T15:00:00Z', '2026-11-18'],
    ['done', '2026-11-18T16:00:00Z'],
  ]);
  await step(db, fay, food, 'Dropped in time', '2026-11-19', [
    ['dropped', '2026-11-17T15:00:00Z', 'No longer needed'],
  ]);
  await step(db, hal, housing, 'Still open', '2026-11-20', [
    ['support_requested', '2026-11-21T15:00:00Z', 'Need a lawyer'],
  ]);
  await round(db, food, '2026-11-09', [
    [fay, 'answered', 'on_track'],
    [finn, 'missed'],
    [cora, 'away'],
  ]);
  await round(db, food, '2026-11-16', [
    [fay, 'answered', 'at_risk', 'A van on Saturdays'],
    [finn, 'skipped'],
    [cora, 'answered', 'off_track'],
  ]);
  await proposal(db, 'Add Youth Jobs', '2026-11-04T15:00:00Z', '2026-11-11T15:00:00Z', 'consensus');
  await proposal(db, 'Change the backbone', '2026-11-05T15:00:00Z', '2026-11-12T15:00:00Z', 'blocked');
  await proposal(db, 'New logo', '2026-11-11T15:00:00Z', '2026-11-18T15:00:00Z', 'no_quorum');
  await proposal(db, 'Weekend hours', '2026-11-12T15:00:00Z', '2026-11-19T15:00:00Z', 'no_consensus');
  await proposal(db, 'Shared calendar', '2026-11-20T15:00:00Z', null, null);
});
afterAll(() => t.stop());

describe('the backbone’s figures, from the history', () => {
  it('counts each of two past weeks as it stood at its end', async () => {
    const { current: first } = await figures(t.db, TEAM_ID, FIRST_END);
    // Due 9–15 Nov: Early and On the day on time, Late late, “Done after the week” still open at the end.
    // “Moved, then done” was moved to the 18th during the week: counted as renegotiated, due the next week.
    const firstFood = first.groups.find((g) => g.id === food);
    expect(firstFood?.steps).toEqual(stepFigures(4, 2, 1, 1, 1, 0));
    expect(firstFood?.checkins).toMatchObject({ answered: 1, skipped: 0, missed: 1, away: 1, rate: 1 / 2 });
    expect(first.people.find((p) => p.userId === PEOPLE.finn)?.overdue.map((s) => s.title)).toEqual([
      'Done after the week',
    ]);
    expect(first.proposals.decided.map((p) => p.outcome)).toEqual(['consensus', 'blocked']);
    // Transit ended on the 15th: its week still counts, marked as ended, and the next week leaves it out.
    expect(first.groups.map((g) => [g.name, g.ended])).toEqual([
      ['Food Access', false],
      ['Housing', false],
      ['Transit', true],
    ]);
    expect(first.groups.find((g) => g.id === transit)?.steps).toEqual(stepFigures(1, 1, 0, 0, 0, 0));

    const { current: second, previous } = await figures(t.db, TEAM_ID, SECOND_END);
    expect(previous.groups.find((g) => g.id === food)?.steps).toEqual(firstFood?.steps);
    // Due 16–22 Nov: “Moved, then done” on its new date; “Dropped in time” released; Housing's step overdue.
    expect(second.groups.find((g) => g.id === food)?.steps).toEqual(stepFigures(1, 1, 0, 0, 0, 1));
    expect(second.groups.find((g) => g.id === housing)?.steps).toEqual(stepFigures(1, 0, 0, 1, 0, 0));
    expect(second.overall.steps).toEqual(stepFigures(2, 1, 0, 1, 0, 1));
    expect(second.groups.map((g) => g.name)).toEqual(['Food Access', 'Housing']);
    expect(second.groups.find((g) => g.id === food)?.checkins).toMatchObject({
      answered: 2,
      skipped: 1,
      missed: 0,
      onTrack: 0,
      atRisk: 1,
      offTrack: 1,
      rate: 2 / 3,
    });
    expect(second.people.find((p) => p.userId === PEOPLE.hal)?.overdue.map((s) => s.title)).toEqual([
      'Still open',
    ]);
    expect(second.people.filter((p) => p.overdue.length > 0).map((p) => p.userId)).toEqual([PEOPLE.hal]);
    expect(second.support.map((s) => [s.user_id, s.text])).toEqual([
      [PEOPLE.fay, 'A van on Saturdays'],
      [PEOPLE.hal, 'Still open: Need a lawyer'],
    ]);
    expect(second.proposals.decided.map((p) => p.outcome)).toEqual(['no_quorum', 'no_consensus']);
    expect(second.proposals.open.map((p) => p.title)).toEqual(['Shared calendar']);
  });

  it('shows the digest to a backbone member only, and posts it and nudges from its buttons', async () => {
    t.clock.set(SECOND_END);
    const refused = await t.slack.command(PEOPLE.fay, '/concert', 'digest');
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text ?? refused.body?.text).toMatch(
      /^Only members of the backbone channel <#CBACKBONE> can see the digest\./,
    );

    await t.slack.command(PEOPLE.bea, '/concert', 'digest', { channel: CHANNELS.backbone });
    const digest = digestsShown(PEOPLE.bea).at(-1);
    expect(digest?.text).toBe(
      'Coalition digest · Mon 16 Nov – Sun 22 Nov: Follow-through 50% (▼ 10 pts) · check-ins answered 67% (▲ 17 pts) · 1 overdue · 2 asking for support · 2 decided',
    );
    const shown = JSON.stringify(digest?.blocks);
    expect(shown).toContain('*Food Access* · 3 members');
    expect(shown).toContain(
      'Follow-through 100% (▲ 50 pts) · 1 due · 1 on time · 0 late · 0 overdue · 0 renegotiated · 1 dropped',
    );
    expect(shown).toContain(`• <@${PEOPLE.hal}>: 1 overdue — Still open (Fri 20 Nov)`);
    expect(t.fake.rejections).toEqual([]);

    await t.slack.clickButton(PEOPLE.bea, 'Nudge all overdue owners', { in: 'ephemeral' });
    const answered = t.fake.ephemerals(PEOPLE.bea).length;
    // The same click again (on the same digest as shown) is answered once: the first answer stands.
    const again = await t.slack.clickButton(PEOPLE.bea, 'Nudge all overdue owners', { in: 'ephemeral' });
    expect(again.status).toBe(200);
    expect(t.fake.ephemerals(PEOPLE.bea)).toHaveLength(answered);
    // The digest asked for again, its button nudges nobody twice, and says so.
    await t.slack.command(PEOPLE.bea, '/concert', 'digest', { channel: CHANNELS.backbone });
    await t.slack.clickButton(PEOPLE.bea, 'Nudge all overdue owners', { in: 'ephemeral' });
    expect(t.fake.ephemerals(PEOPLE.bea).at(-1)?.text).toBe(
      'Everyone overdue was already nudged from this digest.',
    );
    const nudges = t.fake
      .messages(PEOPLE.hal)
      .filter((m) => m.text.includes('from the backbone is checking in'));
    expect(nudges).toHaveLength(1);
    await t.slack.event({ type: 'app_home_opened', user: PEOPLE.bea, tab: 'home', channel: 'DBEA' });
    expect(JSON.stringify(t.fake.homeView(PEOPLE.bea))).toContain(
      '*The last 7 days:* *Follow-through 50%* (▼ 10 pts)',
    );
    await t.slack.event({ type: 'app_home_opened', user: PEOPLE.fay, tab: 'home', channel: 'DFAY' });
    expect(JSON.stringify(t.fake.homeView(PEOPLE.fay))).not.toContain('Follow-through');
    await t.slack.clickButton(PEOPLE.bea, 'Post to the backbone channel', { in: 'ephemeral' });
    await t.settled();
    // The digest, then its charts.
    expect(
      t.fake
        .messages(CHANNELS.backbone)
        .slice(-2)
        .map((m) => m.text.slice(0, 42)),
    ).toEqual(['Coalition digest · Mon 16 Nov – Sun 22 Nov', 'Coalition charts · Mon 16 Nov – Sun 22 Nov']);
  });

  it('posts the weekly digest once, at its day and time, however often and on however many instances', async () => {
    t.fake.clearCalls();
    // Mondays at 08:00 in New York: 13:00 UTC.
    for (const at of [
      '2026-11-30T12:45:00Z',
      '2026-11-30T13:00:00Z',
      '2026-11-30T13:15:00Z',
      '2026-11-30T18:00:00Z',
    ])
      await fireSlot(t, 'digest', new Date(at));
    // A second instance on the same database (its own pool on a real server): the slot is taken, and when
    // both run the job at the same moment anyway, the outbox still lets one digest through.
    const url = t.database?.url;
    const secondDb: Db = url ? postgresDatabase(url) : t.db;
    const second = await startTestApp({ db: secondDb, fake: t.fake });
    try {
      expect(await fireSlot(second, 'digest', new Date('2026-11-30T13:00:00Z'), 'another-instance')).toBe(
        false,
      );
      const nextWeek = new Date('2026-12-07T13:00:00Z');
      t.clock.set(nextWeek);
      second.clock.set(nextWeek);
      await Promise.all([jobFor(t, 'digest').run(nextWeek), jobFor(second, 'digest').run(nextWeek)]);
    } finally {
      await second.stop();
      if (secondDb !== t.db) await secondDb.destroy();
    }
    const posted = t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNELS.backbone);
    // Each week's digest, then its charts (follow-through and check-ins per group), once each.
    expect(posted.map((c) => c.args.text.slice(0, 43))).toEqual([
      'Coalition digest · Mon 23 Nov – Sun 29 Nov:',
      'Coalition charts · Mon 23 Nov – Sun 29 Nov:',
      'Coalition digest · Mon 30 Nov – Sun 6 Dec: ',
      'Coalition charts · Mon 30 Nov – Sun 6 Dec: ',
    ]);
  });

  it('keeps a 40-group coalition’s digest whole and inside Slack’s limits', async () => {
    await t.db
      .insertInto('work_groups')
      .values(
        Array.from({ length: 38 }, (_, i) => ({
          team_id: TEAM_ID,
          name: `Group ${String(i + 1).padStart(2, '0')} with a fairly long name for its section`,
          channel_id: `CG${i}`,
          checkin_weekday: 1,
          checkin_minute: 600,
          tz_mode: 'group' as const,
          tz: 'America/New_York',
          created_by: PEOPLE.bea,
        })),
      )
      .execute();
    t.fake.clearCalls();
    await t.slack.command(PEOPLE.bea, '/concert', 'digest 4', { channel: CHANNELS.backbone });
    expect(t.fake.rejections).toEqual([]);
    const parts = digestsShown(PEOPLE.bea).slice(-2);
    expect(parts.map((p) => (p.blocks ?? []).length <= 50)).toEqual([true, true]);
    const sections = parts
      .flatMap((p) => p.blocks ?? [])
      .filter((b) => /^\*(Group \d\d|Food Access|Housing)/.test(b.text?.text ?? ''));
    expect(sections).toHaveLength(40);
  });

  it('exports CSV files to a backbone member’s DM that read back exactly as stored', async () => {
    await step(t.db, PEOPLE.fay, food, 'Crates for the Café, "the big ones"\nand más', '2026-11-30');
    await step(t.db, PEOPLE.fay, food, '=HYPERLINK("http://example.com","Open me")', '2026-11-30');
    await step(t.db, PEOPLE.fay, food, "'-1 already marked", '2026-11-30');
    const refused = await t.slack.command(PEOPLE.fay, '/concert', 'export');
    await t.settled();
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text ?? refused.body?.text).toMatch(
      /^Only members of the backbone channel <#CBACKBONE> can export the records\./,
    );
    expect(csvFiles()).toEqual([]);

    await t.slack.command(PEOPLE.bea, '/concert', 'export', { channel: CHANNELS.backbone });
    const files = csvFiles();
    expect(files.map((f) => [f.filename, f.channel])).toEqual([
      ['concert-action-steps-2026-12-07.csv', 'DBEA'],
      ['concert-check-ins-2026-12-07.csv', 'DBEA'],
      ['concert-decisions-2026-12-07.csv', 'DBEA'],
      ['concert-indicators-2026-12-07.csv', 'DBEA'],
    ]);
    const [header, ...rows] = parseCsv((files[0] as { content: Buffer }).content.toString('utf8'));
    const stored = await stepHistory(t.db, TEAM_ID);
    const asText = (v: unknown) => (v === null ? '' : v instanceof Date ? v.toISOString() : String(v));
    expect(rows).toEqual(stored.map((r) => (header ?? []).map((c) => asText(r[c as keyof typeof r]))));
    expect(rows.some((r) => r.includes('Crates for the Café, "the big ones"\nand más'))).toBe(true);
    // A spreadsheet shows a title that looks like a formula as text, instead of running it.
    const raw = (files[0] as { content: Buffer }).content.toString('utf8');
    expect(raw).toContain(`,"'=HYPERLINK(""http://example.com"",""Open me"")",`);
    expect(raw).toContain(`,''-1 already marked,`);
    expect(rows.some((r) => r.includes("'-1 already marked"))).toBe(true);
    const decisions = parseCsv((files[2] as { content: Buffer }).content.toString('utf8'));
    expect(decisions.slice(1).map((r) => r[1])).toEqual([
      'Add Youth Jobs',
      'Change the backbone',
      'New logo',
      'Weekend hours',
      'Shared calendar',
    ]);
  });

  it('serves the public records only when enabled, with the tally and, if the workspace chooses, the names', async () => {
    expect((await fetch(`${t.url}/records`)).status).toBe(404);
    expect((await fetch(`${t.url}/records.json`)).status).toBe(404);
    const agreed = await t.db
      .selectFrom('proposals')
      .select('id')
      .where('title', '=', 'Add Youth Jobs')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('proposal_votes')
      .values([
        {
          team_id: TEAM_ID,
          proposal_id: agreed.id,
          voter_id: PEOPLE.ben,
          position: 'support',
          reason: 'Private reason',
          voted_at: '2026-11-05T15:00:00Z',
        },
        {
          team_id: TEAM_ID,
          proposal_id: agreed.id,
          voter_id: PEOPLE.carl,
          position: 'stand_aside',
          reason: 'Another private reason',
          voted_at: '2026-11-05T16:00:00Z',
        },
      ])
      .execute();

    const open = await startTestApp({ db: t.db, fake: t.fake, publicRecords: true });
    try {
      const page = await fetch(`${open.url}/records`);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'",
      );
      const html = await page.text();
      expect(html).toContain(
        '<td>Add Youth Jobs</td><td>Other</td><td>Consensus reached</td><td>1 support · 1 stand aside · 0 block</td>',
      );
      const { decisions } = (await (await fetch(`${open.url}/records.json`)).json()) as {
        decisions: unknown[];
      };
      expect(decisions).toEqual([
        {
          title: 'Weekend hours',
          kind: 'other',
          outcome: 'no_consensus',
          decidedOn: '2026-11-19',
          tally: { support: 0, stand_aside: 0, block: 0 },
        },
        {
          title: 'New logo',
          kind: 'other',
          outcome: 'no_quorum',
          decidedOn: '2026-11-18',
          tally: { support: 0, stand_aside: 0, block: 0 },
        },
        {
          title: 'Change the backbone',
          kind: 'other',
          outcome: 'blocked',
          decidedOn: '2026-11-12',
          tally: { support: 0, stand_aside: 0, block: 0 },
        },
        {
          title: 'Add Youth Jobs',
          kind: 'other',
          outcome: 'consensus',
          decidedOn: '2026-11-11',
          tally: { support: 1, stand_aside: 1, block: 0 },
        },
      ]);
      expect(JSON.stringify(decisions) + html).not.toMatch(/UBEN|UCARL|Private reason|Shared calendar/);
      expect((await fetch(`${open.url}/records`, { method: 'POST' })).status).toBe(404);

      // The backbone chooses, in the settings, to name the voters.
      await t.slack.command(PEOPLE.bea, '/concert', 'setup', { channel: CHANNELS.backbone });
      const settings = t.slack.modal(PEOPLE.bea);
      settings.radio('Public records', 'Also name who voted how');
      expect((await settings.submit(PEOPLE.bea)).body).toBe('');
      await t.settled();
      const named = (await (await fetch(`${open.url}/records.json`)).json()) as {
        decisions: { title: string; voters?: unknown }[];
      };
      expect(named.decisions.find((d) => d.title === 'Add Youth Jobs')?.voters).toEqual({
        support: ['ben'],
        stand_aside: ['carl'],
        block: [],
      });
    } finally {
      await open.stop();
    }
  });

  it('moves the weekly digest to the day and time the backbone sets', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'setup', { channel: CHANNELS.backbone });
    const settings = t.slack.modal(PEOPLE.bea);
    expect(settings.value('Weekly digest time')).toMatchObject({ selected_time: '08:00' });
    settings.select('Weekly digest day', 'Thursday').time('Weekly digest time', '17:30');
    expect((await settings.submit(PEOPLE.bea)).body).toBe('');
    await t.settled();
    t.fake.clearCalls();
    // Monday 08:00 in New York passes without a digest; Thursday 17:30 there (22:30 UTC) brings it.
    const digestsAfter = async (at: string) => {
      await fireSlot(t, 'digest', new Date(at));
      return t.fake
        .callsTo('chat.postMessage')
        .filter(
          (c) => c.args.channel === CHANNELS.backbone && String(c.args.text).startsWith('Coalition digest'),
        )
        .map((c) => String(c.args.text).slice(0, 42));
    };
    expect(await digestsAfter('2026-12-14T13:00:00Z')).toEqual([]);
    expect(await digestsAfter('2026-12-17T22:15:00Z')).toEqual([]);
    // The 40 groups added above take the digest over two messages, both of this one period.
    const posted = await digestsAfter('2026-12-17T22:30:00Z');
    expect(posted).toHaveLength(2);
    expect(new Set(posted)).toEqual(new Set(['Coalition digest · Thu 10 Dec – Wed 16 Dec']));
  });
});
