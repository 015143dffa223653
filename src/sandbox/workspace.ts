import { randomBytes } from 'node:crypto';
import { type Concert, createApp } from '../app.js';
import type { Config } from '../config.js';
import { type Db, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Logger } from '../logger.js';
import { MESSAGES } from '../messages/index.js';
import { jobs } from '../scheduler/jobs.js';
import { useMessages } from '../services/outgoing.js';
import { webDirectory } from '../slack/web-directory.js';
import { SandboxClock } from './clock.js';
import { freshDataDir } from './data-dir.js';
import { AppRequests } from './emulator/app-requests.js';
import { FakeSlack } from './emulator/fake-slack.js';
import { SandboxScheduler } from './scheduler.js';
import { HISTORY_DAYS, seedHistory, seedSlackWorkspace } from './seed/index.js';

export const SANDBOX_TEAM_ID = 'T0001';
const BOT_USER_ID = 'UCONCERT';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SandboxOptions {
  /** The configuration the person started with; Slack, database and port are the sandbox's own. */
  config: Config;
  /** The sandbox's directory, emptied at every start; the embedded database lives in it. */
  dataDir: string;
  /** The app's own embedded data directory, which the sandbox refuses to take for its own. */
  appDataDir?: string | undefined;
  /** Where the sandbox clock starts: a fixed moment for tests, else the wall clock. */
  startAt?: Date | undefined;
  log: Logger;
}

/**
 * One running sandbox: the emulated workspace, the real app on an internal port with its Web API pointed at
 * the emulator and its clock at the sandbox clock, the app's own database under the sandbox directory, and
 * the scheduled jobs on that clock. Each start is a fresh coalition: the emulated workspace lives in memory,
 * so a database kept from an earlier run would point at messages that no longer exist.
 */
export class SandboxWorkspace {
  private constructor(
    readonly fake: FakeSlack,
    readonly clock: SandboxClock,
    readonly db: Db,
    readonly concert: Concert,
    readonly requests: AppRequests,
    readonly scheduler: SandboxScheduler,
  ) {}

  static async start({
    config,
    dataDir,
    appDataDir,
    startAt,
    log,
  }: SandboxOptions): Promise<SandboxWorkspace> {
    const databaseDir = freshDataDir(
      dataDir,
      appDataDir ?? (config.database.kind === 'embedded' ? config.database.dataDir : undefined),
    );
    // A start that fails part way stops what it had started, so nothing is left running on the directory.
    const undo: (() => Promise<unknown>)[] = [];
    try {
      const start = startAt ?? new Date();
      // The clock starts in the past and plays the coalition's history forward to the start.
      const clock = new SandboxClock(new Date(start.getTime() - HISTORY_DAYS * DAY_MS));
      // A sandbox may run for days: the emulator keeps what the page shows, not a record of every call.
      const fake = await FakeSlack.start({
        botUserId: BOT_USER_ID,
        clock: clock.now,
        retain: { records: 1_000, files: 100 },
      });
      undo.push(() => fake.stop());
      seedSlackWorkspace(fake);
      const signingSecret = randomBytes(16).toString('hex');
      const appConfig: Config = {
        ...config,
        slack: {
          botToken: 'xoxb-sandbox',
          oauth: undefined,
          signingSecret,
          appToken: undefined,
          apiUrl: fake.url,
        },
        database: { kind: 'embedded', dataDir: databaseDir },
        port: 0,
      };
      const db = await openDatabase(appConfig.database);
      undo.push(() => db.destroy());
      await migrateToLatest(db);
      useMessages(MESSAGES);
      const concert = createApp({
        config: appConfig,
        db,
        log,
        clock: clock.now,
        botId: 'B0001',
        botUserId: BOT_USER_ID,
      });
      const client = concert.app.client;
      const scheduled = jobs({ db, client, botUserId: () => BOT_USER_ID, log });
      await seedHistory(
        {
          db,
          fake,
          client,
          directory: webDirectory(client, BOT_USER_ID),
          teamId: SANDBOX_TEAM_ID,
          log,
          now: start,
          async runJob(name, at) {
            const job = scheduled.find((j) => j.name === name);
            if (!job) throw new Error(`no scheduled job is called ${name}`);
            await job.run(at);
          },
        },
        (at) => clock.moveTo(at),
      );
      // Without a fixed start the sandbox keeps to the wall clock, which moved on while the history played.
      clock.moveTo(startAt ?? new Date());
      // Only the emulator talks to the app, over loopback; nothing else on the network may sign in as Slack.
      const { port } = await concert.start(0, '127.0.0.1');
      undo.push(() => concert.stop());
      const requests = new AppRequests({
        appUrl: `http://127.0.0.1:${port}`,
        signingSecret,
        fake,
        teamId: SANDBOX_TEAM_ID,
        settle: () => concert.inFlight.settled(),
      });
      const scheduler = new SandboxScheduler(db, scheduled, clock, log);
      undo.push(() => scheduler.stop());
      // Whatever the history left due (overdue nudges, an escalation) goes out now, as it would have by now.
      await scheduler.runEveryJobNow();
      scheduler.start();
      return new SandboxWorkspace(fake, clock, db, concert, requests, scheduler);
    } catch (error) {
      for (const step of undo.reverse()) await step().catch(() => {});
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.concert.stop();
    await this.db.destroy();
    await this.fake.stop();
  }
}
