import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { WebClient } from '@slack/web-api';
import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, hasSlackCredentials, loadConfig } from './config.js';
import { DatabaseUnavailableError, openDatabase, refreshStaleStatistics } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createLogger } from './logger.js';
import { startScheduler } from './scheduler/index.js';
import { jobs } from './scheduler/jobs.js';
import { stopOnSignals } from './shutdown.js';

/** A start-up problem the person running the app can fix: printed as is, one line each, then exit 1. */
class StartupError extends Error {}

async function botIdentity(token: string, slackApiUrl: string | undefined) {
  const client = new WebClient(token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 2 },
  });
  try {
    const auth = await client.auth.test();
    return { botId: auth.bot_id, botUserId: auth.user_id, team: auth.team };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    throw new StartupError(
      code
        ? `SLACK_BOT_TOKEN: Slack refused it (${code}); copy the Bot User OAuth Token again from OAuth & Permissions`
        : `SLACK_API_URL: cannot reach Slack's Web API at ${slackApiUrl ?? 'https://slack.com/api/'} (${(error as Error).message})`,
    );
  }
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
  const db = await openDatabase(config.database, (error) =>
    log.warn({ err: error }, 'the database dropped an idle connection; a new one will be made'),
  );
  const applied = await migrateToLatest(db);
  // A server's autovacuum keeps its statistics; the embedded database refreshes those of tables that changed.
  const analyzed = config.database.kind === 'postgres' ? [] : await refreshStaleStatistics(db);
  log.info({ applied, analyzed, database: config.database.kind }, 'database ready');

  const identity = await botIdentity(config.slack.botToken, config.slack.apiUrl);
  const concert = createApp({ config, db, log, clock: systemClock, ...identity });
  const scheduler = startScheduler(
    db,
    jobs({ db, client: concert.app.client, botUserId: () => identity.botUserId, log }),
    systemClock,
    log,
  );
  const { port } = await concert.start(config.port);
  log.info(
    { port, mode: config.slack.appToken ? 'socket' : 'http', team: identity.team },
    config.slack.appToken ? 'Concert is connected over Socket Mode' : `Concert is listening on port ${port}`,
  );

  stopOnSignals(log, 'stopping', async () => {
    await scheduler.stop();
    await concert.stop();
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
