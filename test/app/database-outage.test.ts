import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDelivery } from '../../src/db/slack-deliveries.js';
import { EventJournal } from '../../src/slack/event-journal.js';
import { SIGNING_SECRET, startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, recordedMembers, startCoalition } from '../harness/coalition.js';
import { createTestDatabase, onRealPostgres, type TestDatabase } from '../harness/database.js';
import { type Answer, SlackDriver } from '../harness/driver.js';
import { type DatabaseFault, faultyDatabase } from './database-fault.js';

/** How long the database is stopped, and how often a wave of requests arrives meanwhile. */
const OUTAGE_MS = Number(process.env.OUTAGE_SECONDS ?? 30) * 1_000;
const WAVE_EVERY_MS = 3_000;

let database: TestDatabase;
let fault: DatabaseFault;
let t: TestApp;
/** Answers as Slack gets them: without waiting for the work that follows an answer. */
let slack: SlackDriver;

beforeAll(async () => {
  database = await createTestDatabase();
  fault = await faultyDatabase(database);
  t = await startCoalition({ db: fault.db });
  slack = new SlackDriver({ appUrl: t.url, signingSecret: SIGNING_SECRET, fake: t.fake, teamId: TEAM_ID });
  await commitStep(t, PEOPLE.fay, 'Call the food bank', '2026-12-15');
  await t.settled();
});
afterAll(async () => {
  await t.stop();
  await fault.close();
  await database.destroy();
});

interface Sent {
  what: 'command' | 'click' | 'event';
  status: number;
  ms: number;
  answer: Answer;
}

async function timed(what: Sent['what'], send: () => Promise<Answer>): Promise<Sent> {
  const started = performance.now();
  const answer = await send();
  return { what, status: answer.status, ms: performance.now() - started, answer };
}

let newcomers = 0;
/** One of each: a command and a click a person waits on, a join and a leave Concert must record. */
async function wave(): Promise<{ sent: Sent[]; joined: string; left: string }> {
  const joined = `UNEW${String(++newcomers).padStart(3, '0')}`;
  t.fake.addUser({
    id: joined,
    name: joined.toLowerCase(),
    realName: `New ${newcomers}`,
    tz: 'America/New_York',
  });
  t.fake.setMembers(CHANNELS.food, [...t.fake.channelMembers(CHANNELS.food), joined]);
  // Someone who joined in an earlier wave leaves again, so leaving is tried too.
  const left = newcomers > 1 ? `UNEW${String(newcomers - 1).padStart(3, '0')}` : PEOPLE.finn;
  t.fake.setMembers(
    CHANNELS.food,
    t.fake.channelMembers(CHANNELS.food).filter((m) => m !== left),
  );
  const sent = await Promise.all([
    timed('command', () => slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food })),
    timed('command', () => slack.command(PEOPLE.hal, '/concert', 'help')),
    timed('click', () => slack.clickButton(PEOPLE.fay, 'Done')),
    timed('event', () =>
      slack.event({ type: 'member_joined_channel', user: joined, channel: CHANNELS.food, team: TEAM_ID }),
    ),
    timed('event', () =>
      slack.event({ type: 'member_left_channel', user: left, channel: CHANNELS.food, team: TEAM_ID }),
    ),
  ]);
  return { sent, joined, left };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a database outage while requests arrive', () => {
  it('answers every request within 3 s, tells people to try again, and applies every event afterwards', async () => {
    const sent: Sent[] = [];
    let expected = await recordedMembers(t, CHANNELS.food);
    const record = (result: Awaited<ReturnType<typeof wave>>) => {
      sent.push(...result.sent);
      expected = [...expected.filter((m) => m !== result.left), result.joined].sort();
    };

    await fault.stop();
    const until = performance.now() + OUTAGE_MS;
    while (performance.now() < until) {
      const started = performance.now();
      record(await wave());
      await pause(Math.max(0, WAVE_EVERY_MS - (performance.now() - started)));
    }
    // Kept events are applied in the order they came, whatever their IDs: a join, then the same person leaving.
    t.fake.addUser({ id: 'UORDER', name: 'order', realName: 'Or Der', tz: 'America/New_York' });
    const order = (type: string, eventId: string) =>
      timed('event', () =>
        slack.event({ type, user: 'UORDER', channel: CHANNELS.food, team: TEAM_ID }, { eventId }),
      );
    sent.push(await order('member_joined_channel', 'EvZZZORDER'));
    sent.push(await order('member_left_channel', 'EvAAAORDER'));
    // A database that takes connections but never answers: only the receiver's own deadline answers then.
    await fault.hang();
    record(await wave());
    await fault.start();
    await t.settled();

    const people = sent.filter((s) => s.what !== 'event');
    const summary = {
      requests: sent.length,
      unanswered: sent.filter((s) => s.status === 0).length,
      notOk: sent.filter((s) => s.status !== 200).length,
      slow: sent.filter((s) => s.ms > 3_000).length,
    };
    console.log(JSON.stringify({ outageMs: OUTAGE_MS, onRealPostgres, ...summary }));
    const odd = sent.filter((s) => s.status !== 200 || s.ms > 3_000);
    expect(
      odd.map((s) => ({ what: s.what, status: s.status, ms: Math.round(s.ms), body: s.answer.body })),
    ).toEqual([]);
    expect(summary).toEqual({ requests: sent.length, unanswered: 0, notOk: 0, slow: 0 });

    // Everyone waiting was told, in words, that it did not happen and to try again.
    for (const command of people.filter((s) => s.what === 'command'))
      expect(command.answer.body.text).toMatch(/try again/);
    const clicks = people.filter((s) => s.what === 'click').length;
    const told = t.fake.ephemerals(PEOPLE.fay).filter((e) => /try again/.test(e.text)).length;
    expect(told).toBeGreaterThanOrEqual(clicks);

    // Every acknowledged membership event is applied once the database is back, and none is left over.
    await t.concert.replayEvents();
    await t.settled();
    expect(await recordedMembers(t, CHANNELS.food)).toEqual(expected);
    expect((await readdir(t.eventJournalDir)).filter((f) => f.endsWith('.json'))).toEqual([]);

    // And the app works as before.
    const help = await t.slack.command(PEOPLE.hal, '/concert', 'help');
    expect(help.body.text).toContain('/concert setup');
  });
});

describe('an event that cannot be kept', () => {
  it('is not acknowledged, so Slack delivers it again', async () => {
    // A directory that cannot be made: its parent is a file.
    const other = await startTestApp({ eventJournalDir: '/dev/null/events' });
    try {
      const answer = await other.slack.event(
        { type: 'member_joined_channel', user: PEOPLE.hal, channel: CHANNELS.food, team: TEAM_ID },
        { eventId: 'EvNOTKEPT' },
      );
      expect(answer.status).toBe(503);
      const seen = await other.db.selectFrom('slack_deliveries').select('delivery_key').execute();
      expect(seen.map((r) => r.delivery_key)).not.toContain('event:EvNOTKEPT');
    } finally {
      await other.stop();
    }
  });
});

describe('an event kept while its delivery record could not be removed', () => {
  it('is applied when the journal is replayed', async () => {
    // The database failed after the delivery was recorded and before the failed handling could remove the
    // record: Slack's retry would be dropped as a redelivery, but the journal still holds the event.
    t.fake.addUser({ id: 'UKEPT', name: 'kept', realName: 'Kept Event', tz: 'America/New_York' });
    t.fake.setMembers(CHANNELS.food, [...t.fake.channelMembers(CHANNELS.food), 'UKEPT']);
    await recordDelivery(t.db, TEAM_ID, 'event:EvKEPTRECORDED', new Date());
    const body = {
      token: 'legacy-verification-token',
      team_id: TEAM_ID,
      api_app_id: 'A0001',
      event: {
        type: 'member_joined_channel',
        user: 'UKEPT',
        channel: CHANNELS.food,
        team: TEAM_ID,
        event_ts: `${Date.now() / 1000}`,
      },
      type: 'event_callback',
      event_id: 'EvKEPTRECORDED',
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM_ID, user_id: t.fake.botUserId, is_bot: true }],
    };
    await new EventJournal(t.eventJournalDir).keep({
      body,
      retryNum: undefined,
      retryReason: undefined,
      attempts: 1,
      receivedAt: Date.now(),
      sequence: 0,
    });
    expect(await t.concert.replayEvents()).toBe(1);
    await t.settled();
    expect(await recordedMembers(t, CHANNELS.food)).toContain('UKEPT');
    expect((await readdir(t.eventJournalDir)).filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
