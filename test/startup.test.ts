import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDatabase, openPGlite } from '../src/db/database.js';
import { findWorkspace } from '../src/db/workspaces.js';
import { OAUTH_TEST_CONFIG, SIGNING_SECRET, TEAM_ID } from './harness/app.js';
import { CHANNELS, PEOPLE, seedWorkspace } from './harness/coalition.js';
import { SlackDriver } from './harness/driver.js';
import { FakeSlack } from './harness/fake-slack.js';

const root = path.resolve(import.meta.dirname, '..');

interface Running {
  child: ChildProcess;
  stderr: string[];
  stdout: string[];
  exited: Promise<number | null>;
}

/** Runs the real entry point as `npm start` does, with exactly the given environment. */
function run(env: Record<string, string>, args: string[] = []): Running {
  const child = spawn(process.execPath, ['scripts/run.mjs', 'src/main.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', CONCERT_ENV_FILE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (d) => stdout.push(String(d)));
  child.stderr?.on('data', (d) => stderr.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout, stderr, exited };
}

/** Resolves with the port once the app logs that it is listening. */
async function listening(app: Running): Promise<number> {
  for (;;) {
    const port = /"port":(\d+)/.exec(app.stdout.join(''))?.[1];
    if (port) return Number(port);
    const code = await Promise.race([
      app.exited,
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 50)),
    ]);
    if (code !== 'waiting') throw new Error(`exited ${code}: ${app.stderr.join('')}${app.stdout.join('')}`);
  }
}

/** Resolves with the sandbox page's port once the sandbox says where to open it. */
async function sandboxPort(app: Running): Promise<number> {
  for (;;) {
    const port = /open http:\/\/localhost:(\d+)/.exec(app.stdout.join(''))?.[1];
    if (port) return Number(port);
    const code = await Promise.race([
      app.exited,
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 50)),
    ]);
    if (code !== 'waiting') throw new Error(`exited ${code}: ${app.stderr.join('')}${app.stdout.join('')}`);
  }
}

const slackEnv = {
  SLACK_BOT_TOKEN: 'xoxb-start-test',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  LOG_LEVEL: 'info',
};

/** A port another program holds until `release`. */
async function busyPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(0, resolve));
  const address = holder.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    release: () => new Promise((resolve) => holder.close(() => resolve())),
  };
}

describe('starting the app', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await FakeSlack.start();
  });
  afterAll(() => fake.stop());

  it('stops with a line naming a missing signing secret', async () => {
    const app = run({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(await app.exited).toBe(1);
    expect(app.stderr.join('')).toBe(
      'SLACK_SIGNING_SECRET: required in HTTP mode; the Signing Secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode)\n',
    );
  });

  it('stops with one line per bad variable', async () => {
    const app = run({ ...slackEnv, DATABASE_URL: 'mysql://x/y', PORT: 'x' });
    expect(await app.exited).toBe(1);
    expect(app.stderr.join('').trim().split('\n')).toEqual([
      'DATABASE_URL: must be a postgres:// or postgresql:// connection URL',
      'PORT: must be a port number from 1 to 65535',
    ]);
  });

  it('stops naming DATABASE_URL when the database cannot be reached', async () => {
    const app = run({
      ...slackEnv,
      SLACK_API_URL: fake.url,
      DATABASE_URL: 'postgres://concert@127.0.0.1:9/concert',
      PORT: '0',
    });
    expect(await app.exited).toBe(1);
    expect(app.stderr.join('')).toMatch(/^DATABASE_URL: cannot open the database \(.*ECONNREFUSED.*\)\n$/);
  });

  it('names an unreachable database, a refused token and a port in use, all in one start', async () => {
    const busy = await busyPort();
    try {
      fake.failNext('auth.test', { error: 'invalid_auth' });
      const app = run({
        ...slackEnv,
        SLACK_API_URL: fake.url,
        DATABASE_URL: 'postgres://concert@127.0.0.1:9/concert',
        PORT: String(busy.port),
      });
      expect(await app.exited).toBe(1);
      expect(app.stderr.join('').trim().split('\n')).toEqual([
        expect.stringMatching(/^DATABASE_URL: cannot open the database \(.*ECONNREFUSED.*\)$/),
        'SLACK_BOT_TOKEN: Slack refused it (invalid_auth); copy the Bot User OAuth Token again from OAuth & Permissions',
        `PORT: ${busy.port} is already in use by another program; set PORT to a free port`,
      ]);
    } finally {
      await busy.release();
    }
  });
});

describe('starting in OAuth mode', () => {
  let fake: FakeSlack;
  let dataDir: string;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    fake.enableOAuth(OAUTH_TEST_CONFIG.clientId, OAUTH_TEST_CONFIG.clientSecret);
    dataDir = mkdtempSync(path.join(tmpdir(), 'concert-oauth-start-'));
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks Slack for no token of its own, serves the Add to Slack page, and stops cleanly', async () => {
    const app = run({
      SLACK_CLIENT_ID: OAUTH_TEST_CONFIG.clientId,
      SLACK_CLIENT_SECRET: OAUTH_TEST_CONFIG.clientSecret,
      SLACK_STATE_SECRET: OAUTH_TEST_CONFIG.stateSecret,
      CONCERT_ENCRYPTION_KEY: OAUTH_TEST_CONFIG.encryptionKey.toString('hex'),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.url,
      CONCERT_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    const port = await listening(app);
    const page = await fetch(`http://127.0.0.1:${port}/slack/install`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Add to Slack');
    expect(fake.calls.map((c) => c.method)).toEqual([]);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.stdout.join('')).not.toContain(OAUTH_TEST_CONFIG.clientSecret);
  }, 120_000); // a real start of a fresh embedded database: slow on a loaded machine
});

describe('starting without Slack credentials', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'concert-sandbox-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the sandbox page, and stops cleanly on SIGTERM', async () => {
    const app = run({ PORT: '0', CONCERT_SANDBOX_DIR: dataDir });
    const port = await sandboxPort(app);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Concert sandbox</title>');
    await expect
      .poll(
        async () =>
          ((await (await fetch(`http://127.0.0.1:${port}/api/state`)).json()) as { ready: boolean }).ready,
        {
          timeout: 60_000,
        },
      )
      .toBe(true);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.stderr.join('')).toBe('');
  }, 90_000);

  it('still names each bad variable on its own line', async () => {
    const app = run({ DATABASE_URL: 'mysql://x/y', PORT: 'x' });
    expect(await app.exited).toBe(1);
    expect(app.stderr.join('').trim().split('\n')).toEqual([
      'DATABASE_URL: must be a postgres:// or postgresql:// connection URL',
      'PORT: must be a port number from 1 to 65535',
    ]);
  });

  it('refuses, in one line, a sandbox directory that holds someone else’s files', async () => {
    const notes = mkdtempSync(path.join(tmpdir(), 'concert-notes-'));
    try {
      writeFileSync(path.join(notes, 'notes.txt'), 'keep me');
      const app = run({ PORT: '0', CONCERT_SANDBOX_DIR: notes });
      expect(await app.exited).toBe(1);
      expect(app.stderr.join('')).toBe(
        `CONCERT_SANDBOX_DIR: ${notes} holds files that are not the sandbox’s, and the sandbox empties its directory at every start; name a new or empty directory (or delete this one, if an older sandbox left it)\n`,
      );
      expect(readFileSync(path.join(notes, 'notes.txt'), 'utf8')).toBe('keep me');
    } finally {
      rmSync(notes, { recursive: true, force: true });
    }
  });

  it('names a bad variable and a sandbox directory it may not empty in one start', async () => {
    const notes = mkdtempSync(path.join(tmpdir(), 'concert-notes-'));
    try {
      writeFileSync(path.join(notes, 'notes.txt'), 'keep me');
      const app = run({ PORT: 'x', SANDBOX_HOST: 'http://0.0.0.0', CONCERT_SANDBOX_DIR: notes });
      expect(await app.exited).toBe(1);
      expect(app.stderr.join('').trim().split('\n')).toEqual([
        'PORT: must be a port number from 1 to 65535',
        'SANDBOX_HOST: must be a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0',
        expect.stringMatching(/^CONCERT_SANDBOX_DIR: .* holds files that are not the sandbox’s/),
      ]);
    } finally {
      rmSync(notes, { recursive: true, force: true });
    }
  });

  it('refuses to open the sandbox beside real Slack credentials, in one line', async () => {
    const app = run({ ...slackEnv, CONCERT_SANDBOX_DIR: dataDir }, ['sandbox']);
    expect(await app.exited).toBe(1);
    expect(app.stderr.join('')).toBe(
      'SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET: set, so the sandbox will not start: it never runs beside a real Slack app (use npm start for that, or unset them to try the sandbox)\n',
    );
  });
});

describe('the embedded database', () => {
  let fake: FakeSlack;
  let dataDir: string;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    seedWorkspace(fake);
    dataDir = mkdtempSync(path.join(tmpdir(), 'concert-data-'));
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its data across a restart, and SIGTERM stops the app cleanly', async () => {
    const env = { ...slackEnv, SLACK_API_URL: fake.url, CONCERT_DATA_DIR: dataDir, PORT: '0' };
    const first = run(env);
    const port = await listening(first);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ ok: true, db: 'ok' });
    expect(fake.callsTo('auth.test')).toHaveLength(1);

    const slack = new SlackDriver({
      appUrl: `http://127.0.0.1:${port}`,
      signingSecret: SIGNING_SECRET,
      fake,
      teamId: TEAM_ID,
    });
    await slack.command(PEOPLE.admin, '/concert', 'setup');
    await expect.poll(() => fake.callsTo('views.open').length).toBe(1);
    const modal = slack.modal();
    modal.pick('Core channel', CHANNELS.core);
    modal.pick('Backbone channel', CHANNELS.backbone);
    expect((await modal.submit(PEOPLE.admin)).body).toBe('');
    await expect.poll(() => fake.messages(CHANNELS.backbone).length).toBe(1);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = run(env);
    await listening(second);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.stdout.join('')).toContain('"applied":[]');

    const db = embeddedDatabase(await openPGlite(dataDir));
    try {
      expect(await findWorkspace(db, 'T0001')).toMatchObject({
        core_channel_id: CHANNELS.core,
        backbone_channel_id: CHANNELS.backbone,
      });
    } finally {
      await db.destroy();
    }
  }, 120_000); // two real starts of a fresh embedded database: slow on a loaded machine
});
