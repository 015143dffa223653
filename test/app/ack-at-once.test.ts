import { Writable } from 'node:stream';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { SIGNING_SECRET, TEAM_ID, type TestApp } from '../harness/app.js';
import { commitStep, PEOPLE, startCoalition } from '../harness/coalition.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { SlackDriver } from '../harness/driver.js';

/**
 * The app's database behind a gate: while it is shut, every statement's result is held back, so none of the
 * app's work can go on, while Slack's requests still reach it.
 */
function databaseGate() {
  let shut = false;
  let release = () => {};
  let opened = Promise.resolve();
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => node,
    transformResult: async ({ result }) => {
      if (shut) await opened;
      return result;
    },
  };
  return {
    plugin,
    shut() {
      shut = true;
      opened = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    open() {
      shut = false;
      release();
    },
  };
}

let database: TestDatabase;
const gate = databaseGate();
const logLines: string[] = [];
let t: TestApp;
/** Answers as Slack gets them: without waiting for the work that follows an answer. */
let slack: SlackDriver;

beforeAll(async () => {
  database = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  t = await startCoalition({ db: database.db.withPlugin(gate.plugin), log: createLogger('info', sink) });
  slack = new SlackDriver({ appUrl: t.url, signingSecret: SIGNING_SECRET, fake: t.fake, teamId: TEAM_ID });
  await commitStep(t, PEOPLE.fay, 'Call the food bank', '2026-12-15');
  await t.settled();
});
afterAll(async () => {
  gate.open();
  await t.stop();
  await database.destroy();
});

/** The step's status, read past the gate. */
async function stepStatus(): Promise<string> {
  const step = await database.db
    .selectFrom('action_steps')
    .select('status')
    .where('title', '=', 'Call the food bank')
    .executeTakeFirstOrThrow();
  return step.status;
}

describe('a click', () => {
  it('is answered before any of its work, even the record of its delivery, which then runs once', async () => {
    gate.shut();
    const answer = await slack.clickButton(PEOPLE.fay, 'Done');
    // Slack has its answer while nothing of the click can have been done.
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    expect(await stepStatus()).toBe('open');
    gate.open();
    await t.settled();

    expect(await stepStatus()).toBe('done');
    const events = await database.db
      .selectFrom('action_step_events')
      .select('kind')
      .where('kind', '=', 'done')
      .execute();
    expect(events).toHaveLength(1);
    // The answer was no answer of the receiver's at Slack's deadline (which would have come as late, with
    // the click's work still held back), and the listener took the click.
    expect(logLines.filter((line) => /in time|no listener takes/.test(line))).toEqual([]);
  });
});
