import { type Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/bolt';
import { type Logger, pino } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

// Tokens and secrets must never reach a log line, wherever they sit in a logged object.
const redact = {
  paths: [
    'token',
    '*.token',
    '*.*.token',
    'botToken',
    '*.botToken',
    'appToken',
    '*.appToken',
    'signingSecret',
    '*.signingSecret',
    'headers.authorization',
    '*.headers.authorization',
    'config.headers.Authorization',
  ],
  censor: '[redacted]',
};

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact, base: { app: 'concert' } }, destination);
}

const toBolt: Record<string, BoltLogLevel> = {
  fatal: BoltLogLevel.ERROR,
  error: BoltLogLevel.ERROR,
  warn: BoltLogLevel.WARN,
  info: BoltLogLevel.INFO,
  debug: BoltLogLevel.DEBUG,
  trace: BoltLogLevel.DEBUG,
  silent: BoltLogLevel.ERROR,
};

/** Bolt and the Web API client log through the app's pino logger, so they share its level and redaction. */
export function boltLogger(log: Logger, name = 'bolt'): BoltLogger {
  let child = log.child({ component: name });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      child[level](msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => {},
    getLevel: () => toBolt[log.level] ?? BoltLogLevel.INFO,
    setName: (n: string) => {
      child = log.child({ component: n });
    },
  };
}
