import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { type Db, embeddedDatabase, openPGlite, postgresDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type {
  ActionStepEventKind,
  Assessment,
  CheckinStatus,
  NewActionStep,
  NewCheckin,
  NewOutboxRow,
  WorkGroup,
  Workspace,
} from '../src/db/schema.js';
import { scheduleOf } from '../src/services/checkin-rounds.js';
import { type CheckinWindow, checkinWindow } from '../src/services/checkin-schedule.js';
import { escalationAt, ownerNudgeAt } from '../src/services/nudge-schedule.js';
import { hoursOf, policyOf } from '../src/services/nudges.js';
import {
  addDays,
  daysBetween,
  type IsoDate,
  instantAt,
  isoWeekday,
  localTime,
} from '../src/services/time.js';

/**
 * A large coalition for the benchmarks: 40 work groups of 10 members (400 people in three time zones), each
 * group checking in weekly, with `WEEKS` weeks of history (12, or 24 from 20,000 members) written straight into the tables in the shape the app
 * leaves them in: closed rounds and their check-ins, about two action steps per member per week with their
 * events, the messages the outbox sent (prompts, reminders, summaries, reports, nudges, escalations), and a
 * proposal decided most weeks. The history stops at `cutoff`, in the week after, with that week's early rounds
 * open and the scheduler caught up.
 */

export const TEAM_ID = 'TBENCH';
export const GROUPS = 40;
export const MEMBERS_PER_GROUP = 10;
/**
 * Weeks of history: BENCH_WEEKS, else 12, and 24 from 20,000 members (BENCH_PEOPLE) on, so the largest size
 * has about 50 action steps per member (1 M steps, 2 M events) while 400 and 4,000 stay as they were.
 */
export const WEEKS = Number(
  process.env.BENCH_WEEKS ?? (Number(process.env.BENCH_PEOPLE ?? 0) >= 20_000 ? 24 : 12),
);
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles'] as const;
const WORKSPACE_TZ = 'America/New_York';
/** The digest's Monday; the history starts WEEKS weeks before it. */
export const DIGEST_MONDAY = '2026-11-30';
const FIRST_MONDAY = addDays(DIGEST_MONDAY, -7 * WEEKS);
/** The weekly digest's moment (Monday 08:00 in the workspace's zone): its figures cover the last week. */
export const DIGEST_END = instantAt(DIGEST_MONDAY, 8 * 60, WORKSPACE_TZ);
/** Everyone joined five weeks before the history starts (10:00 in New York). */
const JOINED = instantAt(addDays(FIRST_MONDAY, -35), 10 * 60, WORKSPACE_TZ);
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const TICK_MS = 5 * MINUTE_MS;

const BACKBONE = ['UBACK01', 'UBACK02', 'UBACK03', 'UBACK04'];
export const CHANNELS = { core: 'CCORE', backbone: 'CBACKBONE' } as const;

const GROUP_NAMES = [
  'Food Access',
  'Housing',
  'Youth Jobs',
  'Early Learning',
  'Transit',
  'Health Navigation',
  'Adult Literacy',
  'Reentry',
  'Mental Health',
  'Digital Inclusion',
  'Senior Services',
  'Childcare',
  'Financial Coaching',
  'Immigrant Services',
  'Parks and Green Space',
  'Workforce Training',
  'School Attendance',
  'Tenant Rights',
  'Nutrition Education',
  'Violence Prevention',
  'Maternal Health',
  'College Access',
  'Small Business',
  'Disability Access',
  'Veterans',
  'Homeless Outreach',
  'Language Access',
  'Summer Programs',
  'Arts and Culture',
  'Data and Evaluation',
  'Community Safety',
  'Broadband',
  'Energy Assistance',
  'Legal Aid',
  'Faith Partners',
  'Employer Council',
  'Youth Voice',
  'Family Resource Centers',
  'Public Benefits',
  'Climate Resilience',
];

const STEP_TITLES = [
  'Call the county office about the grant',
  'Draft the volunteer schedule',
  'Share the intake survey with partners',
  'Book the room for the community meeting',
  'Send the monthly numbers to the backbone',
  'Follow up with the school district',
  'Update the resource list',
  'Meet the new partner organization',
  'Write the newsletter section',
  'Collect sign-in sheets from the sites',
  'Review the draft budget',
  'Translate the flyer',
  'Set up the shared calendar',
  'Confirm the van for Saturday',
  'Interview two participants for the story',
  'Prepare slides for the Core meeting',
];

/** A small deterministic random source (mulberry32), so every run seeds the same coalition. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

export interface Member {
  userId: string;
  tz: string;
  group: WorkGroup;
}

export interface Coalition {
  db: Db;
  workspace: Workspace;
  groups: WorkGroup[];
  members: Member[];
  /** The end of the history: the last check-in tick before `opening`, caught up. */
  cutoff: Date;
  /** A check-in tick at which exactly one group's round opens, and nothing else is due. */
  opening: { at: Date; group: WorkGroup; roundDate: IsoDate };
  /** Rows written per table. */
  counts: Record<string, number>;
}

/** A fresh, migrated database: PGlite in memory, or a throwaway database on BENCH_DATABASE_URL's server. */
export async function openBenchDatabase(): Promise<{ db: Db; kind: string; close(): Promise<void> }> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const db = embeddedDatabase(await openPGlite(undefined));
    await migrateToLatest(db);
    return { db, kind: 'PGlite', close: () => db.destroy() };
  }
  const name = `concert_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = postgresDatabase(serverUrl, 1);
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = postgresDatabase(url.toString());
  const close = async () => {
    await db.destroy();
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await admin.destroy();
  };
  try {
    await migrateToLatest(db);
    const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
    return { db, kind: `PostgreSQL ${version.rows[0]?.v ?? ''}`.trim(), close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function inChunks<T, R>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<R[]>,
  size = 500,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += size) out.push(...(await insert(rows.slice(i, i + size))));
  return out;
}

/** Inserts rows and returns their ids in the same order, checking the order on a column each row has. */
async function insertReturningIds<T extends Record<string, unknown>>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<{ id: number; check: unknown }[]>,
  check: (row: T) => unknown,
): Promise<number[]> {
  const returned = await inChunks(rows, insert);
  return returned.map((r, i) => {
    const row = rows[i] as T;
    if (String(r.check) !== String(check(row))) throw new Error('RETURNING came back out of order');
    return r.id;
  });
}

function groupSchedule(g: number) {
  return {
    // Monday to Friday, 09:00 to 12:30 local, every fourth group in each member's own zone.
    weekday: 1 + (g % 5),
    minute: 9 * 60 + 30 * Math.floor(g / 5),
    tz: ZONES[g % 3] as string,
    tzMode: g % 4 === 3 ? ('member' as const) : ('group' as const),
  };
}

const weekMonday = (week: number) => addDays(FIRST_MONDAY, 7 * week);
const roundDateOf = (group: WorkGroup, week: number) => addDays(weekMonday(week), group.checkin_weekday - 1);
const tzFor = (group: WorkGroup, member: Member) => (group.tz_mode === 'member' ? member.tz : group.tz);

/** Every moment the check-ins job acts on in a week: openings, reminders and closes, per member and round. */
function checkinEvents(groups: readonly WorkGroup[], members: readonly Member[], week: number) {
  const events: { at: number; groupId: number; kind: 'open' | 'remind' | 'close' }[] = [];
  for (const group of groups) {
    const date = roundDateOf(group, week);
    const windows = members
      .filter((m) => m.group.id === group.id)
      .map((m) => checkinWindow(date, scheduleOf(group), tzFor(group, m)));
    for (const w of windows) {
      events.push({ at: w.opensAt.getTime(), groupId: group.id, kind: 'open' });
      events.push({ at: w.reminderAt.getTime(), groupId: group.id, kind: 'remind' });
      events.push({ at: w.closesAt.getTime(), groupId: group.id, kind: 'close' });
    }
  }
  return events;
}

/**
 * The first opening on the 13th week's Tuesday of a group checking in on its own zone's clock at which nothing
 * else is due: no other opening, reminder or close falls in the five minutes before it.
 */
function chooseOpening(groups: readonly WorkGroup[], members: readonly Member[]) {
  const events = [...checkinEvents(groups, members, WEEKS - 1), ...checkinEvents(groups, members, WEEKS)];
  const candidates = groups
    .filter((g) => g.tz_mode === 'group' && g.checkin_weekday === 2)
    .map((group) => ({ group, roundDate: roundDateOf(group, WEEKS) }))
    .map((c) => ({ ...c, at: instantAt(c.roundDate, c.group.checkin_minute, c.group.tz) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const c of candidates) {
    const t = c.at.getTime();
    const clash = events.some(
      (e) => e.at > t - TICK_MS && e.at <= t && !(e.groupId === c.group.id && e.kind === 'open'),
    );
    if (!clash) return c;
  }
  throw new Error('no opening with nothing else due');
}

interface SeedCheckin {
  row: NewCheckin;
  member: Member;
  window: CheckinWindow;
  /** When a round's report was posted and the round closed, for the outbox rows. */
  roundClosedAt: Date | null;
}

/** Seeds the coalition into a migrated, empty database. */
export async function seedCoalition(db: Db): Promise<Coalition> {
  const rand = random(20261130);
  const counts: Record<string, number> = {};
  const count = (table: string, n: number) => {
    counts[table] = (counts[table] ?? 0) + n;
  };
  const setUpAt = new Date(JOINED);

  const workspace = await db
    .insertInto('workspaces')
    .values({
      team_id: TEAM_ID,
      core_channel_id: CHANNELS.core,
      backbone_channel_id: CHANNELS.backbone,
      default_tz: WORKSPACE_TZ,
      set_up_by: BACKBONE[0] as string,
      set_up_at: setUpAt,
      created_at: setUpAt,
      updated_at: setUpAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  const groupRows = Array.from({ length: GROUPS }, (_, g) => {
    const s = groupSchedule(g);
    return {
      team_id: TEAM_ID,
      name: GROUP_NAMES[g] as string,
      channel_id: `CGROUP${String(g + 1).padStart(2, '0')}`,
      checkin_weekday: s.weekday,
      checkin_minute: s.minute,
      tz_mode: s.tzMode,
      tz: s.tz,
      created_by: BACKBONE[0] as string,
      created_at: setUpAt,
      updated_at: setUpAt,
    };
  });
  const groups = await db.insertInto('work_groups').values(groupRows).returningAll().execute();
  groups.sort((a, b) => a.id - b.id);
  count('work_groups', groups.length);

  const members: Member[] = [];
  for (const [g, group] of groups.entries()) {
    for (let i = 0; i < MEMBERS_PER_GROUP; i++) {
      const n = g * MEMBERS_PER_GROUP + i;
      members.push({ userId: `U${String(n + 1).padStart(4, '0')}`, tz: ZONES[n % 3] as string, group });
    }
  }
  const representatives = members.filter((_, n) => n % MEMBERS_PER_GROUP === 0).map((m) => m.userId);
  const people = [
    ...BACKBONE.map((userId) => ({ userId, tz: WORKSPACE_TZ })),
    ...members.map((m) => ({ userId: m.userId, tz: m.tz })),
  ];
  await inChunks(people, (chunk) =>
    db
      .insertInto('people')
      .values(
        chunk.map((p) => ({
          team_id: TEAM_ID,
          user_id: p.userId,
          name: `Person ${p.userId.slice(1)}`,
          tz: p.tz,
          is_bot: false,
          is_admin: p.userId === BACKBONE[0],
          is_owner: false,
          deleted: false,
          refreshed_at: setUpAt,
        })),
      )
      .execute(),
  );
  count('people', people.length);
  const memberships = [
    ...BACKBONE.map((user_id) => ({ channel_id: CHANNELS.backbone, user_id })),
    ...[BACKBONE[0] as string, ...representatives].map((user_id) => ({ channel_id: CHANNELS.core, user_id })),
    ...members.map((m) => ({ channel_id: m.group.channel_id, user_id: m.userId })),
  ];
  await inChunks(memberships, (chunk) =>
    db
      .insertInto('channel_members')
      .values(chunk.map((c) => ({ team_id: TEAM_ID, ...c, joined_at: JOINED })))
      .execute(),
  );
  count('channel_members', memberships.length);

  // A few people away over the last weeks and on into the next.
  const awayFrom = addDays(DIGEST_MONDAY, -10);
  const awayUntil = addDays(DIGEST_MONDAY, 10);
  const away = new Set(members.filter((_, n) => n % 50 === 7).map((m) => m.userId));
  await db
    .insertInto('away_notices')
    .values(
      [...away].map((user_id) => ({
        team_id: TEAM_ID,
        user_id,
        away_until: awayUntil,
        set_at: instantAt(awayFrom, 9 * 60, WORKSPACE_TZ),
      })),
    )
    .execute();
  count('away_notices', away.size);

  const opening = chooseOpening(groups, members);
  const cutoff = new Date(opening.at.getTime() - TICK_MS);
  const upTo = (at: Date) => at.getTime() <= cutoff.getTime();

  // Rounds: every week's, once a member's check-in has opened by the cutoff.
  const rounds: { group: WorkGroup; date: IsoDate; windows: [Member, CheckinWindow][] }[] = [];
  for (const group of groups) {
    const own = members.filter((m) => m.group.id === group.id);
    for (let week = 0; week <= WEEKS; week++) {
      const date = roundDateOf(group, week);
      const windows = own.map(
        (m) => [m, checkinWindow(date, scheduleOf(group), tzFor(group, m))] as [Member, CheckinWindow],
      );
      if (windows.some(([, w]) => upTo(w.opensAt))) rounds.push({ group, date, windows });
    }
  }
  const roundRows = rounds.map((r) => {
    const opens = new Date(Math.min(...r.windows.map(([, w]) => w.opensAt.getTime())));
    const closes = new Date(Math.max(...r.windows.map(([, w]) => w.closesAt.getTime())));
    return {
      team_id: TEAM_ID,
      work_group_id: r.group.id,
      round_date: r.date,
      opens_at: opens,
      closes_at: closes,
      closed_at: upTo(closes) ? closes : null,
      created_at: opens,
    };
  });
  const roundIds = await insertReturningIds(
    roundRows,
    (chunk) =>
      db.insertInto('checkin_rounds').values(chunk).returning(['id', 'round_date as check']).execute(),
    (r) => r.round_date,
  );
  count('checkin_rounds', roundRows.length);

  // Check-ins: one per member and round, as each stood at the cutoff.
  const checkins: SeedCheckin[] = [];
  for (const [i, round] of rounds.entries()) {
    const roundId = roundIds[i] as number;
    const roundRow = roundRows[i] as (typeof roundRows)[number];
    const roundClosed = roundRow.closed_at;
    for (const [member, window] of round.windows) {
      if (!upTo(window.opensAt)) continue;
      const awayNow = away.has(member.userId) && round.date >= awayFrom && round.date <= awayUntil;
      const r = rand.next();
      const isAway = awayNow || rand.next() < 0.03;
      let status: CheckinStatus = 'pending';
      let answeredAt: Date | null = null;
      let skippedAt: Date | null = null;
      let late = false;
      if (!isAway) {
        if (r < 0.76) answeredAt = new Date(window.opensAt.getTime() + rand.int(30, 44 * 60) * MINUTE_MS);
        else if (r < 0.79) {
          answeredAt = new Date(roundRow.closes_at.getTime() + rand.int(60, 30 * 60) * MINUTE_MS);
          late = true;
        } else if (r < 0.87)
          skippedAt = new Date(window.opensAt.getTime() + rand.int(30, 30 * 60) * MINUTE_MS);
        if (answeredAt && !upTo(answeredAt)) answeredAt = null;
        if (skippedAt && !upTo(skippedAt)) skippedAt = null;
        if (late && !(answeredAt && roundClosed)) {
          late = false;
          answeredAt = null;
        }
        status = answeredAt ? 'answered' : skippedAt ? 'skipped' : roundClosed ? 'missed' : 'pending';
      } else status = 'away';
      const actedAt = answeredAt ?? skippedAt;
      const reminded =
        status !== 'away' &&
        upTo(window.reminderAt) &&
        (!actedAt || actedAt.getTime() > window.reminderAt.getTime());
      const assessment: Assessment | null = answeredAt
        ? rand.next() < 0.65
          ? 'on_track'
          : rand.next() < 0.7
            ? 'at_risk'
            : 'off_track'
        : null;
      checkins.push({
        member,
        window,
        roundClosedAt: roundClosed,
        row: {
          team_id: TEAM_ID,
          work_group_id: round.group.id,
          round_id: roundId,
          user_id: member.userId,
          status,
          opens_at: window.opensAt,
          reminder_at: window.reminderAt,
          closes_at: window.closesAt,
          prompted_at: status === 'away' ? null : window.opensAt,
          reminded_at: reminded ? window.reminderAt : null,
          intention: answeredAt ? 'Keep the partners moving on this quarter’s targets' : null,
          actions_taken: answeredAt ? 'Met with two partners; updated the shared tracker' : null,
          assessment,
          assessment_note: assessment && assessment !== 'on_track' ? 'Waiting on a partner’s data' : null,
          support_needed:
            answeredAt && rand.next() < 0.08 ? 'An introduction to the county’s grants team' : null,
          answered_at: answeredAt,
          skipped_at: skippedAt,
          late,
          created_at: window.opensAt,
          updated_at: actedAt ?? window.opensAt,
        },
      });
    }
  }
  const checkinIds = await insertReturningIds(
    checkins.map((c) => c.row),
    (chunk) => db.insertInto('checkins').values(chunk).returning(['id', 'user_id as check']).execute(),
    (r) => r.user_id,
  );
  count('checkins', checkins.length);

  // Action steps: the next steps of each answer, and some made with /commit during the week.
  interface SeedStep {
    owner: Member;
    createdAt: Date;
    source: 'checkin' | 'commit';
    sourceRef: string | null;
  }
  const seedSteps: SeedStep[] = [];
  for (const [i, c] of checkins.entries()) {
    if (c.row.status !== 'answered' || !c.row.answered_at) continue;
    const answered = c.row.answered_at as Date;
    const n = 1 + (rand.next() < 0.5 ? 1 : 0) + (rand.next() < 0.15 ? 1 : 0);
    for (let k = 0; k < n; k++)
      seedSteps.push({
        owner: c.member,
        createdAt: answered,
        source: 'checkin',
        sourceRef: `checkin:${checkinIds[i]}`,
      });
  }
  for (const member of members) {
    for (let week = 0; week <= WEEKS; week++) {
      const n = (rand.next() < 0.5 ? 1 : 0) + (rand.next() < 0.25 ? 1 : 0);
      for (let k = 0; k < n; k++) {
        const day = addDays(weekMonday(week), rand.int(0, 4));
        const createdAt = instantAt(day, rand.int(9 * 60, 17 * 60), member.tz);
        if (upTo(createdAt)) seedSteps.push({ owner: member, createdAt, source: 'commit', sourceRef: null });
      }
    }
  }

  /** A moment on a working day's afternoon in the owner's zone. */
  const onDay = (day: IsoDate, tz: string) => instantAt(day, rand.int(9 * 60, 18 * 60), tz);
  const dayIn = (from: IsoDate, to: IsoDate) =>
    addDays(from, rand.int(0, Math.max(0, daysBetween(from, to))));
  const weekday = (date: IsoDate) => {
    const d = isoWeekday(date);
    return d === 6 ? addDays(date, -1) : d === 7 ? addDays(date, 1) : date;
  };

  interface StepEvent {
    kind: ActionStepEventKind;
    at: Date;
    old: string | null;
    due: string | null;
    note: string | null;
  }
  const steps: { step: NewActionStep; events: StepEvent[]; owner: Member }[] = [];
  for (const s of seedSteps) {
    const tz = s.owner.tz;
    const created = localTime(s.createdAt, tz).date;
    const firstDue = weekday(addDays(created, rand.int(2, 10)));
    const events: StepEvent[] = [{ kind: 'created', at: s.createdAt, old: null, due: firstDue, note: null }];
    let due = firstDue;
    const closeOn = (kind: 'done' | 'dropped', day: IsoDate, note: string | null = null) => {
      let at = onDay(day, tz);
      const last = (events.at(-1) as StepEvent).at;
      if (at.getTime() <= last.getTime()) at = new Date(last.getTime() + rand.int(10, 180) * MINUTE_MS);
      events.push({ kind, at, old: due, due: null, note });
    };
    if (rand.next() < 0.05) {
      const at = onDay(dayIn(created, due), tz);
      if (at > s.createdAt)
        events.push({ kind: 'support_requested', at, old: due, due: null, note: 'Need a contact' });
    }
    const r = rand.next();
    if (r < 0.58) closeOn('done', dayIn(created, due));
    else if (r < 0.7) closeOn('done', addDays(due, rand.int(1, 6)));
    else if (r < 0.81) {
      const moved = weekday(addDays(due, rand.int(3, 8)));
      let at = onDay(dayIn(created, due), tz);
      if (at.getTime() <= s.createdAt.getTime()) at = new Date(s.createdAt.getTime() + HOUR_MS);
      events.push({ kind: 'renegotiated', at, old: due, due: moved, note: 'Waiting on the partner' });
      due = moved;
      const then = rand.next();
      if (then < 0.75) closeOn('done', dayIn(localTime(at, tz).date, due));
      else if (then < 0.9) closeOn('done', addDays(due, rand.int(1, 5)));
    } else if (r < 0.92) {
      if (rand.next() < 0.5) closeOn('dropped', dayIn(created, due), 'No longer needed');
      else closeOn('dropped', addDays(due, rand.int(1, 5)), 'No longer needed');
    }
    // What had happened by the cutoff; later events have not happened yet.
    const kept = events.filter((e) => upTo(e.at)).sort((a, b) => a.at.getTime() - b.at.getTime());
    const closing = kept.find((e) => e.kind === 'done' || e.kind === 'dropped');
    const lastDue = kept.filter((e) => e.due).at(-1)?.due ?? firstDue;
    const final = closing ? kept.slice(0, kept.indexOf(closing) + 1) : kept;
    steps.push({
      owner: s.owner,
      events: final,
      step: {
        team_id: TEAM_ID,
        title: rand.pick(STEP_TITLES),
        owner_id: s.owner.userId,
        created_by: s.owner.userId,
        work_group_id: s.owner.group.id,
        due_date: lastDue,
        first_due_date: firstDue,
        status: closing ? (closing.kind as 'done' | 'dropped') : 'open',
        source: s.source,
        source_ref: s.sourceRef,
        created_at: s.createdAt,
        updated_at: (final.at(-1) as StepEvent).at,
        closed_at: closing?.at ?? null,
      },
    });
  }
  const stepIds = await insertReturningIds(
    steps.map((s) => s.step),
    (chunk) => db.insertInto('action_steps').values(chunk).returning(['id', 'owner_id as check']).execute(),
    (r) => r.owner_id,
  );
  count('action_steps', steps.length);
  const eventRows = steps.flatMap((s, i) =>
    s.events.map((e) => ({
      team_id: TEAM_ID,
      action_step_id: stepIds[i] as number,
      actor_id: s.owner.userId,
      kind: e.kind,
      old_due_date: e.old,
      new_due_date: e.due,
      note: e.note,
      at: e.at,
    })),
  );
  await inChunks(eventRows, (chunk) => db.insertInto('action_step_events').values(chunk).execute());
  count('action_step_events', eventRows.length);

  // The outbox as the scheduler left it: every message it sent, keyed as the app keys them.
  let ts = 1_700_000_000;
  const sent = (
    row: Omit<NewOutboxRow, 'team_id' | 'status' | 'next_attempt_at' | 'blocks' | 'attempts'>,
  ) => {
    const at = row.created_at as Date;
    const text = row.text;
    return {
      team_id: TEAM_ID,
      ...row,
      blocks: JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text } }]),
      status: 'sent' as const,
      attempts: 1,
      next_attempt_at: at,
      sent_at: at,
      message_channel:
        row.message_channel ?? (row.channel_id.startsWith('U') ? `D${row.channel_id}` : row.channel_id),
      message_ts: row.message_ts ?? `${ts++}.000100`,
    };
  };
  const outbox: ReturnType<typeof sent>[] = [];
  const summaryTs = new Map<number, string>();
  for (const [i, round] of roundRows.entries()) {
    if (!round.closed_at) continue;
    const group = rounds[i]?.group as WorkGroup;
    const row = sent({
      kind: 'checkin_summary',
      dedupe_key: String(roundIds[i]),
      channel_id: group.channel_id,
      text: `Check-in of ${group.name}, ${round.round_date}`,
      created_at: round.closed_at,
    });
    summaryTs.set(roundIds[i] as number, row.message_ts);
    outbox.push(row);
  }
  for (const [i, c] of checkins.entries()) {
    const { row, member } = c;
    const key = `${row.round_id}:${row.user_id}`;
    const promptTs: Record<string, string> = {};
    if (row.prompted_at) {
      const prompt = sent({
        kind: 'checkin_prompt',
        dedupe_key: key,
        channel_id: member.userId,
        text: `Time for the weekly check-in of ${member.group.name}.`,
        created_at: row.prompted_at as Date,
      });
      promptTs.checkin_prompt = prompt.message_ts;
      outbox.push(prompt);
    }
    if (row.reminded_at) {
      const reminder = sent({
        kind: 'checkin_reminder',
        dedupe_key: key,
        channel_id: member.userId,
        text: `A reminder: the weekly check-in of ${member.group.name}.`,
        created_at: row.reminded_at as Date,
      });
      promptTs.checkin_reminder = reminder.message_ts;
      outbox.push(reminder);
    }
    const closedAt = c.roundClosedAt;
    if (closedAt && row.status === 'answered') {
      const answered = row.answered_at as Date;
      outbox.push(
        sent({
          kind: 'checkin_report',
          dedupe_key: String(checkinIds[i]),
          channel_id: member.group.channel_id,
          text: `Check-in of <@${member.userId}>`,
          thread_ts: summaryTs.get(row.round_id as number) ?? null,
          created_at: answered > closedAt ? answered : closedAt,
        }),
      );
    }
    if (closedAt && row.status === 'missed') {
      for (const [kind, messageTs] of Object.entries(promptTs))
        outbox.push(
          sent({
            kind: 'checkin_closed',
            dedupe_key: `${key}:${kind}`,
            channel_id: `D${member.userId}`,
            text: `The check-in of ${member.group.name} has closed.`,
            update_ts: messageTs,
            message_channel: `D${member.userId}`,
            message_ts: messageTs,
            created_at: closedAt,
          }),
        );
    }
    if (row.support_needed && row.answered_at) {
      outbox.push(
        sent({
          kind: 'checkin_support',
          dedupe_key: `${checkinIds[i]}:${(row.updated_at as Date).toISOString()}`,
          channel_id: CHANNELS.backbone,
          text: `<@${member.userId}> asks for support`,
          created_at: row.answered_at as Date,
        }),
      );
    }
  }

  // Nudges and escalations: what the nudge schedule queued at the first tick of each working day.
  const policy = policyOf(workspace);
  const backboneHours = hoursOf(workspace, WORKSPACE_TZ);
  const startOf = new Map<string, Date>();
  const workdayStart = (day: IsoDate, tz: string) => {
    const key = `${day}|${tz}`;
    let at = startOf.get(key);
    if (!at) {
      at = instantAt(day, workspace.workday_start_minute, tz);
      startOf.set(key, at);
    }
    return at;
  };
  for (const [i, s] of steps.entries()) {
    const id = stepIds[i] as number;
    const hours = hoursOf(workspace, s.owner.tz);
    const createdAt = s.step.created_at as Date;
    const closedAt = (s.step.closed_at as Date | null)?.getTime() ?? Number.POSITIVE_INFINITY;
    // Nothing is sent after the cutoff, nor about a step once it is closed.
    const past = (at: Date) => !upTo(at) || at.getTime() >= closedAt;
    const dueOn = (at: Date) =>
      s.events.filter((e) => e.due && e.at.getTime() <= at.getTime()).at(-1)?.due ?? s.step.first_due_date;
    const keys = new Set<string>();
    const last = addDays(s.step.due_date, policy.repeatDays * policy.maxOverdue + 2);
    for (let day = localTime(createdAt, s.owner.tz).date; day <= last; day = addDays(day, 1)) {
      const moments = [
        ['owner', workdayStart(day, hours.tz)],
        ['backbone', workdayStart(day, WORKSPACE_TZ)],
      ] as const;
      if (moments.every(([, at]) => past(at))) break;
      for (const [who, at] of moments) {
        if (past(at) || at.getTime() < createdAt.getTime()) continue;
        const subject = { dueDate: dueOn(at), createdAt };
        const nudge =
          who === 'owner'
            ? ownerNudgeAt(subject, hours, policy, at)
            : escalationAt(subject, backboneHours, policy, at);
        if (!nudge) continue;
        const key = who === 'owner' ? `${id}:${subject.dueDate}:${nudge.day}` : `${id}:${subject.dueDate}`;
        if (keys.has(`${nudge.kind}|${key}`)) continue;
        keys.add(`${nudge.kind}|${key}`);
        outbox.push(
          sent({
            kind: nudge.kind,
            dedupe_key: key,
            action_step_id: id,
            channel_id: who === 'owner' ? s.owner.userId : CHANNELS.backbone,
            text: `${s.step.title}: due ${subject.dueDate}`,
            created_at: at,
          }),
        );
      }
    }
  }
  await inChunks(outbox, (chunk) => db.insertInto('outbox').values(chunk).execute());
  count('outbox', outbox.length);

  // Proposals: one most weeks, decided by the Core, and one open at the cutoff.
  const outcomes = [
    'consensus',
    'consensus',
    'blocked',
    'consensus',
    'no_quorum',
    'consensus',
    'no_consensus',
  ] as const;
  const voters = [BACKBONE[0] as string, ...representatives];
  let proposalCount = 0;
  let voteCount = 0;
  for (let week = 0; week <= WEEKS; week++) {
    if (week % 4 === 3) continue;
    const opened = instantAt(addDays(weekMonday(week), 1), 11 * 60, WORKSPACE_TZ);
    if (!upTo(opened)) continue;
    const closes = new Date(opened.getTime() + 7 * 24 * HOUR_MS);
    const closed = upTo(closes) ? closes : null;
    const outcome = closed ? outcomes[week % outcomes.length] : null;
    const proposal = await db
      .insertInto('proposals')
      .values({
        team_id: TEAM_ID,
        kind: 'other',
        title: `Proposal of week ${week + 1}: a shared measure for the agenda`,
        proposer_id: rand.pick(representatives),
        channel_id: CHANNELS.core,
        payload: '{}',
        quorum: '2/3',
        stand_aside_limit: '1/3',
        opened_at: opened,
        closes_at: closes,
        remind_at: new Date(closes.getTime() - 24 * HOUR_MS),
        reminded_at: upTo(new Date(closes.getTime() - 24 * HOUR_MS))
          ? new Date(closes.getTime() - 24 * HOUR_MS)
          : null,
        status: closed ? 'closed' : 'open',
        outcome: outcome ?? null,
        closed_at: closed,
        close_reason: closed ? 'deadline' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    proposalCount++;
    await db
      .insertInto('proposal_voters')
      .values(voters.map((user_id) => ({ team_id: TEAM_ID, proposal_id: proposal.id, user_id })))
      .execute();
    const votes = voters
      .filter(() => rand.next() < (outcome === 'no_quorum' ? 0.5 : 0.85))
      .map((voter_id, v) => ({
        team_id: TEAM_ID,
        proposal_id: proposal.id,
        voter_id,
        position:
          outcome === 'blocked' && v === 0
            ? ('block' as const)
            : outcome === 'no_consensus' && v % 2 === 0
              ? ('stand_aside' as const)
              : ('support' as const),
        reason: null,
        voted_at: new Date(opened.getTime() + rand.int(1, 100) * HOUR_MS),
      }))
      .filter((v) => upTo(v.voted_at));
    if (votes.length > 0) {
      await db.insertInto('proposal_votes').values(votes).execute();
      await db
        .insertInto('proposal_vote_events')
        .values(votes.map(({ voted_at, ...v }) => ({ ...v, old_position: null, at: voted_at })))
        .execute();
    }
    voteCount += votes.length;
  }
  count('proposals', proposalCount);
  count('proposal_votes', voteCount);

  return { db, workspace, groups, members, cutoff, opening, counts };
}
