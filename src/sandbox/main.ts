import { isIP } from 'node:net';
import path from 'node:path';
import {
  type Config,
  ConfigError,
  loadConfig,
  loadSandboxConfig,
  SANDBOX_LOOPBACK,
  type SandboxConfig,
  SLACK_CREDENTIALS,
} from '../config.js';
import { createLogger } from '../logger.js';
import { stopOnSignals } from '../shutdown.js';
import { dataDirProblem } from './data-dir.js';
import { SandboxServer } from './server.js';

/** Stand-ins that satisfy the configuration's checks; the sandbox gives the app its own token and secret. */
const PLACEHOLDER_CREDENTIALS = { SLACK_BOT_TOKEN: 'xoxb-sandbox', SLACK_SIGNING_SECRET: '0'.repeat(32) };

/**
 * Both configurations, or one ConfigError with every problem at once: Slack credentials set beside the
 * sandbox, every bad variable of either configuration, and a data directory the sandbox may not empty.
 */
function configurations(env: NodeJS.ProcessEnv): { config: Config; sandbox: SandboxConfig; dataDir: string } {
  const problems: string[] = [];
  const configured = SLACK_CREDENTIALS.filter((name) => env[name]?.trim());
  if (configured.length > 0) {
    problems.push(
      `${configured.join(', ')}: set, so the sandbox will not start: it never runs beside a real Slack app (use npm start for that, or unset ${configured.length === 1 ? 'it' : 'them'} to try the sandbox)`,
    );
  }
  const read = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  // The other variables (PORT, LOG_LEVEL, CONCERT_ADMIN_IDS…) are read and checked as usual.
  const config = read(() => loadConfig({ LOG_LEVEL: 'warn', ...env, ...PLACEHOLDER_CREDENTIALS }));
  const sandbox = read(() => loadSandboxConfig(env));
  // The directories are checked even when SANDBOX_HOST (the one variable here that can be malformed) is bad.
  const dirs = sandbox ?? loadSandboxConfig({ ...env, SANDBOX_HOST: '' });
  const dataDir = path.resolve(dirs.dataDir);
  const problem = dataDirProblem(dataDir, dirs.appDataDir);
  if (problem) problems.push(`CONCERT_SANDBOX_DIR: ${problem}`);
  if (!config || !sandbox || problems.length > 0) throw new ConfigError(problems);
  return { config, sandbox, dataDir };
}

/** The page's address to print: localhost, unless the page listens on one other address only. */
function pageUrl(host: string, port: number): string {
  const anywhere = host === '0.0.0.0' || host === '::';
  if (anywhere || host === SANDBOX_LOOPBACK || host === '::1' || host === 'localhost')
    return `http://localhost:${port}`;
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/**
 * `npm start` without Slack credentials, or `npm run sandbox`: the real app beside an emulated Slack
 * workspace, with a page at http://localhost:PORT to use it as the coalition would.
 */
export async function runSandbox(env: NodeJS.ProcessEnv): Promise<void> {
  const { config, sandbox, dataDir } = configurations(env);
  const log = createLogger(config.logLevel);
  const server = new SandboxServer({ config, dataDir, appDataDir: sandbox.appDataDir, log });
  const port = await server.listen(config.port, sandbox.host).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new ConfigError([
        `PORT: ${config.port} is already in use by another program; set PORT to a free port`,
      ]);
    }
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
      throw new ConfigError([
        `SANDBOX_HOST: ${sandbox.host} is not an address of this computer; leave it unset for this computer only`,
      ]);
    }
    throw error;
  });
  process.stdout.write(
    `Concert sandbox: open ${pageUrl(sandbox.host, port)} (no Slack needed; its data is in ${dataDir})\n`,
  );
  log.info({ port, host: sandbox.host, dataDir }, 'sandbox page listening');

  stopOnSignals(log, 'stopping the sandbox', () => server.stop());
  await server.ready();
  log.info('sandbox coalition ready');
}
