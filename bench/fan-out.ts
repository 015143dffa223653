/**
 * Fan-out: N direct messages queued at once (as a check-in round opening for N people queues them), sent to
 * a fake Slack that enforces Slack's rates for chat.postMessage (1 a second per conversation with a short
 * burst, 10 a second per workspace) and fails 5% of posts at random (429s, 5xx, half of the 5xx after the
 * message was posted). On PostgreSQL (BENCH_DATABASE_URL) two app instances share the database; on the
 * embedded one, one instance. Prints the time from the queueing to the last DM Slack kept beside the
 * rate-bound minimum (N at the workspace's rate), the duplicates and the misses (both must be 0).
 *
 *   FANOUT_SIZES=1000,10000   how many DMs, one run each (default both)
 *   FANOUT_MODE=sender        the continuous sender (default); `ticks`: the scheduled jobs alone, every minute
 *
 * Run by `npm run bench` after the vitest benchmarks, or alone: `node --import tsx bench/fan-out.ts`.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import { systemClock } from '../src/clock.js';
import { type Db, embeddedDatabase, openPGlite, postgresDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { MESSAGES } from '../src/messages/index.js';
import { type EnforcementCounts, SLACK_ENFORCEMENT } from '../src/sandbox/emulator/rate-limits.js';
import { startScheduler } from '../src/scheduler/index.js';
import { jobs } from '../src/scheduler/jobs.js';
import { useMessages } from '../src/services/outgoing.js';

const TEAM_ID = 'T0001';
const SIZES = (process.env.FANOUT_SIZES ?? '1000,10000').split(',').map(Number);
const MODE = process.env.FANOUT_MODE === 'ticks' ? 'ticks' : 'sender';
const log = createLogger('error');
useMessages(MESSAGES);

interface Instance {
  stop(): Promise<void>;
}

async function openDatabase(): Promise<{ db: Db; url?: string; kind: string; close(): Promise<void> }> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const db = embeddedDatabase(await openPGlite(undefined));
    await migrateToLatest(db);
    return { db, kind: 'PGlite', close: () => db.destroy() };
  }
  const name = `concert_fanout_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = postgresDatabase(serverUrl, 1);
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = postgresDatabase(url.toString());
  await migrateToLatest(db);
  return {
    db,
    url: url.toString(),
    kind: 'PostgreSQL',
    async close() {
      await db.destroy();
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}

interface Report {
  posts: Record<string, number>;
  counts: EnforcementCounts;
  lastTakenAt: number;
}

/** The enforcing fake Slack in a process of its own (fan-out-slack.ts): its URL, and its report at the end. */
async function startSlack(people: number): Promise<{ url: string; report(): Promise<Report> }> {
  const child = fork(new URL('./fan-out-slack.ts', import.meta.url), [String(people)], {
    execArgv: ['--import', 'tsx'],
  });
  const url = await new Promise<string>((resolve) =>
    child.once('message', (message: { url: string }) => resolve(message.url)),
  );
  return {
    url,
    report: () =>
      new Promise<Report>((resolve) => {
        child.once('message', (message: Report) => resolve(message));
        child.send({ report: true });
      }),
  };
}

/** One app instance's sending: its own pool (a second process would have one), client and sender. */
async function startInstance(db: Db, slackUrl: string): Promise<Instance> {
  const client = new WebClient('xoxb-fanout', { slackApiUrl: slackUrl });
  if (MODE === 'ticks') {
    const scheduler = startScheduler(
      db,
      jobs({ db, client, botUserId: () => 'UBOT', log }),
      systemClock,
      log,
    );
    return { stop: () => scheduler.stop() };
  }
  // Imported here, so that `ticks` runs on a tree without the continuous sender (the numbers before it).
  const { startSender } = await import('../src/scheduler/sender.js');
  return startSender({ db, client, teamId: TEAM_ID, clock: systemClock, log });
}

async function run(size: number): Promise<void> {
  const database = await openDatabase();
  const slack = await startSlack(size);
  const now = new Date();
  await database.db
    .insertInto('workspaces')
    .values({
      team_id: TEAM_ID,
      core_channel_id: 'CCORE',
      backbone_channel_id: 'CBACKBONE',
      default_tz: 'America/Chicago',
      set_up_by: 'UADMIN',
      set_up_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const users = Array.from({ length: size }, (_, i) => `UFAN${String(i).padStart(6, '0')}`);
  const second = database.url ? postgresDatabase(database.url) : undefined;
  const instances = [await startInstance(database.db, slack.url)];
  if (second) instances.push(await startInstance(second, slack.url));

  // Every DM queued in one transaction, as a round opening queues its prompts.
  const queuedAt = Date.now();
  await database.db.transaction().execute(async (tx) => {
    for (let i = 0; i < size; i += 1000) {
      const at = new Date();
      await tx
        .insertInto('outbox')
        .values(
          users.slice(i, i + 1000).map((user, j) => ({
            team_id: TEAM_ID,
            kind: 'checkin_prompt_bench',
            dedupe_key: String(i + j),
            channel_id: user,
            text: 'Time for your check-in: what did you move forward this week?',
            blocks: '[]',
            next_attempt_at: at,
            created_at: at,
          })),
        )
        .execute();
    }
  });
  const minimumS = size / SLACK_ENFORCEMENT.perWorkspace.perSecond;
  const deadline = Date.now() + Math.max(600_000, minimumS * 10_000);
  for (;;) {
    const open = await database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['pending', 'sending'])
      .executeTakeFirstOrThrow();
    if (Number(open.n) === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  for (const instance of instances) await instance.stop();
  const report = await slack.report();
  const lastS = (report.lastTakenAt - queuedAt) / 1000;

  const rows = await database.db.selectFrom('outbox').select(['id', 'channel_id', 'status']).execute();
  const posts = report.posts;
  const duplicates = rows.filter((r) => (posts[String(r.id)] ?? 0) > 1).length;
  const misses = rows.filter((r) => (posts[String(r.id)] ?? 0) === 0).length;
  const unsent = rows.filter((r) => r.status !== 'sent').length;
  const counts = report.counts;
  console.log(
    `fan-out ${size} DMs, ${database.kind}, ${instances.length} instance(s), ${MODE}: ` +
      `${lastS.toFixed(1)} s to the last DM; rate-bound minimum ${minimumS.toFixed(1)} s ` +
      `(${SLACK_ENFORCEMENT.perWorkspace.perSecond}/s per workspace): ${(lastS / minimumS).toFixed(2)}×; ` +
      `duplicates ${duplicates}, misses ${misses}, unsent ${unsent}; ` +
      `Slack kept ${counts?.taken}, rate-limited ${counts?.limited}, injected ${counts?.injected}`,
  );
  await second?.destroy();
  await database.close();
  if (duplicates + misses + unsent > 0) process.exitCode = 1;
}

for (const size of SIZES) await run(size);
