import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { type KyselyPlugin, sql } from 'kysely';
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
import { multiplyCoalition } from './copies.js';

/**
 * The work that grows with a coalition's size, on BENCH_PEOPLE members (400, the default, 4,000 or 20,000:
 * 40 work groups of 10 members with 12 weeks of history, seeded row by row, then copied in the database as
 * many times as the size asks): the weekly digest's figures and its messages, and one tick of each scheduled
 * job that grows with the coalition (check-ins, nudges, proposals, digest). Each job runs as the scheduler
 * runs it, with a Slack client that answers at once, so what is measured is Concert and its database, not
 * the network. Beside each figure, its floor measured in the same run: for the figures, one bare aggregate
 * over the same rows; for a tick, the SQL statements it made.
 */

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? GROUPS * MEMBERS_PER_GROUP);
const COPIES = Math.max(1, Math.round(PEOPLE / (GROUPS * MEMBERS_PER_GROUP)));
const SIZE = `${COPIES * GROUPS} groups × ${MEMBERS_PER_GROUP} members, ${WEEKS} weeks of history`;
// At least 10 samples of each; a failing benchmark fails the run instead of showing an empty row.
const TIMING: BenchOptions = {
  time: Number(process.env.BENCH_TIME ?? 5_000),
  iterations: Number(process.env.BENCH_ITERATIONS ?? 10),
  warmupTime: 500,
  warmupIterations: 2,
  throws: true,
};
const NUDGE_KINDS = ['nudge_before', 'nudge_due', 'nudge_overdue', 'escalation'] as const;

let close: () => Promise<void> = async () => {};
let coalition: Coalition;
let db: Db;
let weekFigures: Figures;
/** Statements run since the last `statements.reset()`, counted on every query the app's Kysely runs. */
const statements = {
  n: 0,
  reset() {
    this.n = 0;
  },
};
/** Counted as each result comes back: a subquery's builder is transformed too, but is not a statement run. */
const counting: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    statements.n++;
    return args.result;
  },
};

/**
 * A Slack Web API on this machine that accepts every post and update at once, and a client of it. Sends go
 * through the client's token and address (slack/web-sender.ts makes its own client from them), so a client
 * that is not a real one would send to slack.com instead.
 */
async function answeringSlack(): Promise<{ client: WebClient; close(): Promise<void> }> {
  let ts = 1_800_000_000;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const args: Record<string, unknown> = request.headers['content-type']?.includes('json')
        ? JSON.parse(body || '{}')
        : Object.fromEntries(new URLSearchParams(body));
      const channel = String(args.channel ?? '');
      const answer = request.url?.endsWith('/chat.update')
        ? { ok: true, channel, ts: args.ts }
        : { ok: true, channel: channel.startsWith('U') ? `D${channel}` : channel, ts: `${ts++}.000200` };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    client: new WebClient('xoxb-bench', { slackApiUrl: `http://127.0.0.1:${port}/api/` }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let slack: Awaited<ReturnType<typeof answeringSlack>>;

function job(name: string): Job {
  const found = jobs({
    db: db.withPlugin(counting),
    client: slack.client,
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

async function rowCount(table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  const started = performance.now();
  slack = await answeringSlack();
  const opened = await openBenchDatabase();
  close = opened.close;
  db = opened.db;
  coalition = await seedCoalition(db);
  await multiplyCoalition(db, COPIES);
  for (const table of Object.keys(coalition.counts)) coalition.counts[table] = await rowCount(table);
  // Statistics and visibility as a running coalition has them: a server's autovacuum (which also marks the
  // pages all-visible, so the figures' covering indexes are read alone), or the app's daily `statistics` job
  // on the embedded database. BENCH_ANALYZE=0 leaves them out, to see the plans without them.
  const analyze = process.env.BENCH_ANALYZE !== '0';
  if (analyze) await sql`vacuum analyze`.execute(db);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${opened.kind} (${analyze ? 'analyzed' : 'no statistics'}): migrated and seeded ${SIZE} in ${seconds} s`,
    coalition.counts,
  );
  weekFigures = await figures(db, TEAM_ID, DIGEST_END, 7);
  // vitest runs only the file's own hooks around benchmarks, not a describe's: every state is prepared here.
  await prepareCheckins();
  await prepareNudges();
  await countStatements();
}, 3_600_000);

afterAll(async () => {
  await close();
  await slack?.close();
});

/**
 * The floor of `figures(…, days)`: one bare aggregate over the rows the figures read, the steps due in the
 * two periods or still open before their end, counted by owner and group.
 */
async function bareAggregate(days: number) {
  const endDate = DIGEST_MONDAY;
  await sql`
    select owner_id, work_group_id, count(*) from action_steps
    where team_id = ${TEAM_ID} and created_at < ${DIGEST_END}
      and ((due_date >= ${addDays(endDate, -2 * days)}::date and due_date < ${endDate}::date)
        or (status = 'open' and due_date < ${endDate}::date))
    group by owner_id, work_group_id`.execute(db);
}

/** Each tick's statements, once, printed beside the timings: the floor a tick's cost is judged by. */
async function countStatements() {
  const lines: string[] = [];
  const count = async (what: string, run: () => Promise<void>, undo?: () => Promise<void>) => {
    statements.reset();
    await run();
    lines.push(`  ${what}: ${statements.n} statements`);
    await undo?.();
  };
  await count('checkins tick, nothing due', () => checkins.run(coalition.cutoff));
  await count('checkins tick, a round opens', () => checkins.run(coalition.opening.at), undoOpening);
  // The first tick queues again what undoing it took back, leaving the day as prepareNudges left it.
  await undoDayStart();
  await count('nudges tick, first of the day', () => nudges.run(dayStart));
  await drainNudges();
  await count('nudges tick, later', () => nudges.run(midday));
  await count('proposals tick, nothing due', () => job('proposals').run(coalition.cutoff));
  await count('digest tick, nothing due', () => job('digest').run(coalition.cutoff));
  console.log(`SQL statements per tick (${SIZE}):\n${lines.join('\n')}`);
}

describe(`digest (${SIZE})`, () => {
  bench('floor: one bare aggregate over the same rows, 7 days', () => bareAggregate(7), TIMING);

  bench('floor: one bare aggregate over the same rows, 84 days', () => bareAggregate(84), TIMING);

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
  const { at, roundDate } = coalition.opening;
  await db
    .deleteFrom('outbox')
    .where('team_id', '=', TEAM_ID)
    .where('kind', 'in', ['checkin_prompt', 'checkin_reminder'])
    .where('created_at', '=', at)
    .execute();
  // The group's round in each copy of the coalition: the rounds the opening made.
  const rounds = db
    .selectFrom('checkin_rounds')
    .select('id')
    .where('team_id', '=', TEAM_ID)
    .where('round_date', '=', roundDate)
    .where('created_at', '=', at);
  await db.deleteFrom('checkins').where('round_id', 'in', rounds).execute();
  await db.deleteFrom('checkin_rounds').where('id', 'in', rounds).execute();
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
  if (opened[0] !== after[0]! + COPIES || prompts < 1)
    throw new Error(`the opening did not open one round per copy: ${after} → ${opened}`);
  console.log(
    `check-ins: nothing due at ${cutoff.toISOString()}; at ${opening.at.toISOString()} ${opening.group.name}` +
      ` opens in each of ${COPIES} copies (${opened[1]! - after[1]!} check-ins, ${prompts} prompts sent)`,
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

/**
 * Sends what the day's ticks left queued (a tick sends at most 200), as the ticks after would, outside the
 * time measured: a later tick then has nothing new to queue or send. Every send must have gone at the first
 * try, or the answering Slack is not what the sends reach.
 */
async function drainNudges() {
  for (let tick = 0; ; tick++) {
    const { rows } = await sql<{ queued: number; failed: number }>`
      select count(*) filter (where status in ('pending', 'sending'))::int as queued,
        count(*) filter (where status = 'failed' or attempts > 1)::int as failed
      from outbox where team_id = ${TEAM_ID} and kind in (${sql.join(NUDGE_KINDS)})`.execute(db);
    const { queued = 0, failed = 0 } = rows[0] ?? {};
    if (failed > 0) throw new Error(`${failed} nudges or escalations failed to send: does Slack answer?`);
    if (queued === 0) return;
    if (tick >= 1_000) throw new Error(`${queued} nudges or escalations still queued after ${tick} ticks`);
    await nudges.run(midday);
  }
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
  await drainNudges();
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
    'a later tick: every nudge of the day already queued and sent',
    async () => {
      await nudges.run(midday);
    },
    beforeEachIteration(drainNudges),
  );
});

describe(`proposals and digest jobs, one tick with nothing due (${SIZE})`, () => {
  bench(
    'proposals tick: no proposal closing, no reminder due',
    async () => {
      await job('proposals').run(coalition.cutoff);
    },
    TIMING,
  );

  bench(
    'digest tick: not the digest’s day and time',
    async () => {
      await job('digest').run(coalition.cutoff);
    },
    TIMING,
  );
});
