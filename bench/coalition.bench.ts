import type { WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import { afterAll, type BenchOptions, beforeAll, bench, describe } from 'vitest';
import type { Db } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { type Job, jobs } from '../src/scheduler/jobs.js';
import { planCheckins } from '../src/services/checkin-rounds.js';
import { type Figures, figures } from '../src/services/follow-through.js';
import { addDays, instantAt } from '../src/services/time.js';
import { digestMessages } from '../src/views/digest.js';
import {
  type Coalition,
  DIGEST_END,
  DIGEST_MONDAY,
  GROUPS,
  MEMBERS_PER_GROUP,
  openBenchDatabase,
  seedCoalition,
  TEAM_ID,
  WEEKS,
} from './coalition.js';

/**
 * The work that grows with a coalition's size, on 40 work groups of 10 members with 12 weeks of history:
 * the weekly digest's figures and its messages, and one tick of the check-ins and nudges jobs. Each job
 * runs as the scheduler runs it, with a Slack client that answers at once, so what is measured is Concert
 * and its database, not the network.
 */

const SIZE = `${GROUPS} groups × ${MEMBERS_PER_GROUP} members, ${WEEKS} weeks of history`;
// At least 10 samples of each; a failing benchmark fails the run instead of showing an empty row.
const TIMING: BenchOptions = {
  time: 5_000,
  iterations: 10,
  warmupTime: 500,
  warmupIterations: 2,
  throws: true,
};
const NUDGE_KINDS = ['nudge_before', 'nudge_due', 'nudge_overdue', 'escalation'] as const;

let close: () => Promise<void> = async () => {};
let coalition: Coalition;
let db: Db;
let weekFigures: Figures;

/** A Slack Web API client that accepts every post and update at once. */
function answeringSlack(): WebClient {
  let ts = 1_800_000_000;
  const chat = {
    postMessage: async ({ channel }: { channel: string }) => ({
      ok: true,
      channel: channel.startsWith('U') ? `D${channel}` : channel,
      ts: `${ts++}.000200`,
    }),
    update: async ({ channel, ts: at }: { channel: string; ts: string }) => ({ ok: true, channel, ts: at }),
  };
  return { chat } as unknown as WebClient;
}

function job(name: string): Job {
  const found = jobs({
    db,
    client: answeringSlack(),
    botUserId: () => 'UCONCERT',
    log: createLogger('silent'),
  }).find((j) => j.name === name);
  if (!found) throw new Error(`no job called ${name}`);
  return found;
}

/**
 * vitest's bench has no hook per iteration; tinybench's task has one, set here from the cycle's setup, so a
 * tick that changes the database starts each time from the same state, outside the time measured.
 */
function beforeEachIteration(reset: () => Promise<void>): BenchOptions {
  return {
    ...TIMING,
    setup: (task) => {
      task.opts = { ...task.opts, beforeEach: reset };
    },
  };
}

async function rowCount(table: 'checkin_rounds' | 'checkins' | 'outbox'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  const started = performance.now();
  const opened = await openBenchDatabase();
  close = opened.close;
  db = opened.db;
  coalition = await seedCoalition(db);
  // Statistics as a running coalition has them: a server's autovacuum, or the app's daily `statistics` job on
  // the embedded database. BENCH_ANALYZE=0 leaves them out, to see the plans without them.
  const analyze = process.env.BENCH_ANALYZE !== '0';
  if (analyze) await sql`analyze`.execute(db);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${opened.kind} (${analyze ? 'analyzed' : 'no statistics'}): migrated and seeded ${SIZE} in ${seconds} s`,
    coalition.counts,
  );
  weekFigures = await figures(db, TEAM_ID, DIGEST_END, 7);
  // vitest runs only the file's own hooks around benchmarks, not a describe's: every state is prepared here.
  await prepareCheckins();
  await prepareNudges();
}, 600_000);

afterAll(() => close());

describe(`digest (${SIZE})`, () => {
  bench(
    'figures(db, team, end, 7): the week and the week before',
    async () => {
      await figures(db, TEAM_ID, DIGEST_END, 7);
    },
    TIMING,
  );

  bench(
    'figures(db, team, end, 84): /concert digest 12',
    async () => {
      await figures(db, TEAM_ID, DIGEST_END, 84);
    },
    TIMING,
  );

  bench(
    'digestMessages: the week’s figures as Block Kit messages',
    () => {
      digestMessages(weekFigures, { weeks: 1, offerPost: false });
    },
    TIMING,
  );
});

let checkins: Job;

/** Takes back what the opening tick did: the group's new round, its check-ins and their prompts. */
async function undoOpening() {
  const { at, group, roundDate } = coalition.opening;
  await db
    .deleteFrom('outbox')
    .where('team_id', '=', TEAM_ID)
    .where('kind', 'in', ['checkin_prompt', 'checkin_reminder'])
    .where('created_at', '=', at)
    .execute();
  const round = await db
    .selectFrom('checkin_rounds')
    .select('id')
    .where('team_id', '=', TEAM_ID)
    .where('work_group_id', '=', group.id)
    .where('round_date', '=', roundDate)
    .executeTakeFirst();
  if (!round) return;
  await db.deleteFrom('checkins').where('round_id', '=', round.id).execute();
  await db.deleteFrom('checkin_rounds').where('id', '=', round.id).execute();
}

/** Checks that the cutoff and the opening are the ticks they are said to be. */
async function prepareCheckins() {
  checkins = job('checkins');
  const { cutoff, opening, workspace } = coalition;
  // The history is caught up at the cutoff: planning then queues nothing and adds no round or check-in.
  const before = [await rowCount('checkin_rounds'), await rowCount('checkins'), await rowCount('outbox')];
  const queued = await planCheckins(db, workspace, cutoff, createLogger('silent'));
  await checkins.run(cutoff);
  const after = [await rowCount('checkin_rounds'), await rowCount('checkins'), await rowCount('outbox')];
  if (queued !== 0 || before.join() !== after.join())
    throw new Error(`something was due at the cutoff: ${queued} queued, ${before} → ${after}`);
  // At the opening, one round opens: one round more, its check-ins, and a prompt for each not away.
  await checkins.run(opening.at);
  const opened = [await rowCount('checkin_rounds'), await rowCount('checkins'), await rowCount('outbox')];
  const prompts = opened[2]! - after[2]!;
  if (opened[0] !== after[0]! + 1 || prompts < 1)
    throw new Error(`the opening did not open one round: ${after} → ${opened}`);
  console.log(
    `check-ins: nothing due at ${cutoff.toISOString()}; at ${opening.at.toISOString()} ${opening.group.name}` +
      ` opens (${opened[1]! - after[1]!} check-ins, ${prompts} prompts sent)`,
  );
  await undoOpening();
}

describe(`check-ins job, one tick (${SIZE})`, () => {
  bench(
    'nothing due (rounds open, every prompt and reminder already sent)',
    async () => {
      await checkins.run(coalition.cutoff);
    },
    TIMING,
  );

  bench(
    'a round opens for one group: prompts queued and sent',
    async () => {
      await checkins.run(coalition.opening.at);
    },
    beforeEachIteration(undoOpening),
  );
});

// The 13th week's Tuesday: the working day starts at 09:00 New York; by 13:00 it has in all three zones.
const tuesday = addDays(DIGEST_MONDAY, 1);
const dayStart = instantAt(tuesday, 9 * 60, 'America/New_York');
const midday = instantAt(tuesday, 13 * 60, 'America/New_York');
let nudges: Job;

/** Takes back the nudges and escalations the day's first tick queued and sent. */
async function undoDayStart() {
  await db
    .deleteFrom('outbox')
    .where('team_id', '=', TEAM_ID)
    .where('kind', 'in', NUDGE_KINDS)
    .where('created_at', '=', dayStart)
    .execute();
}

async function nudgesAt(at: Date) {
  return db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('team_id', '=', TEAM_ID)
    .where('kind', 'in', NUDGE_KINDS)
    .where('created_at', '=', at)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/** Runs the day's nudge ticks up to the later one measured. */
async function prepareNudges() {
  nudges = job('nudges');
  await undoDayStart();
  // The day's ticks so far: 09:00 in New York, in Chicago and in Los Angeles.
  const starts = ['America/New_York', 'America/Chicago', 'America/Los_Angeles'].map((tz) =>
    instantAt(tuesday, 9 * 60, tz),
  );
  const queued: number[] = [];
  for (const at of starts) {
    await nudges.run(at);
    queued.push(await nudgesAt(at));
  }
  const open = await db
    .selectFrom('action_steps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('team_id', '=', TEAM_ID)
    .where('status', '=', 'open')
    .where('due_date', '<=', addDays(tuesday, 5))
    .executeTakeFirstOrThrow();
  console.log(
    `nudges: ${Number(open.n)} open steps due by ${addDays(tuesday, 5)};` +
      ` ${queued.join(' / ')} nudges and escalations queued at 09:00 New York / Chicago / Los Angeles`,
  );
}

describe(`nudges job, one tick (${SIZE})`, () => {
  bench(
    'first tick of the working day: the day’s nudges and escalations queued and sent',
    async () => {
      await nudges.run(dayStart);
    },
    beforeEachIteration(undoDayStart),
  );

  bench(
    'a later tick: every nudge of the day already queued',
    async () => {
      await nudges.run(midday);
    },
    TIMING,
  );
});
