import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadSandboxConfig } from '../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-123-456-abc',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'a'),
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('reads a valid HTTP-mode environment with the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config.slack.appToken).toBeUndefined();
    expect(config.database).toEqual({ kind: 'embedded', dataDir: './.concert' });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.publicRecords).toBe(false);
    expect(config.dataRetentionDays).toBe(30);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...valid,
      SLACK_API_URL: 'http://127.0.0.1:9000/api',
      DATABASE_URL: 'postgres://concert@db.internal:5432/concert',
      CONCERT_ADMIN_IDS: 'U012ABCDEF, W0987ZYX',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      PUBLIC_RECORDS: 'true',
      DATA_RETENTION_DAYS: '7',
    });
    expect(config.dataRetentionDays).toBe(7);
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9000/api/');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://concert@db.internal:5432/concert' });
    expect(config.adminIds).toEqual(['U012ABCDEF', 'W0987ZYX']);
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('debug');
    expect(config.publicRecords).toBe(true);
  });

  it('needs no signing secret in Socket Mode', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' });
    expect(config.slack.appToken).toBe('xapp-1-A1-2-abc');
    expect(config.slack.signingSecret).toBeUndefined();
  });

  it('names each missing credential on its own line', () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: required/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required in HTTP mode/),
    ]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: /),
    ]);
  });

  it('gives one line per bad variable, naming it and what it must be', () => {
    const lines = problems({
      ...valid,
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      DATABASE_URL: 'mysql://root@localhost/concert',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      CONCERT_ADMIN_IDS: 'U012ABCDEF,alice',
      PUBLIC_RECORDS: 'yes',
      DATA_RETENTION_DAYS: 'a month',
      SLACK_API_URL: 'not a url',
    });
    expect(lines.sort()).toEqual(
      [
        'CONCERT_ADMIN_IDS: must be comma-separated Slack user IDs such as U012ABCDEF',
        'DATABASE_URL: must be a postgres:// or postgresql:// connection URL',
        'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
        'PORT: must be a port number from 1 to 65535',
        'PUBLIC_RECORDS: must be true or false',
        'DATA_RETENTION_DAYS: must be a whole number of days from 0 to 3650 (0: deleted at the next daily run)',
        'SLACK_API_URL: must be an http(s) URL such as https://slack.com/api/',
        'SLACK_BOT_TOKEN: must be a bot token starting with xoxb-',
      ].sort(),
    );
  });

  it('reports a malformed variable and a missing one in the same start, in the order of the README', () => {
    // A bad DATABASE_URL used to hide the missing signing secret until it was fixed.
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', DATABASE_URL: 'mysql://root@localhost/concert' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required in HTTP mode/),
      'DATABASE_URL: must be a postgres:// or postgresql:// connection URL',
    ]);
    expect(problems({ DATABASE_URL: 'mysql://x/y', PORT: 'x', SANDBOX_HOST: 'ignored here' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: required/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required/),
      'DATABASE_URL: must be a postgres:// or postgresql:// connection URL',
      'PORT: must be a port number from 1 to 65535',
    ]);
  });

  it('names a malformed credential once, as malformed, not also as missing', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 'not hex' })).toEqual([
      'SLACK_BOT_TOKEN: must be a bot token starting with xoxb-',
      'SLACK_SIGNING_SECRET: must be the hex Signing Secret from Basic Information',
    ]);
    // A malformed app token still means Socket Mode was meant: no signing secret is asked for.
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-wrong-kind' })).toEqual([
      'SLACK_APP_TOKEN: must be an app-level token starting with xapp-',
    ]);
  });

  it('says what a port must be, whatever is wrong with it', () => {
    for (const port of ['-1', '70000', '80.5', 'eighty']) {
      expect([port, problems({ ...valid, PORT: port })]).toEqual([
        port,
        ['PORT: must be a port number from 1 to 65535'],
      ]);
    }
  });

  it('treats blank variables as unset', () => {
    const config = loadConfig({ ...valid, DATABASE_URL: '  ', PORT: '' });
    expect(config.database.kind).toBe('embedded');
    expect(config.port).toBe(3000);
  });

  describe('OAuth mode', () => {
    const oauth = {
      SLACK_CLIENT_ID: '1234567890.9876543210',
      SLACK_CLIENT_SECRET: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6',
      SLACK_STATE_SECRET: 'a-long-random-state-secret-of-40-characters',
      CONCERT_ENCRYPTION_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
      SLACK_SIGNING_SECRET: valid.SLACK_SIGNING_SECRET,
    };

    it('reads the client, the state secret and the key, with no bot token of its own', () => {
      const config = loadConfig(oauth);
      expect(config.slack.botToken).toBeUndefined();
      expect(config.slack.oauth).toMatchObject({
        clientId: oauth.SLACK_CLIENT_ID,
        clientSecret: oauth.SLACK_CLIENT_SECRET,
        stateSecret: oauth.SLACK_STATE_SECRET,
      });
      expect(config.slack.oauth?.encryptionKey).toEqual(Buffer.from(oauth.CONCERT_ENCRYPTION_KEY, 'hex'));
      // The key in base64 is the same key.
      const base64 = Buffer.from(oauth.CONCERT_ENCRYPTION_KEY, 'hex').toString('base64');
      expect(loadConfig({ ...oauth, CONCERT_ENCRYPTION_KEY: base64 }).slack.oauth?.encryptionKey).toEqual(
        config.slack.oauth?.encryptionKey,
      );
      expect(loadConfig(valid).slack.oauth).toBeUndefined();
    });

    it('allows public records, each workspace at its own address', () => {
      expect(loadConfig({ ...oauth, PUBLIC_RECORDS: 'true' }).publicRecords).toBe(true);
    });

    it('refuses a bot token beside the OAuth variables, in one line', () => {
      expect(problems({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
        'SLACK_BOT_TOKEN: must not be set with SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: choose the single-token mode (SLACK_BOT_TOKEN) or OAuth mode (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET), not both',
      ]);
    });

    it('names every missing or malformed OAuth variable at once', () => {
      expect(
        problems({
          SLACK_CLIENT_ID: oauth.SLACK_CLIENT_ID,
          SLACK_SIGNING_SECRET: oauth.SLACK_SIGNING_SECRET,
        }),
      ).toEqual([
        'SLACK_CLIENT_SECRET: required in OAuth mode, with SLACK_CLIENT_ID',
        'SLACK_STATE_SECRET: required in OAuth mode, with SLACK_CLIENT_ID',
        expect.stringMatching(/^CONCERT_ENCRYPTION_KEY: required in OAuth mode; must be 32 random bytes/),
      ]);
      expect(
        problems({
          ...oauth,
          SLACK_CLIENT_ID: 'abc',
          SLACK_STATE_SECRET: 'short',
          CONCERT_ENCRYPTION_KEY: 'abcd',
        }),
      ).toEqual([
        'SLACK_CLIENT_ID: must be the Client ID from Basic Information, such as 1234567890.1234567890',
        'SLACK_STATE_SECRET: must be a random secret of at least 32 characters (openssl rand -hex 32)',
        expect.stringMatching(/^CONCERT_ENCRYPTION_KEY: must be 32 random bytes/),
      ]);
    });
  });

  it('keeps the sandbox to this computer unless SANDBOX_HOST says otherwise', () => {
    expect(loadSandboxConfig({})).toEqual({
      host: '127.0.0.1',
      dataDir: './.concert-sandbox',
      appDataDir: './.concert',
    });
    expect(loadSandboxConfig({ SANDBOX_HOST: '0.0.0.0', CONCERT_SANDBOX_DIR: '/tmp/s' })).toMatchObject({
      host: '0.0.0.0',
      dataDir: '/tmp/s',
    });
    expect(loadSandboxConfig({ SANDBOX_HOST: '::' }).host).toBe('::');
    expect(loadSandboxConfig({ SANDBOX_HOST: 'laptop.local' }).host).toBe('laptop.local');
    expect(() => loadSandboxConfig({ SANDBOX_HOST: 'http://0.0.0.0:3000' })).toThrow(
      'SANDBOX_HOST: must be a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0',
    );
  });
});
