import type { Server, ServerResponse } from 'node:http';
import { App } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type Db, pingDatabase } from './db/database.js';
import * as actions from './listeners/actions/index.js';
import { AfterAck } from './listeners/after-ack.js';
import * as commands from './listeners/commands/index.js';
import type { ListenerDeps } from './listeners/deps.js';
import { registerErrorHandler } from './listeners/errors.js';
import * as events from './listeners/events/index.js';
import { HomePublisher } from './listeners/home.js';
import { InFlight } from './listeners/in-flight.js';
import { LiveTally } from './listeners/live-tally.js';
import { onlyPeople } from './listeners/middleware/authorization.js';
import { onlyOnce } from './listeners/middleware/redeliveries.js';
import type { Pacer } from './listeners/pacer.js';
import { Routes } from './listeners/routes.js';
import * as shortcuts from './listeners/shortcuts/index.js';
import * as views from './listeners/views/index.js';
import { boltLogger, type Logger } from './logger.js';
import { type PublicRecords, publicRecords, publicRecordsAt } from './services/records.js';
import { EventJournal } from './slack/event-journal.js';
import { Installations } from './slack/installations.js';
import { oauthInstall, withoutDebug } from './slack/oauth.js';
import { ConcertReceiver } from './slack/receiver.js';
import { TokenCipher } from './slack/token-cipher.js';
import { recordsPage } from './views/records-page.js';

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  clock?: Clock;
  /** The bot's identity, known from auth.test at start (or given by tests) so Bolt need not ask per request. */
  botId?: string | undefined;
  botUserId?: string | undefined;
  /** Extra Web API client options, e.g. tighter retries in tests. */
  clientOptions?: WebClientOptions;
  /** Least time between two updates of one proposal's live tally (default: chat.update's one a second). */
  liveTallyIntervalMs?: number;
  /** The time Slack's rates are kept in (the live tally, App Home): real time unless a test moves its own. */
  pacer?: Pacer;
  /**
   * Where Events API deliveries wait on disk until applied (HTTP mode): by default beside the embedded
   * database's directory (`<CONCERT_DATA_DIR>-events`), or `./.concert-events` with a PostgreSQL server.
   */
  eventJournalDir?: string;
}

export interface Concert {
  readonly app: App;
  /** Handler work still running after its ack. */
  readonly inFlight: InFlight;
  readonly botUserId: string | undefined;
  /** OAuth mode: the installations, each workspace's bot token among them; undefined with a single token. */
  readonly installations: Installations | undefined;
  /** Starts listening (on every interface, or on `host`); in HTTP mode resolves to the bound port. */
  start(port: number, host?: string): Promise<{ port: number | undefined }>;
  /**
   * Applies the events kept while the database was not answering (see ConcertReceiver), if it answers now;
   * runs by itself every REPLAY_EVERY_MS while started. Resolves to how many were applied.
   */
  replayEvents(): Promise<number>;
  /** Stops taking requests and waits for handlers in flight. */
  stop(): Promise<void>;
}

/** How often kept events are tried again while the app runs. */
export const REPLAY_EVERY_MS = 30_000;

function defaultJournalDir(database: Config['database']): string {
  return database.kind === 'embedded' && database.dataDir
    ? `${database.dataDir.replace(/[\\/]+$/, '')}-events`
    : './.concert-events';
}

const KEEP_ALIVE_MS = 65_000;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The headers of a public records answer: cacheable a minute, and nothing in it may run. */
const RECORDS_HEADERS = {
  'cache-control': 'public, max-age=60',
  // A page of text: nothing may run in it, and browsers take the type as given.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};

type RecordsRequest = { params?: Record<string, string | string[]> };

/**
 * The public records, read-only, served only when PUBLIC_RECORDS=true: each workspace's at the address it
 * chose in setup (`/records/<address>`, `/records/<address>.json`; no page for an address none chose), and in
 * the single-token mode also `/records` and `/records.json`, the one workspace's.
 */
function recordsRoutes(db: Db, log: Logger, clock: Clock, singleWorkspace: boolean) {
  const serve = (
    res: ServerResponse,
    records: () => Promise<PublicRecords | undefined>,
    render: (records: PublicRecords) => [string, string],
  ) => {
    records().then(
      (found) => {
        if (!found) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...RECORDS_HEADERS });
          res.end('No coalition publishes its records at this address.');
          return;
        }
        const [type, body] = render(found);
        res.writeHead(200, { 'content-type': type, ...RECORDS_HEADERS });
        res.end(body);
      },
      (error: unknown) => {
        log.warn({ err: error }, 'public records: database unreachable');
        json(res, 503, { ok: false });
      },
    );
  };
  const html = ({ decisions, indicators }: PublicRecords): [string, string] => [
    'text/html; charset=utf-8',
    recordsPage(decisions, indicators),
  ];
  const data = ({ decisions, indicators }: PublicRecords): [string, string] => [
    'application/json',
    JSON.stringify({ decisions, indicators: indicators.map((i) => i.indicator) }),
  ];
  const at = (req: RecordsRequest) => () => publicRecordsAt(db, String(req.params?.address ?? ''), clock());
  const everyone = () => publicRecords(db, clock());
  return [
    // Before `/records/:address`, which would take `riverside.json` as an address.
    {
      path: '/records/:address.json',
      method: ['GET'],
      handler: (req: RecordsRequest, res: ServerResponse) => serve(res, at(req), data),
    },
    {
      path: '/records/:address',
      method: ['GET'],
      handler: (req: RecordsRequest, res: ServerResponse) => serve(res, at(req), html),
    },
    ...(singleWorkspace
      ? [
          {
            path: '/records',
            method: ['GET'],
            handler: (_req: unknown, res: ServerResponse) => serve(res, everyone, html),
          },
          {
            path: '/records.json',
            method: ['GET'],
            handler: (_req: unknown, res: ServerResponse) => serve(res, everyone, data),
          },
        ]
      : []),
  ];
}

/** Builds the whole Slack app from its dependencies, without starting it, so tests build the same thing. */
export function createApp(deps: AppDeps): Concert {
  const { config, db, log } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = boltLogger(log);
  const socketMode = config.slack.appToken !== undefined;

  const inFlight = new InFlight();
  const slackApiOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger: boltLogger(log, 'web-api'),
  };
  const oauthConfig = config.slack.oauth;
  const installations = oauthConfig
    ? new Installations({
        db,
        cipher: new TokenCipher(oauthConfig.encryptionKey),
        clientId: oauthConfig.clientId,
        clientSecret: oauthConfig.clientSecret,
        stateSecret: oauthConfig.stateSecret,
        log,
        clientOptions: { slackApiUrl: slackApiOptions.slackApiUrl, logger: withoutDebug(log) },
      })
    : undefined;
  const oauth =
    oauthConfig && installations
      ? oauthInstall({
          installations,
          clientId: oauthConfig.clientId,
          clientSecret: oauthConfig.clientSecret,
          log,
          apiUrl: config.slack.apiUrl,
          clientOptions: { logger: withoutDebug(log) },
        })
      : undefined;
  const customRoutes = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: unknown, res: ServerResponse) => {
        pingDatabase(db).then(
          () => json(res, 200, { ok: true, db: 'ok' }),
          (error: unknown) => {
            log.warn({ err: error }, 'health check: database unreachable');
            json(res, 503, { ok: false, db: 'unreachable' });
          },
        );
      },
    },
    ...(config.publicRecords ? recordsRoutes(db, log, clock, !oauth) : []),
    ...(oauth?.routes ?? []),
  ];
  const receiver = socketMode
    ? undefined
    : new ConcertReceiver({
        signingSecret: config.slack.signingSecret ?? '',
        customRoutes,
        log,
        journal: new EventJournal(deps.eventJournalDir ?? defaultJournalDir(config.database)),
        track: (work) => inFlight.track(work),
      });

  const app = new App({
    // OAuth mode: each request is authorized by its workspace's installation; else the one token.
    ...(oauth ? { authorize: oauth.authorize } : { token: config.slack.botToken }),
    ...(socketMode
      ? {
          socketMode: true,
          appToken: config.slack.appToken,
          installerOptions: { port: config.port },
          customRoutes,
        }
      : { receiver }),
    ...(deps.botId ? { botId: deps.botId } : {}),
    ...(deps.botUserId ? { botUserId: deps.botUserId } : {}),
    logger,
    extendedErrorHandler: true,
    clientOptions: {
      ...slackApiOptions,
      // Calls made while a person waits (and the jobs' reads) give up within about a minute, instead of the
      // library's ten tries over thirty minutes. Queued messages go through a client of their own that never
      // retries (slack/web-sender.ts): the outbox alone tries them again.
      retryConfig: { retries: 2, factor: 2, minTimeout: 1_000, maxTimeout: 5_000 },
      timeout: 15_000,
      ...deps.clientOptions,
    },
  });

  const listenerDeps: ListenerDeps = {
    db,
    clock,
    log,
    adminIds: config.adminIds,
    liveTally: new LiveTally(inFlight, db, log, deps.liveTallyIntervalMs, deps.pacer),
    homes: new HomePublisher(inFlight, deps.pacer),
    afterAck: new AfterAck((work) => void inFlight.track(work)),
  };
  // A failed request stays in flight until the error handler has told the user, keyed by the error.
  const failures = new WeakMap<object, () => void>();
  app.use(async ({ next }) => {
    const release = inFlight.hold();
    try {
      await next();
      release();
    } catch (error) {
      if (typeof error === 'object' && error !== null) failures.set(error, release);
      else release();
      throw error;
    }
  });
  app.use(onlyOnce(listenerDeps));
  app.use(onlyPeople(listenerDeps));
  const routes = new Routes();
  commands.register(routes, listenerDeps);
  actions.register(routes, listenerDeps);
  views.register(routes, listenerDeps);
  events.register(routes, listenerDeps);
  shortcuts.register(routes, listenerDeps);
  routes.install(app);
  registerErrorHandler(app, log, (error) => failures.get(error)?.());

  let replaying: Promise<number> | undefined;
  const replayEvents = (): Promise<number> => {
    if (!receiver) return Promise.resolve(0);
    replaying ??= pingDatabase(db)
      .then(
        () => receiver.replayJournal(),
        () => 0,
      )
      .catch((error: unknown) => {
        log.error({ err: error }, 'could not apply the kept events');
        return 0;
      })
      .finally(() => {
        replaying = undefined;
      });
    return replaying;
  };
  let replayTimer: NodeJS.Timeout | undefined;

  return {
    app,
    inFlight,
    botUserId: deps.botUserId,
    installations,
    async start(port, host) {
      if (socketMode) {
        await app.start();
        return { port: undefined };
      }
      const server = (await app.start(host ? { port, host } : port)) as Server;
      // Events kept before a restart are applied now, and any kept from here on within REPLAY_EVERY_MS.
      void inFlight.track(replayEvents());
      replayTimer = setInterval(() => void inFlight.track(replayEvents()), REPLAY_EVERY_MS);
      replayTimer.unref();
      // Node's default of 5 s lets a client reuse a connection the server is just closing, and the request is
      // lost to a reset; a load balancer's idle timeout (often 60 s) should run out before the server's.
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      server.headersTimeout = KEEP_ALIVE_MS + 1_000;
      const address = server.address();
      return { port: typeof address === 'object' && address ? address.port : port };
    },
    replayEvents,
    async stop() {
      clearInterval(replayTimer);
      const homes = listenerDeps.homes.stop();
      await app.stop();
      await inFlight.settled();
      const dropped = await homes;
      if (dropped > 0)
        log.info({ dropped }, 'App Homes left to be rendered when their people next open them');
    },
  };
}
