import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { postgresDatabase } from '../src/db/database.js';
import { AppRequests } from '../src/sandbox/emulator/app-requests.js';
import { FakeSlack } from '../src/sandbox/emulator/fake-slack.js';
import { SlackDriver } from '../test/harness/driver.js';

/**
 * `npm run bench` (after the vitest benchmarks): how fast Concert acknowledges vote clicks, beside a bare
 * Bolt app (bench/bare-bolt.mjs) acknowledging the same signed requests in the same run. Each app runs in a
 * process of its own; this process is Slack (the fake Web API, and the requests). Two figures, on the
 * embedded database and, when BENCH_DATABASE_URL names a PostgreSQL server, on a database made there:
 *
 * - **storm**: 300 Core members each click Support on one proposal, evenly over 5 s (open loop, 60/s):
 *   the ack's p99 and maximum, in milliseconds from sending the request to its answer;
 * - **closed loop**: 2,000 Support clicks over seven proposals, 20 in flight at any moment: the ack's p99,
 *   the clicks acknowledged per second and, for Concert (which answers a click before taking its vote), the
 *   votes taken per second, from the first click until every voter has been told their vote is recorded
 *   (the reply goes once the vote is stored), and until every vote shows in its proposal's message (which
 *   Slack's pace for updating messages in one channel bounds: about one a second).
 *
 * Then how long Concert took to stop on SIGTERM, as a deploy stops it.
 *
 * Goal (issue 14): Concert's p99 ≤ 1.3× the bare app's and < 100 ms.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
const TEAM_ID = 'T0001';
const CORE = 'CCORE';
const VOTERS = 300;
const STORM_MS = 5_000;
const CLOSED_LOOP = 2_000;
const IN_FLIGHT = 20;
const PROPOSALS = 1 + Math.ceil(CLOSED_LOOP / VOTERS);

// biome-ignore lint/suspicious/noExplicitAny: Block Kit as the fake Slack holds it
type Json = any;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout?.on('data', () => {});
  return child;
}

/** Stops a server as a deploy does: SIGTERM, then SIGKILL after 10 s. Says how it ended, and when. */
async function stop(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null) return `had exited (${child.exitCode})`;
  const began = performance.now();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode !== null) return `stopped ${Math.round(performance.now() - began)} ms after SIGTERM`;
  child.kill('SIGKILL');
  return 'still running 10 s after SIGTERM: killed';
}

function seed(fake: FakeSlack, voters: string[]): void {
  fake.addUser({ id: 'UADMIN', name: 'ada', realName: 'Ada Admin', tz: 'America/New_York', isAdmin: true });
  fake.addUser({ id: 'UBEN', name: 'ben', realName: 'Ben Both', tz: 'America/New_York' });
  for (const id of voters) fake.addUser({ id, name: id.toLowerCase(), tz: 'America/New_York' });
  fake.addChannel({ id: CORE, name: 'core', members: ['UBEN', ...voters] });
  fake.addChannel({ id: 'CBACKBONE', name: 'backbone', members: ['UBEN'] });
  fake.addChannel({ id: 'CGENERAL', name: 'general', members: ['UADMIN', 'UBEN', ...voters] });
}

/** A Support click on a proposal's message as Slack shows it now. */
function supportClick(fake: FakeSlack, driver: AppRequests, user: string, ts: string) {
  const message = fake.message(CORE, ts);
  if (!message) throw new Error(`no message ${ts}`);
  const blocks: Json[] = message.blocks ?? [];
  for (const block of blocks) {
    if (block.type !== 'actions') continue;
    const element = block.elements.find((e: Json) => e.text?.text === 'Support');
    if (element)
      return driver.blockAction(user, { kind: 'message', channel: CORE, ts, blocks }, block, element);
  }
  throw new Error('the proposal shows no Support button');
}

async function timed(work: () => Promise<{ status: number }>): Promise<number> {
  const started = performance.now();
  const answer = await work();
  const ms = performance.now() - started;
  if (answer.status !== 200) throw new Error(`answered ${answer.status}`);
  return ms;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** 300 clicks evenly over 5 s, each sent on time whatever the answers before it. */
async function storm(click: (i: number) => Promise<{ status: number }>): Promise<number[]> {
  const began = performance.now();
  const runs: Promise<number>[] = [];
  for (let i = 0; i < VOTERS; i++) {
    const at = (i * STORM_MS) / VOTERS;
    const wait = began + at - performance.now();
    if (wait > 0) await sleep(wait);
    runs.push(timed(() => click(i)));
  }
  return Promise.all(runs);
}

/** `total` clicks, `width` at a time. */
async function closedLoop(
  total: number,
  width: number,
  click: (i: number) => Promise<{ status: number }>,
): Promise<{ latencies: number[]; perSecond: number }> {
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < total; i = next++) latencies.push(await timed(() => click(i)));
    }),
  );
  return { latencies, perSecond: (total / (performance.now() - began)) * 1000 };
}

interface Database {
  label: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

async function embedded(): Promise<Database> {
  const dir = mkdtempSync(path.join(tmpdir(), 'concert-acks-'));
  return {
    label: 'embedded (PGlite)',
    env: { CONCERT_DATA_DIR: path.join(dir, 'data') },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgres(serverUrl: string): Promise<Database> {
  const name = `concert_acks_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = postgresDatabase(serverUrl, 1);
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    label: 'PostgreSQL',
    env: { DATABASE_URL: url.toString() },
    async close() {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(SLACK_|CONCERT_|DATABASE_URL$|PORT$|npm_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, CONCERT_ENV_FILE: '', LOG_LEVEL: 'warn', SLACK_SIGNING_SECRET: SECRET };
}

/** Sets up the coalition through Concert as a person would, and puts PROPOSALS proposals to the Core. */
async function prepare(fake: FakeSlack, driver: SlackDriver): Promise<string[]> {
  await driver.command('UADMIN', '/concert', 'setup', { channel: 'CGENERAL' });
  const modal = (user?: string) => until('a form', () => fake.topModal(user)).then(() => driver.modal(user));
  const setup = await modal();
  setup.pick('Core channel', CORE);
  setup.pick('Backbone channel', 'CBACKBONE');
  await setup.submit('UADMIN');
  await until('the setup’s welcome', () => fake.messages('CBACKBONE').length > 0);
  const posts: string[] = [];
  for (let n = 1; n <= PROPOSALS; n++) {
    const title = `Proposal number ${n}`;
    await driver.command('UBEN', '/propose', title, { channel: CORE });
    const kind = await modal('UBEN');
    kind.radio('Kind of proposal', 'other');
    await kind.submit('UBEN');
    await (await modal('UBEN')).submit('UBEN');
    const post = await until(`proposal ${n}`, () =>
      fake.messages(CORE).find((m) => !m.thread_ts && m.text.startsWith(`Proposal: ${title}`)),
    );
    posts.push(post.ts);
  }
  return posts;
}

interface Figures {
  stormP99: number;
  stormMax: number;
  loopP99: number;
  perSecond: number;
  /** Clicks of the closed loop per second, from its first click until every voter is told their vote is recorded. */
  takenPerSecond: number | undefined;
  /** The same, until every vote shows in its proposal's message. */
  shownPerSecond: number | undefined;
}

/** What Concert shows of the closed loop's votes: how many replies said a vote was recorded, and whether all show. */
interface Taken {
  replies(): number;
  allShown(): boolean;
}

/**
 * The storm, then the closed loop. With `taken` (Concert, whose answer comes before the vote is taken), the
 * closed loop also counts until every voter is told and until every vote shows: votes taken, not answers.
 */
async function measure(
  fake: FakeSlack,
  driver: AppRequests,
  posts: string[],
  voters: string[],
  taken?: Taken,
): Promise<Figures> {
  const [first, ...rest] = posts as [string, ...string[]];
  const stormed = await storm((i) => supportClick(fake, driver, voters[i] as string, first));
  await sleep(3_000);
  const repliesBefore = taken?.replies() ?? 0;
  const began = performance.now();
  const loop = await closedLoop(CLOSED_LOOP, IN_FLIGHT, (i) =>
    supportClick(fake, driver, voters[i % VOTERS] as string, rest[Math.floor(i / VOTERS)] as string),
  );
  const rate = () => (CLOSED_LOOP / (performance.now() - began)) * 1000;
  let takenPerSecond: number | undefined;
  let shownPerSecond: number | undefined;
  if (taken) {
    const told = () => taken.replies() - repliesBefore >= CLOSED_LOOP || undefined;
    await until('every voter to be told', told, 600_000);
    takenPerSecond = rate();
    await until('every vote to show in its proposal', () => taken.allShown() || undefined, 600_000);
    shownPerSecond = rate();
  }
  await sleep(3_000);
  return {
    stormP99: percentile(stormed, 99),
    stormMax: Math.max(...stormed),
    loopP99: percentile(loop.latencies, 99),
    perSecond: loop.perSecond,
    takenPerSecond,
    shownPerSecond,
  };
}

async function run(database: Database): Promise<void> {
  const voters = Array.from({ length: VOTERS }, (_, i) => `UV${String(i + 1).padStart(3, '0')}`);
  const fake = await FakeSlack.start('UBOT');
  seed(fake, voters);
  const concertPort = await freePort();
  const barePort = await freePort();
  const concert = start(['scripts/run.mjs', 'src/main.ts'], {
    ...baseEnv(),
    ...database.env,
    PORT: String(concertPort),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: fake.url,
  });
  const bare = start(['bench/bare-bolt.mjs'], { ...baseEnv(), PORT: String(barePort) });
  try {
    const concertUrl = `http://127.0.0.1:${concertPort}`;
    await until(
      'Concert to start',
      () =>
        fetch(`${concertUrl}/healthz`).then(
          (r) => r.ok || undefined,
          () => undefined,
        ),
      120_000,
    );
    const options = { signingSecret: SECRET, fake, teamId: TEAM_ID };
    const driver = new SlackDriver({ appUrl: concertUrl, ...options });
    const posts = await prepare(fake, driver);
    const bareDriver = new AppRequests({ appUrl: `http://127.0.0.1:${barePort}`, ...options });
    await until('the bare app to start', () => bareDriver.send('', 'text/plain', {}).then(() => true));
    // Every vote counted in the proposal's tally, as the fake holds the message now.
    const expected = posts.map((_, p) =>
      p === 0 ? VOTERS : Math.min(VOTERS, Math.max(0, CLOSED_LOOP - (p - 1) * VOTERS)),
    );
    const supportOn = (ts: string) => {
      const tally = fake
        .message(CORE, ts)
        ?.blocks?.find((b: Json) => String(b.block_id ?? '').startsWith('proposal_tally_'))?.text?.text;
      return Number(/\*Support\* \((\d+)\)/.exec(String(tally))?.[1] ?? '0');
    };
    const floor = await measure(fake, bareDriver, posts, voters);
    const figures = await measure(fake, driver, posts, voters, {
      replies: () => fake.callsTo('response_url').length,
      allShown: () => posts.every((ts, p) => supportOn(ts) === expected[p]),
    });
    const row = (what: string, ours: number, theirs: number, unit: string) =>
      `  ${what.padEnd(36)} Concert ${ours.toFixed(1).padStart(7)} ${unit}   bare Bolt ${theirs.toFixed(1).padStart(7)} ${unit}   (${(ours / theirs).toFixed(2)}×)`;
    console.log(`\nAcks of vote clicks, ${database.label}:`);
    console.log(row('storm: 300 clicks in 5 s, p99', figures.stormP99, floor.stormP99, 'ms'));
    console.log(row('storm: 300 clicks in 5 s, max', figures.stormMax, floor.stormMax, 'ms'));
    console.log(
      row(`${CLOSED_LOOP} clicks, ${IN_FLIGHT} in flight, p99`, figures.loopP99, floor.loopP99, 'ms'),
    );
    console.log(
      row(
        `${CLOSED_LOOP} clicks, ${IN_FLIGHT} in flight, answered`,
        figures.perSecond,
        floor.perSecond,
        '/s',
      ),
    );
    console.log(
      `  Slack calls during both: chat.update ${fake.callsTo('chat.update').length}, views.publish ${fake.callsTo('views.publish').length}, chat.postEphemeral ${fake.callsTo('chat.postEphemeral').length}`,
    );
    const after = (what: string, perSecond: number | undefined, until: string) =>
      `  ${`${CLOSED_LOOP} clicks, ${IN_FLIGHT} in flight, ${what}`.padEnd(36)} Concert ${(perSecond ?? 0).toFixed(1).padStart(7)} /s   ${until}`;
    console.log(after('taken', figures.takenPerSecond, 'until every voter is told their vote is recorded'));
    console.log(
      after(
        'shown',
        figures.shownPerSecond,
        'until every vote shows in its proposal (about one update a second)',
      ),
    );
  } finally {
    console.log(`  Concert ${await stop(concert)}`);
    await stop(bare);
    await fake.stop();
    await database.close();
  }
}

// BENCH_ACKS_ONLY=embedded or =postgres runs one of the two.
const only = process.env.BENCH_ACKS_ONLY;
if (only !== 'postgres') await run(await embedded());
if (only !== 'embedded' && process.env.BENCH_DATABASE_URL)
  await run(await postgres(process.env.BENCH_DATABASE_URL));
