import { isIP } from 'node:net';
import { z } from 'zod';

/** Everything the app reads from its environment, parsed once at start and then passed around frozen. */
export interface Config {
  readonly slack: {
    /** Single-token mode: the one workspace's bot token. Undefined in OAuth mode. */
    readonly botToken: string | undefined;
    /** OAuth mode (Add to Slack): any number of workspaces, each on the token its installation stored. */
    readonly oauth: OAuthConfig | undefined;
    /** Required in HTTP mode: every request is verified against it. */
    readonly signingSecret: string | undefined;
    /** Set: Socket Mode instead of the HTTP receiver. */
    readonly appToken: string | undefined;
    /** Web API base URL, ending in a slash, or undefined for Slack's own. */
    readonly apiUrl: string | undefined;
  };
  readonly database:
    | { readonly kind: 'postgres'; readonly url: string }
    | { readonly kind: 'embedded'; readonly dataDir: string };
  readonly adminIds: readonly string[];
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly publicRecords: boolean;
  /** Days a workspace's data is kept after the app is uninstalled from it (DATA_RETENTION_DAYS, default 30). */
  readonly dataRetentionDays: number;
}

/** The Slack app's OAuth credentials (Basic Information), and the key its stored tokens are encrypted with. */
export interface OAuthConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Signs the OAuth `state` of each install (Bolt's SLACK_STATE_SECRET). */
  readonly stateSecret: string;
  /** 32 bytes: the AES-256-GCM key of the tokens at rest (CONCERT_ENCRYPTION_KEY). */
  readonly encryptionKey: Buffer;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Thrown with one line per bad variable, so a start fails with the whole list at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === ''
    ? undefined
    : typeof value === 'string'
      ? value.trim()
      : value;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const DEFAULT_DATA_DIR = './.concert';

const userId = /^[UW][A-Z0-9]{2,}$/;

const PORT_RANGE = 'must be a port number from 1 to 65535';
/** Days a workspace's data is kept after the app is uninstalled, unless DATA_RETENTION_DAYS says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;
const RETENTION_RANGE = 'must be a whole number of days from 0 to 3650 (0: deleted at the next daily run)';

const ENCRYPTION_KEY_RULE =
  'must be 32 random bytes, as 64 hex digits or in base64 (openssl rand -hex 32); keep it: stored tokens need it';

/** 32 bytes from 64 hex digits or base64, else undefined. */
function encryptionKey(text: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return undefined;
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}

const envSchema = z.object({
  SLACK_BOT_TOKEN: optional(z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-')),
  SLACK_SIGNING_SECRET: optional(
    z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the hex Signing Secret from Basic Information'),
  ),
  SLACK_APP_TOKEN: optional(z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-')),
  SLACK_CLIENT_ID: optional(
    z
      .string()
      .regex(/^\d+\.\d+$/, 'must be the Client ID from Basic Information, such as 1234567890.1234567890'),
  ),
  SLACK_CLIENT_SECRET: optional(
    z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the hex Client Secret from Basic Information'),
  ),
  SLACK_STATE_SECRET: optional(
    z.string().min(32, 'must be a random secret of at least 32 characters (openssl rand -hex 32)'),
  ),
  CONCERT_ENCRYPTION_KEY: optional(
    z
      .string()
      .transform(encryptionKey)
      .refine((key) => key !== undefined, ENCRYPTION_KEY_RULE),
  ),
  SLACK_API_URL: optional(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' }),
  ),
  DATABASE_URL: optional(
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// connection URL' }),
  ),
  CONCERT_DATA_DIR: optional(z.string()),
  CONCERT_ADMIN_IDS: optional(
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      )
      .refine(
        (ids) => ids.every((id) => userId.test(id)),
        'must be comma-separated Slack user IDs such as U012ABCDEF',
      ),
  ),
  // 0 (any free port) is taken too, for tests and tools that read the port from the log.
  PORT: optional(
    z.coerce.number({ error: PORT_RANGE }).int(PORT_RANGE).min(0, PORT_RANGE).max(65535, PORT_RANGE),
  ),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
  PUBLIC_RECORDS: optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
  DATA_RETENTION_DAYS: optional(
    z.coerce
      .number({ error: RETENTION_RANGE })
      .int(RETENTION_RANGE)
      .min(0, RETENTION_RANGE)
      .max(3650, RETENTION_RANGE),
  ),
});

/** The variables that connect Concert to a real Slack app; with none of them set, `npm start` opens the sandbox. */
export const SLACK_CREDENTIALS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
] as const;

/** The variables of OAuth mode (Bolt's names), all three needed together. */
const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

export function hasSlackCredentials(env: NodeJS.ProcessEnv): boolean {
  return SLACK_CREDENTIALS.some((name) => env[name]?.trim());
}

/**
 * One line per bad variable, `NAME: what it must be`, in the order of `order`: the first problem zod found
 * with each, or the rule it breaks with the others.
 */
function problemLines(
  order: readonly string[],
  issues: readonly z.core.$ZodIssue[],
  rules: readonly [string, string][],
): string[] {
  const byName = new Map<string, string>();
  for (const issue of issues) {
    const name = String(issue.path[0]);
    if (!byName.has(name)) byName.set(name, issue.message);
  }
  for (const [name, problem] of rules) if (!byName.has(name)) byName.set(name, problem);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...byName].sort(([a], [b]) => rank(a) - rank(b)).map(([name, problem]) => `${name}: ${problem}`);
}

/**
 * Reads the environment; throws ConfigError naming every bad variable and what it must be, all at once:
 * a malformed value does not hide a missing one, nor the other way round.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  // The rules between variables read what is set, whether or not each value is well formed.
  const isSet = (name: keyof typeof envSchema.shape) => blankToUndefined(env[name]) !== undefined;
  const rules: [string, string][] = [];
  const oauthSet = OAUTH_VARIABLES.filter(isSet);
  if (oauthSet.length > 0 && isSet('SLACK_BOT_TOKEN')) {
    rules.push([
      'SLACK_BOT_TOKEN',
      `must not be set with ${oauthSet.join(', ')}: choose the single-token mode (SLACK_BOT_TOKEN) or OAuth mode (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET), not both`,
    ]);
  } else if (oauthSet.length > 0) {
    for (const name of OAUTH_VARIABLES)
      if (!isSet(name)) rules.push([name, `required in OAuth mode, with ${oauthSet.join(' and ')}`]);
    if (!isSet('CONCERT_ENCRYPTION_KEY'))
      rules.push(['CONCERT_ENCRYPTION_KEY', `required in OAuth mode; ${ENCRYPTION_KEY_RULE}`]);
  } else if (!isSet('SLACK_BOT_TOKEN'))
    rules.push([
      'SLACK_BOT_TOKEN',
      'required; the Bot User OAuth Token (xoxb-…) from OAuth & Permissions (or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth mode)',
    ]);
  if (!isSet('SLACK_APP_TOKEN') && !isSet('SLACK_SIGNING_SECRET')) {
    rules.push([
      'SLACK_SIGNING_SECRET',
      'required in HTTP mode; the Signing Secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
  }
  const problems = problemLines(Object.keys(envSchema.shape), parsed.error?.issues ?? [], rules);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;

  const apiUrl = e.SLACK_API_URL
    ? e.SLACK_API_URL.endsWith('/')
      ? e.SLACK_API_URL
      : `${e.SLACK_API_URL}/`
    : undefined;
  return Object.freeze({
    slack: Object.freeze({
      botToken: e.SLACK_BOT_TOKEN,
      oauth:
        e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET && e.CONCERT_ENCRYPTION_KEY
          ? Object.freeze({
              clientId: e.SLACK_CLIENT_ID,
              clientSecret: e.SLACK_CLIENT_SECRET,
              stateSecret: e.SLACK_STATE_SECRET,
              encryptionKey: e.CONCERT_ENCRYPTION_KEY,
            })
          : undefined,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl,
    }),
    database: Object.freeze(
      e.DATABASE_URL
        ? { kind: 'postgres' as const, url: e.DATABASE_URL }
        : { kind: 'embedded' as const, dataDir: e.CONCERT_DATA_DIR ?? DEFAULT_DATA_DIR },
    ),
    adminIds: Object.freeze(e.CONCERT_ADMIN_IDS ?? []),
    port: e.PORT ?? 3000,
    logLevel: e.LOG_LEVEL ?? 'info',
    publicRecords: e.PUBLIC_RECORDS === 'true',
    dataRetentionDays: e.DATA_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS,
  });
}

/** The sandbox's own variables, read only when the sandbox starts. */
export interface SandboxConfig {
  /** The address the sandbox page listens on: loopback, unless SANDBOX_HOST opens it to others. */
  readonly host: string;
  /** Where the sandbox keeps its data, emptied at every start. */
  readonly dataDir: string;
  /** The app's own embedded data directory, which the sandbox must never take for its own. */
  readonly appDataDir: string;
}

export const SANDBOX_LOOPBACK = '127.0.0.1';

const hostName = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;

const sandboxSchema = z.object({
  SANDBOX_HOST: optional(
    z
      .string()
      .refine(
        (host) => isIP(host) !== 0 || hostName.test(host),
        'must be a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0',
      ),
  ),
  CONCERT_SANDBOX_DIR: optional(z.string()),
  CONCERT_DATA_DIR: optional(z.string()),
});

/** Reads the sandbox's variables; throws ConfigError naming each bad one. */
export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const parsed = sandboxSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(problemLines(Object.keys(sandboxSchema.shape), parsed.error.issues, []));
  const e = parsed.data;
  return Object.freeze({
    host: e.SANDBOX_HOST ?? SANDBOX_LOOPBACK,
    dataDir: e.CONCERT_SANDBOX_DIR ?? './.concert-sandbox',
    appDataDir: e.CONCERT_DATA_DIR ?? DEFAULT_DATA_DIR,
  });
}
