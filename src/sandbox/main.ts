import path from 'node:path';
import { ConfigError, loadConfig, SLACK_CREDENTIALS } from '../config.js';
import { createLogger } from '../logger.js';
import { stopOnSignals } from '../shutdown.js';
import { SandboxServer } from './server.js';

/** Stand-ins that satisfy the configuration's checks; the sandbox gives the app its own token and secret. */
const PLACEHOLDER_CREDENTIALS = { SLACK_BOT_TOKEN: 'xoxb-sandbox', SLACK_SIGNING_SECRET: '0'.repeat(32) };

/**
 * `npm start` without Slack credentials, or `npm run sandbox`: the real app beside an emulated Slack
 * workspace, with a page at http://localhost:PORT to use it as the coalition would.
 */
export async function runSandbox(env: NodeJS.ProcessEnv): Promise<void> {
  const configured = SLACK_CREDENTIALS.filter((name) => env[name]?.trim());
  if (configured.length > 0) {
    throw new ConfigError([
      `${configured.join(', ')}: set, so the sandbox will not start: it never runs beside a real Slack app (use npm start for that, or unset ${configured.length === 1 ? 'it' : 'them'} to try the sandbox)`,
    ]);
  }
  // The other variables (PORT, LOG_LEVEL, CONCERT_ADMIN_IDS…) are read and checked as usual.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...env, ...PLACEHOLDER_CREDENTIALS });
  const log = createLogger(config.logLevel);
  const dataDir = path.resolve(env.CONCERT_SANDBOX_DIR?.trim() || '.concert-sandbox');
  const server = new SandboxServer({ config, dataDir, log });
  const port = await server.listen(config.port).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new ConfigError([
      `PORT: ${config.port} is already in use by another program; set PORT to a free port`,
    ]);
  });
  process.stdout.write(
    `Concert sandbox: open http://localhost:${port} (no Slack needed; its data is in ${dataDir})\n`,
  );
  log.info({ port, dataDir }, 'sandbox page listening');

  stopOnSignals(log, 'stopping the sandbox', () => server.stop());
  await server.ready();
  log.info('sandbox coalition ready');
}
