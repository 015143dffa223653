import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseEnv } from 'node:util';
import { LogLevel, WebClient } from '@slack/web-api';
import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, hasSlackCredentials, loadConfig } from './config.js';
import { DatabaseUnavailableError, openDatabase, refreshStaleStatistics } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { boltLogger, createLogger } from './logger.js';
import { MESSAGES } from './messages/index.js';
import { startScheduler } from './scheduler/index.js';
import { jobs } from './scheduler/jobs.js';
import { startSender } from './scheduler/sender.js';
import { workspaceInstalled } from './services/installation.js';
import { useMessages } from './services/outgoing.js';
import { stopOnSignals } from './shutdown.js';
import { WorkspaceClients } from './slack/workspace-clients.js';

/** A start-up problem the person running the app can fix: printed as is, one line each, then exit 1. */
class StartupError extends Error {}

async function botIdentity(token: string, slackApiUrl: string | undefined) {
  const client = new WebClient(token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 2 },
    // A failure here becomes one line of its own below; the client's per-try warnings would only repeat it.
    logLevel: LogLevel.ERROR,
  });
  try {
    const auth = await client.auth.test();
    return { botId: auth.bot_id, botUserId: auth.user_id, team: auth.team, teamId: auth.team_id };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    throw new StartupError(
      code
        ? `SLACK_BOT_TOKEN: Slack refused it (${code}); copy the Bot User OAuth Token again from OAuth & Permissions`
        : `SLACK_API_URL: cannot reach Slack's Web API at ${slackApiUrl ?? 'https://slack.com/api/'} (${(error as Error).message})`,
    );
  }
}

/** Resolves when the app could listen on `port` (HTTP mode); a line naming PORT when it could not. */
function portAvailable(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          new StartupError(`PORT: ${port} is already in use by another program; set PORT to a free port`),
        );
      else if (error.code === 'EACCES')
        reject(
          new StartupError(
            `PORT: ${port} needs privileges this user does not have; choose a port above 1023`,
          ),
        );
      else reject(error);
    });
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

/**
 * Runs the start's checks side by side, so that one that fails does not hide another: every failure the
 * person running the app can fix becomes one line of a single StartupError (any other error is thrown).
 */
async function together<T extends readonly unknown[]>(checks: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(checks);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length === 0)
    return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
  const other = failures.find((f) => !(f instanceof StartupError || f instanceof DatabaseUnavailableError));
  if (other !== undefined) throw other;
  throw new StartupError(failures.map((f) => (f as Error).message).join('\n'));
}

/** The process environment over the variables in `.env` (or CONCERT_ENV_FILE; blank reads no file). */
function environment(): NodeJS.ProcessEnv {
  const file = process.env.CONCERT_ENV_FILE ?? '.env';
  if (file === '' || !existsSync(file)) return process.env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...process.env };
}

async function main(): Promise<void> {
  const env = environment();
  if (process.argv[2] === 'sandbox' || !hasSlackCredentials(env)) {
    // Loaded only here, so a start with Slack credentials never imports any sandbox code.
    const { runSandbox } = await import('./sandbox/main.js');
    return runSandbox(env);
  }
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const [db, identity] = await together([
    openDatabase(config.database, (error) =>
      log.warn({ err: error }, 'the database dropped an idle connection; a new one will be made'),
    ),
    // OAuth mode has no token of its own: each workspace's comes with its installation.
    config.slack.botToken
      ? botIdentity(config.slack.botToken, config.slack.apiUrl)
      : Promise.resolve(undefined),
    config.slack.appToken ? Promise.resolve() : portAvailable(config.port),
  ] as const);
  const applied = await migrateToLatest(db);
  // A server's autovacuum keeps its statistics; the embedded database refreshes those of tables that changed.
  const analyzed = config.database.kind === 'postgres' ? [] : await refreshStaleStatistics(db);
  log.info({ applied, analyzed, database: config.database.kind }, 'database ready');

  // The token answers: a workspace marked uninstalled (the app removed, its token revoked) is back.
  if (identity?.teamId && (await workspaceInstalled(db, identity.teamId)))
    log.info({ teamId: identity.teamId }, 'Concert works in this workspace again');
  useMessages(MESSAGES);
  const concert = createApp({ config, db, log, clock: systemClock, ...identity });
  const { installations } = concert;
  // OAuth mode: every scheduled send and read for a workspace goes with that workspace's own token.
  const clients = installations
    ? new WorkspaceClients((teamId) => installations.bot(teamId), {
        ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
        logger: boltLogger(log, 'web-api'),
        retryConfig: { retries: 2, factor: 2, minTimeout: 1_000, maxTimeout: 5_000 },
        timeout: 15_000,
      })
    : undefined;
  const scheduler = startScheduler(
    db,
    jobs({
      db,
      client: concert.app.client,
      botUserId: () => identity?.botUserId,
      ...(clients ? { clients } : {}),
      log,
      retentionDays: config.dataRetentionDays,
    }),
    systemClock,
    log,
  );
  // Queued messages leave as soon as they are due, paced to Slack's rates; the jobs' sends are the safety net.
  const sender = await startSender({
    db,
    client: concert.app.client,
    teamId: identity?.teamId ?? '',
    ...(clients ? { clients } : {}),
    clock: systemClock,
    log,
  });
  const { port } = await concert.start(config.port);
  log.info(
    {
      port,
      mode: config.slack.appToken ? 'socket' : 'http',
      ...(identity ? { team: identity.team } : { oauth: true }),
    },
    config.slack.appToken ? 'Concert is connected over Socket Mode' : `Concert is listening on port ${port}`,
  );

  stopOnSignals(log, 'stopping', async () => {
    await scheduler.stop();
    await concert.stop();
    await sender.stop();
    await db.destroy();
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) process.stderr.write(`${problem}\n`);
  } else if (error instanceof DatabaseUnavailableError || error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Concert could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
