import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type Concert, createApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/database.js';
import type { Pacer } from '../../src/listeners/pacer.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { TestClock } from './clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { SlackDriver } from './driver.js';
import { FakeSlack } from './fake-slack.js';

export const SIGNING_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
export const TEAM_ID = 'T0001';
export const BOT_USER_ID = 'UBOT';

export interface TestAppOptions {
  adminIds?: string[];
  /** Share a database with another instance instead of making a new one. */
  db?: Db;
  clock?: TestClock;
  fake?: FakeSlack;
  log?: Logger;
  /** Least time between updates of a proposal's live tally; tests that are not about the rate shorten it. */
  liveTallyIntervalMs?: number;
  /** The time Slack's rates are kept in (live tally, App Home), when a test moves its own. */
  pacer?: Pacer;
  /** Serve the public decision records (PUBLIC_RECORDS=true). */
  publicRecords?: boolean;
  /** Where events wait until applied; a fresh directory, removed at stop, when not given. */
  eventJournalDir?: string;
  /** OAuth mode (OAUTH_TEST_CONFIG): workspaces install through the fake's OAuth, each on its own token. */
  oauth?: boolean;
  /** The test workspace (`slack`) is one of this Enterprise Grid org's, where Concert is installed org-wide. */
  enterpriseId?: string;
}

/** The OAuth credentials of the test app; the fake Slack knows the same client. */
export const OAUTH_TEST_CONFIG = {
  clientId: '1111111111.2222222222',
  clientSecret: 'c0ffee00c0ffee00c0ffee00c0ffee00',
  stateSecret: 'a-test-state-secret-of-more-than-32-characters',
  encryptionKey: Buffer.alloc(32, 7),
} as const;

/** The real app on a random port, its Web API pointed at a fake Slack, and a driver that speaks like Slack. */
export interface TestApp {
  concert: Concert;
  db: Db;
  database: TestDatabase | undefined;
  fake: FakeSlack;
  slack: SlackDriver;
  clock: TestClock;
  log: Logger;
  url: string;
  eventJournalDir: string;
  /** Waits for every handler's work after its ack, so assertions see the finished result. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}, apiUrl?: string): Config {
  return {
    slack: {
      botToken: 'xoxb-test-token',
      oauth: undefined,
      signingSecret: SIGNING_SECRET,
      appToken: undefined,
      apiUrl,
    },
    database: { kind: 'embedded', dataDir: '' },
    adminIds: [],
    port: 0,
    logLevel: 'silent',
    publicRecords: false,
    dataRetentionDays: 30,
    ...overrides,
  };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const fake = options.fake ?? (await FakeSlack.start());
  const database = options.db ? undefined : await createTestDatabase();
  const db = options.db ?? (database as TestDatabase).db;
  const clock = options.clock ?? new TestClock();
  const log = options.log ?? (process.env.TEST_LOG ? createLogger('debug') : pino({ level: 'silent' }));
  const eventJournalDir = options.eventJournalDir ?? mkdtempSync(join(tmpdir(), 'concert-events-'));
  const config = testConfig(
    { adminIds: options.adminIds ?? [], publicRecords: options.publicRecords ?? false },
    fake.url,
  );
  if (options.oauth && !fake.oauth)
    fake.enableOAuth(OAUTH_TEST_CONFIG.clientId, OAUTH_TEST_CONFIG.clientSecret);
  const concert = createApp({
    config: options.oauth
      ? { ...config, slack: { ...config.slack, botToken: undefined, oauth: OAUTH_TEST_CONFIG } }
      : config,
    db,
    log,
    clock: clock.now,
    ...(options.oauth ? {} : { botId: 'B0001', botUserId: BOT_USER_ID }),
    eventJournalDir,
    ...(options.pacer ? { pacer: options.pacer } : {}),
    ...(options.liveTallyIntervalMs === undefined
      ? {}
      : { liveTallyIntervalMs: options.liveTallyIntervalMs }),
    // Retries that would take minutes against Slack take milliseconds here.
    clientOptions: {
      retryConfig: { retries: 3, factor: 1, minTimeout: 5, maxTimeout: 20, randomize: false },
    },
  });
  const { port } = await concert.start(0);
  const url = `http://127.0.0.1:${port}`;
  // The redirect URL set in the app's OAuth & Permissions, where Slack sends the browser back.
  if (fake.oauth) fake.oauth.redirectUrl = `${url}/slack/oauth_redirect`;
  const slack = new SlackDriver({
    appUrl: url,
    signingSecret: SIGNING_SECRET,
    fake,
    teamId: TEAM_ID,
    ...(options.enterpriseId ? { enterpriseId: options.enterpriseId } : {}),
    settle: () => concert.inFlight.settled(),
  });
  return {
    concert,
    db,
    database,
    fake,
    slack,
    clock,
    log,
    url,
    eventJournalDir,
    settled: () => concert.inFlight.settled(),
    async stop() {
      await concert.stop();
      if (!options.fake) await fake.stop();
      await database?.destroy();
      if (!options.eventJournalDir) rmSync(eventJournalDir, { recursive: true, force: true });
    },
  };
}
