import { InsertQueryNode, type KyselyPlugin, sql, UpdateQueryNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEmbedded } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { fireSlot } from '../harness/scheduler.js';

// A check-ins tick looks for reports still to post only in the rounds not yet marked as having them all
// queued. The mark must never hide a report: a late answer unmarks its round in its own transaction, so a
// report whose queueing failed (or whose process stopped right after the answer) is still posted by a tick.

const OPENS = new Date('2026-11-30T15:00:00Z');
const CLOSES = new Date('2026-12-02T15:00:00Z');

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
  t.clock.set('2026-11-24T15:00:00Z');
});
afterAll(() => t.stop());

const round = () => t.db.selectFrom('checkin_rounds').select(['id', 'reports_queued_at']).executeTakeFirst();
const thread = () => {
  const parent = t.fake.messages(CHANNELS.food).find((m) => m.text.startsWith('Check-in · Food Access'));
  return t.fake
    .messages(CHANNELS.food)
    .filter((m) => parent && m.thread_ts === parent.ts)
    .map((m) => m.text);
};

/** `user` checks in late through `app`, on track with `intention`: the form's answer. */
async function lateAnswer(app: TestApp, user: string, intention: string) {
  await app.slack.clickButton(user, 'Check in late', { in: 'message' });
  const late = app.slack.modal(user);
  late.fill('Intention', intention).radio('Progress toward the intention', '🟢 On track');
  return late.submit(user);
}

/** Every insert into the outbox fails on the instance given this plugin, as a lost connection would. */
const outboxRefused: KyselyPlugin = {
  transformQuery({ node }) {
    if (InsertQueryNode.is(node) && node.into?.table.identifier.name === 'outbox')
      throw new Error('the outbox cannot be written');
    return node;
  },
  transformResult: async ({ result }) => result,
};

describe('the reports of a closed round', () => {
  it('are all posted at the close, and the round is marked so that later ticks do not read it', async () => {
    await fireSlot(t, 'checkins', OPENS);
    t.clock.set('2026-11-30T16:00:00Z');
    await t.slack.clickButton(PEOPLE.fay, 'Start check-in', { in: 'message' });
    const form = t.slack.modal(PEOPLE.fay);
    form
      .fill('Intention', 'Get the pantry schedule out')
      .radio('Progress toward the intention', '🟢 On track');
    expect((await form.submit(PEOPLE.fay)).body).toBe('');
    await t.settled();
    expect((await round())?.reports_queued_at).toBeNull();

    await fireSlot(t, 'checkins', CLOSES);
    await fireSlot(t, 'checkins', new Date(CLOSES.getTime() + 5 * 60_000));
    await t.settled();
    expect(thread()).toEqual([`Check-in from <@${PEOPLE.fay}>: 🟢 On track`]);
    const marked = (await round())?.reports_queued_at;
    expect(marked).toBeInstanceOf(Date);
    await fireSlot(t, 'checkins', new Date(CLOSES.getTime() + 10 * 60_000));
    expect((await round())?.reports_queued_at).toEqual(marked);
  });

  it('take a late answer whose report could not be queued at once: the next tick posts it, once', async () => {
    t.clock.set('2026-12-03T15:00:00Z');
    const other = await startTestApp({ db: t.db.withPlugin(outboxRefused), fake: t.fake, clock: t.clock });
    try {
      expect((await lateAnswer(other, PEOPLE.cora, 'Find a venue')).body).toBe('');
      await other.settled();
    } finally {
      await other.stop();
    }
    const cora = await t.db.selectFrom('checkins').selectAll().where('user_id', '=', PEOPLE.cora).execute();
    expect(cora).toMatchObject([{ status: 'answered', late: true }]);
    expect(thread()).toEqual([`Check-in from <@${PEOPLE.fay}>: 🟢 On track`]);
    expect((await round())?.reports_queued_at).toBeNull();

    await fireSlot(t, 'checkins', new Date('2026-12-03T15:05:00Z'));
    await fireSlot(t, 'checkins', new Date('2026-12-03T15:10:00Z'));
    await fireSlot(t, 'checkins', new Date('2026-12-03T15:15:00Z'));
    await t.settled();
    expect(thread()).toEqual([
      `Check-in from <@${PEOPLE.fay}>: 🟢 On track`,
      `Check-in from <@${PEOPLE.cora}>: 🟢 On track`,
    ]);
    expect((await round())?.reports_queued_at).not.toBeNull();
    expect(t.fake.rejections).toEqual([]);
  });

  it('take a late answer committed while a tick marks the round from an older reading: its report is still posted, once', async () => {
    t.clock.set('2026-12-03T16:00:00Z');
    // The round as it is between its summary's posting and the tick after: not marked yet.
    await t.db.updateTable('checkin_rounds').set({ reports_queued_at: null }).execute();
    // Finn's late answer stops in its transaction right after unmarking the round (its row locked), and its
    // report cannot be queued afterwards; meanwhile a tick reads the round, with nothing to post, and marks it.
    let reached!: () => void;
    const atReopen = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reopens = new WeakSet<object>();
    const pausedAtReopen: KyselyPlugin = {
      transformQuery({ node, queryId }) {
        if (UpdateQueryNode.is(node) && JSON.stringify(node).includes('reports_queued_at'))
          reopens.add(queryId);
        return node;
      },
      async transformResult({ result, queryId }) {
        if (reopens.has(queryId)) {
          reached();
          await released;
        }
        return result;
      },
    };
    const other = await startTestApp({
      db: t.db.withPlugin(pausedAtReopen).withPlugin(outboxRefused),
      fake: t.fake,
      clock: t.clock,
    });
    try {
      const answering = lateAnswer(other, PEOPLE.finn, 'Call the food bank');
      await atReopen;
      const tick = fireSlot(t, 'checkins', new Date('2026-12-03T16:05:00Z'));
      // On a server, the tick's statement has read the round and waits for the answer's lock on it; the
      // embedded database runs one transaction at a time, so there the tick simply comes after the answer.
      if (!isEmbedded(t.db))
        await expect
          .poll(async () => {
            const { rows } = await sql<{ n: number }>`
              select count(*)::int as n from pg_stat_activity
              where wait_event_type = 'Lock' and query like '%reports_queued_at%'`.execute(t.db);
            return rows[0]?.n;
          })
          .toBe(1);
      release();
      expect((await answering).body).toBe('');
      await tick;
      await other.settled();
    } finally {
      release();
      await other.stop();
    }
    await fireSlot(t, 'checkins', new Date('2026-12-03T16:10:00Z'));
    await fireSlot(t, 'checkins', new Date('2026-12-03T16:15:00Z'));
    await t.settled();
    expect(thread()).toEqual([
      `Check-in from <@${PEOPLE.fay}>: 🟢 On track`,
      `Check-in from <@${PEOPLE.cora}>: 🟢 On track`,
      `Check-in from <@${PEOPLE.finn}>: 🟢 On track`,
    ]);
  });
});
