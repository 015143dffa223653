import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelMemberIds } from '../../src/db/channel-members.js';
import { CHANNELS, PEOPLE } from '../../src/sandbox/seed/index.js';
import { SANDBOX_TEAM_ID, SandboxWorkspace } from '../../src/sandbox/workspace.js';
import { startSandbox } from './browser.js';

// A jump of the sandbox's clock runs every minute on the way through the real app (a day is 1,440 ticks of
// the scheduled jobs, about 30 s on a quiet 2-core machine): the steps that jump get the time that takes.
vi.setConfig({ testTimeout: 150_000 });

// Monday 23 November 2026, 15:00 UTC: 07:00 in Los Angeles, before Priya's working day starts.
const START = new Date('2026-11-23T15:00:00Z');

let sandbox: Awaited<ReturnType<typeof startSandbox>>;

beforeAll(async () => {
  sandbox = await startSandbox(START);
}, 90_000);
afterAll(() => sandbox?.stop());

// biome-ignore lint/suspicious/noExplicitAny: the page API answers arbitrary JSON
async function post(path: string, body: object): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const workspace = () => sandbox.server.workspace!;

describe('the seeded coalition', () => {
  it('has three weeks of check-in rounds per group, with every way a member can answer', async () => {
    const { db } = workspace();
    const rounds = await db.selectFrom('checkin_rounds').select(['closed_at']).execute();
    expect(rounds.filter((r) => r.closed_at !== null)).toHaveLength(9);
    const statuses = await db.selectFrom('checkins').select('status').execute();
    expect(new Set(statuses.map((c) => c.status))).toEqual(
      new Set(['answered', 'skipped', 'missed', 'away']),
    );
    for (const channel of [CHANNELS.food, CHANNELS.housing, CHANNELS.youth]) {
      const summaries = workspace()
        .fake.messages(channel)
        .filter((m) => m.text.startsWith('Check-in ·'));
      expect(summaries).toHaveLength(3);
      // Each summary went out when its round closed, before the start, with the reports in its thread.
      for (const summary of summaries) expect(Number(summary.ts) * 1000).toBeLessThan(START.getTime());
      const replies = workspace()
        .fake.messages(channel)
        .filter((m) => summaries.some((s) => s.ts === m.thread_ts && m.ts !== s.ts));
      expect(replies.length).toBeGreaterThanOrEqual(4);
    }
  });

  it('has a proposal agreed, one blocked and one open, with their outcomes in the Core channel', async () => {
    const proposals = await workspace()
      .db.selectFrom('proposals')
      .select(['title', 'status', 'outcome'])
      .orderBy('id')
      .execute();
    expect(proposals.map((p) => [p.status, p.outcome])).toEqual([
      ['closed', 'consensus'],
      ['closed', 'blocked'],
      ['open', null],
    ]);
    const core = workspace()
      .fake.messages(CHANNELS.core)
      .map((m) => m.text);
    expect(core).toContain('Consensus reached: Adopt the shared data agreement');
    expect(core).toContain('Blocked: Move Core meetings to Wednesday evenings');
  });
});

/** Whether a TCP connection to `host:port` is taken. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** An address of this computer that other computers could use, when it has one. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && !a.internal && a.family === 'IPv4')?.address;

describe('the sandbox’s network', () => {
  it('listens on loopback only, for the page and for the app inside it', async () => {
    expect(sandbox.server.address.address).toBe('127.0.0.1');
    const appPort = Number(new URL(workspace().requests.appUrl).port);
    expect(await connects('127.0.0.1', appPort)).toBe(true);
    if (!lanAddress) return;
    expect(await connects(lanAddress, sandbox.server.address.port)).toBe(false);
    expect(await connects(lanAddress, appPort)).toBe(false);
  });
});

/** A request with every header under the test's control, as a browser on another site could send it. */
function raw(
  path: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    chunked?: boolean;
  },
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const { port } = new URL(sandbox.url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    // The server may answer and close before a refused body is all sent.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.chunked && options.body) {
      const body = Buffer.from(options.body);
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
      req.end();
    } else req.end(options.body);
  });
}

describe('what the page server takes', () => {
  const host = () => `127.0.0.1:${new URL(sandbox.url).port}`;
  const json = { 'content-type': 'application/json' };

  it('serves the page with a content security policy, and nothing as a sniffed type', async () => {
    const page = await raw('/', { headers: { host: host() } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("object-src 'none'");
    expect(page.headers['content-security-policy']).toContain("base-uri 'none'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const state = await raw('/api/state', { headers: { host: host() } });
    expect(state.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers its own page under localhost, 127.0.0.1 and [::1]', async () => {
    const port = new URL(sandbox.url).port;
    for (const name of ['localhost', '127.0.0.1', '[::1]']) {
      const state = await raw('/api/state', { headers: { host: `${name}:${port}` } });
      expect(state.status).toBe(200);
    }
    const sent = await raw('/api/clock', {
      method: 'POST',
      headers: { host: `localhost:${port}`, origin: `http://localhost:${port}`, ...json },
      body: JSON.stringify({ minutes: 0 }),
    });
    // Through the guards to the page's own check of what it asked.
    expect(sent.status).toBe(400);
  });

  it('refuses a site whose name was pointed at this computer (DNS rebinding)', async () => {
    const port = new URL(sandbox.url).port;
    const state = await raw('/api/state', { headers: { host: `evil.example:${port}` } });
    expect(state.status).toBe(403);
    expect(JSON.parse(state.text)).toEqual({
      ok: false,
      error: 'The sandbox answers only its own page, at localhost.',
    });
    expect((await raw('/', { headers: { host: 'localhost:1' } })).status).toBe(403);
    expect((await raw('/api/events', { headers: { host: `rebound.evil.example:${port}` } })).status).toBe(
      403,
    );
  });

  it('refuses a post from another site’s page', async () => {
    const old = workspace();
    const reset = await raw('/api/reset', {
      method: 'POST',
      headers: { host: host(), origin: 'https://evil.example', ...json },
      body: '{}',
    });
    expect(reset.status).toBe(403);
    expect(JSON.parse(reset.text)).toEqual({ ok: false, error: 'The sandbox answers only its own page.' });
    const nullOrigin = await raw('/api/reset', {
      method: 'POST',
      headers: { host: host(), origin: 'null', ...json },
      body: '{}',
    });
    expect(nullOrigin.status).toBe(403);
    expect(workspace()).toBe(old);
  });

  it('takes JSON only, which no plain form or simple request can send', async () => {
    const old = workspace();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const sent = await raw('/api/send', {
        method: 'POST',
        headers: { host: host(), 'content-type': type },
        body: JSON.stringify({ user: PEOPLE.sam, channel: CHANNELS.food, text: 'From another site' }),
      });
      expect(sent.status).toBe(415);
    }
    expect((await raw('/api/reset', { method: 'POST', headers: { host: host() }, body: '{}' })).status).toBe(
      415,
    );
    expect(workspace()).toBe(old);
    expect(
      workspace()
        .fake.messages(CHANNELS.food)
        .map((m) => m.text),
    ).not.toContain('From another site');
  });

  it('refuses a body over 1 MB, announced or not', async () => {
    const big = JSON.stringify({ user: PEOPLE.sam, channel: CHANNELS.food, text: 'x'.repeat(1024 * 1024) });
    const announced = await raw('/api/send', {
      method: 'POST',
      headers: { host: host(), ...json, 'content-length': String(Buffer.byteLength(big)) },
      body: big,
    });
    expect(announced.status).toBe(413);
    const streamed = await raw('/api/send', {
      method: 'POST',
      headers: { host: host(), ...json },
      body: big,
      chunked: true,
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text)).toEqual({
      ok: false,
      error: 'The sandbox takes requests of up to 1 MB.',
    });
    // Still answering afterwards.
    expect((await raw('/api/state', { headers: { host: host() } })).status).toBe(200);
  });
});

describe('the sandbox page’s server', () => {
  it('runs the scheduled jobs at every slot a jump passes, with the clock at that slot', async () => {
    const before = workspace().fake.messages(PEOPLE.priya).length;
    const jumped = await post('/api/clock', { minutes: 24 * 60 });
    expect(jumped.body.now).toMatch(/^2026-11-24T15:0/);
    // 09:00 in Los Angeles on Monday is 17:00 UTC: the reminders went then, not at the end of the jump.
    const reminders = workspace()
      .fake.messages(PEOPLE.priya)
      .slice(before)
      .filter((m) => m.text.startsWith('A reminder:'));
    expect(reminders.map((m) => m.text.replace(/ \(.*$/, '')).sort()).toEqual([
      'A reminder: Call the two pantries that are missing is due tomorrow',
      'A reminder: Share the grocery map draft with Core is due tomorrow',
    ]);
    for (const reminder of reminders) {
      expect(new Date(Number(reminder.ts) * 1000).toISOString()).toBe('2026-11-23T17:00:00.000Z');
    }
  });

  it('jumps to the next check-in opening, from the groups’ schedules, with the prompts out', async () => {
    const response = await fetch(`${sandbox.url}/api/state?user=${PEOPLE.sam}`);
    const state = (await response.json()) as { jumps: Record<string, unknown> };
    // Tuesday 10:00 in Los Angeles, for Priya and Sam of Food Access; Lena in Berlin was asked this morning.
    expect(state.jumps.checkin).toEqual({
      at: '2026-11-24T18:00:00.000Z',
      what: 'Food Access’s check-in opens',
    });
    expect(state.jumps.proposal).toEqual({
      at: '2026-12-02T17:00:00.000Z',
      what: 'the vote on “Co-host a spring resource fair with the library” closes',
    });
    const before = workspace().fake.messages(PEOPLE.sam).length;
    const jumped = await post('/api/clock', { to: 'checkin' });
    expect(jumped.body.now).toMatch(/^2026-11-24T18:00/);
    const prompts = workspace().fake.messages(PEOPLE.sam).slice(before);
    expect(prompts.map((m) => m.text)).toContain('Time for the weekly check-in of Food Access.');
    expect((await post('/api/clock', { to: 'tomorrow' })).body).toEqual({
      ok: false,
      error: 'Jump to the next check-in or to a proposal’s close.',
    });
  });

  it('tells the app when someone joins a channel, as Slack does', async () => {
    const before = await channelMemberIds(workspace().db, SANDBOX_TEAM_ID, CHANNELS.youth);
    expect(before).not.toContain(PEOPLE.sam);
    expect((await post('/api/join', { user: PEOPLE.sam, channel: CHANNELS.youth })).status).toBe(200);
    expect(await channelMemberIds(workspace().db, SANDBOX_TEAM_ID, CHANNELS.youth)).toContain(PEOPLE.sam);
  });

  it('opens a form from a slash command, and closes it when the person closes it', async () => {
    await post('/api/send', { user: PEOPLE.sam, channel: CHANNELS.food, text: '/commit Book the van' });
    const [form] = workspace().fake.modalStack(PEOPLE.sam);
    expect(form?.view.title.text).toBe('New action step');
    const closed = await post('/api/close', { user: PEOPLE.sam, viewId: form?.id });
    // Concert's forms do not ask to hear of closing (notify_on_close), so Slack tells it nothing.
    expect(closed.body).toEqual({ ok: true, answer: null });
    expect(workspace().fake.modalStack(PEOPLE.sam)).toEqual([]);
  });

  it('shows the export’s CSV files in the DM, and serves each as a download', async () => {
    const answer = await post('/api/send', {
      user: PEOPLE.amara,
      channel: CHANNELS.backbone,
      text: '/concert export',
    });
    expect(answer.status).toBe(200);
    const dm = `D${PEOPLE.amara.slice(1)}`;
    const response = await fetch(`${sandbox.url}/api/state?user=${PEOPLE.amara}&conversation=${dm}`);
    const state = (await response.json()) as {
      messages: { text: string; files: { id: string; name: string }[] }[];
    };
    const shared = state.messages.at(-1)!;
    expect(shared.text).toBe(
      'The coalition’s records: action steps with their history, check-ins, decisions with votes, and the shared indicators’ values.',
    );
    // Named for the day on the sandbox clock, which earlier jumps moved on.
    const day = workspace().clock.now().toISOString().slice(0, 10);
    expect(shared.files.map((f) => f.name)).toEqual([
      `concert-action-steps-${day}.csv`,
      `concert-check-ins-${day}.csv`,
      `concert-decisions-${day}.csv`,
      `concert-indicators-${day}.csv`,
    ]);
    const download = await fetch(`${sandbox.url}/api/files/${shared.files[0]?.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="concert-action-steps-${day}.csv"; filename*=UTF-8''concert-action-steps-${day}.csv`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await download.text()).split('\r\n')[0]).toMatch(/^\uFEFF?step_id,title,details,/);
    expect((await fetch(`${sandbox.url}/api/files/F999999`)).status).toBe(404);
  });

  it('answers mistakes plainly and changes nothing', async () => {
    const unknown = await post('/api/send', { user: PEOPLE.sam, channel: CHANNELS.food, text: '/standup' });
    expect(unknown.status).toBe(200);
    expect(workspace().fake.ephemerals(PEOPLE.sam).at(-1)?.text).toMatch(/^\/standup is not a valid command/);
    const outsider = await post('/api/send', { user: PEOPLE.sam, channel: CHANNELS.housing, text: 'hello' });
    expect(outsider).toEqual({ status: 400, body: { ok: false, error: 'Join the channel to write in it.' } });
    const backwards = await post('/api/clock', { minutes: -60 });
    expect(backwards.status).toBe(400);
    const nobody = await post('/api/send', { user: 'UNOBODY', channel: CHANNELS.food, text: 'hi' });
    expect(nobody).toEqual({ status: 400, body: { ok: false, error: 'Choose who you are.' } });
  });

  it('starts over from the seeded coalition on Reset', async () => {
    await post('/api/send', { user: PEOPLE.sam, channel: CHANNELS.food, text: 'Something to forget' });
    expect(
      workspace()
        .fake.messages(CHANNELS.food)
        .map((m) => m.text),
    ).toContain('Something to forget');
    const old = workspace();
    expect((await post('/api/reset', {})).status).toBe(200);
    expect(workspace()).not.toBe(old);
    expect(
      workspace()
        .fake.messages(CHANNELS.food)
        .map((m) => m.text),
    ).not.toContain('Something to forget');
    expect(workspace().fake.messages(CHANNELS.food).length).toBeGreaterThan(0);
    expect(await channelMemberIds(workspace().db, SANDBOX_TEAM_ID, CHANNELS.youth)).not.toContain(PEOPLE.sam);
    expect(workspace().clock.now().getTime()).toBeLessThan(Date.parse('2026-11-23T16:00:00Z'));
  }, 60_000);
});

/** Every workspace started while `during` runs, each once its start has finished. */
async function workspacesStarted(during: () => Promise<void>): Promise<SandboxWorkspace[]> {
  const original = SandboxWorkspace.start;
  const starts: Promise<SandboxWorkspace>[] = [];
  const spy = vi.spyOn(SandboxWorkspace, 'start').mockImplementation((options) => {
    const started = original.call(SandboxWorkspace, options);
    starts.push(started);
    return started;
  });
  try {
    await during();
    return await Promise.all(starts);
  } finally {
    spy.mockRestore();
  }
}

/** Whether anything of a workspace still answers: its emulated Slack or the app. */
async function running(w: SandboxWorkspace): Promise<boolean> {
  const ports = [new URL(w.fake.url).port, new URL(w.requests.appUrl).port].map(Number);
  return (await Promise.all(ports.map((port) => connects('127.0.0.1', port)))).some(Boolean);
}

describe('resetting and stopping', () => {
  it('ends two Resets at once (two tabs) with one fresh coalition, the old one stopped', async () => {
    const old = workspace();
    let answers: { status: number }[] = [];
    const started = await workspacesStarted(async () => {
      answers = await Promise.all([post('/api/reset', {}), post('/api/reset', {})]);
    });
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(started).toHaveLength(1);
    expect(workspace()).toBe(started[0]);
    expect(await running(old)).toBe(false);
    expect(await running(workspace())).toBe(true);
    expect(workspace().fake.messages(CHANNELS.food).length).toBeGreaterThan(0);
  }, 90_000);

  it('leaves nothing running when stopped in the middle of a Reset', async () => {
    const old = workspace();
    const oldStop = old.stop.bind(old);
    let oldStopped!: () => void;
    const stoppedOld = new Promise<void>((resolve) => {
      oldStopped = resolve;
    });
    old.stop = async () => {
      await oldStop();
      oldStopped();
    };
    const started = await workspacesStarted(async () => {
      const resetting = post('/api/reset', {}).catch(() => undefined);
      await expect.poll(() => sandbox.server.workspace).toBeUndefined();
      await sandbox.server.stop();
      await resetting;
      await stoppedOld;
      // Whatever the reset would start next, it has asked for by now.
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(await running(old)).toBe(false);
    for (const w of started) expect(await running(w)).toBe(false);
    expect(sandbox.server.workspace).toBeUndefined();
  }, 90_000);
});
