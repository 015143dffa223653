import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Db, embeddedDatabase, openPGlite } from '../../src/db/database.js';
import { messageRow } from '../../src/db/outbox.js';
import { LEASE_MS } from '../../src/services/delivery.js';
import { TEAM_ID } from '../harness/app.js';
import { createTestDatabase, onRealPostgres, type TestDatabase } from '../harness/database.js';
import { FakeSlack } from '../harness/fake-slack.js';
import { type LossySlack, lossySlack, postsByOutboxKey, seeded } from '../harness/lossy-slack.js';

// kill -9 of a process while it sends 1,000 DMs from the outbox, at a random post (after Slack took it, its
// answer never read); a second process takes over once the lease has run out. On a PostgreSQL server, 20
// trials; on the embedded database, whose data directory one process holds at a time, 3.

const DMS = 1000;
const TRIALS = onRealPostgres ? 20 : 3;
const ROOT = path.resolve(import.meta.dirname, '../..');

let fake: FakeSlack;
let proxy: LossySlack;
let server: TestDatabase | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  fake = await FakeSlack.start();
  proxy = await lossySlack(fake);
  for (let i = 0; i < DMS; i++) fake.addUser({ id: `UCRASH${i}`, name: `crash${i}` });
  if (onRealPostgres) server = await createTestDatabase();
  else {
    dataDir = mkdtempSync(path.join(tmpdir(), 'concert-crash-'));
    const pglite = await openPGlite(dataDir, new Blob([readFileSync(inject('pgliteTemplate'))]));
    await embeddedDatabase(pglite).destroy();
  }
});
afterAll(async () => {
  await server?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await proxy.stop();
  await fake.stop();
});

/** The database as this process opens it, for a moment (the embedded one is the workers' in between). */
async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = server ? server.db : embeddedDatabase(await openPGlite(dataDir));
  try {
    return await work(db);
  } finally {
    if (!server) await db.destroy();
  }
}

function worker(now: Date): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'test/harness/outbox-worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      WORKER_SLACK_URL: proxy.url,
      WORKER_NOW: now.toISOString(),
      ...(server ? { WORKER_DATABASE_URL: server.url } : { WORKER_DATA_DIR: dataDir }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe(`kill -9 while 1,000 DMs go out (${TRIALS} trials)`, () => {
  it(
    'loses none and posts none twice',
    async () => {
      const random = seeded(9);
      const results: { killedAt: number; lost: number; twice: number }[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        const kind = `crash_${trial}`;
        const start = new Date(Date.parse('2026-11-24T14:00:00Z') + trial * 86_400_000);
        await withDb(async (db) => {
          for (let from = 0; from < DMS; from += 250) {
            const rows = [];
            for (let i = from; i < Math.min(DMS, from + 250); i++)
              rows.push(
                messageRow(
                  TEAM_ID,
                  kind,
                  String(i),
                  `UCRASH${i}`,
                  { text: `${kind} ${i}`, blocks: [] },
                  start,
                ),
              );
            await db.insertInto('outbox').values(rows).execute();
          }
        });
        // The first process dies at a random post: Slack has it, the process never hears so.
        const killAt = 1 + Math.floor(random() * (DMS - 1));
        let posts = 0;
        const first = worker(start);
        proxy.rule = (method) => {
          if (method === 'chat.postMessage' && ++posts === killAt) {
            setTimeout(() => first.kill('SIGKILL'), Math.floor(random() * 3));
            return 'lose-answer';
          }
          return 'forward';
        };
        const stderr: Buffer[] = [];
        first.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
        const end = await exited(first);
        expect(end.signal, Buffer.concat(stderr).toString()).toBe('SIGKILL');
        proxy.rule = () => 'forward';
        // Another process, once the dead one's lease has run out.
        const second = worker(new Date(start.getTime() + LEASE_MS + 60_000));
        const secondErr: Buffer[] = [];
        second.stderr?.on('data', (chunk: Buffer) => secondErr.push(chunk));
        expect(await exited(second), Buffer.concat(secondErr).toString()).toEqual({ code: 0, signal: null });

        const rows = await withDb((db) =>
          db.selectFrom('outbox').selectAll().where('kind', '=', kind).execute(),
        );
        const held = postsByOutboxKey(
          fake,
          rows.map((r) => r.channel_id),
        );
        const lost = rows.filter((r) => (held.get(String(r.id)) ?? 0) === 0).length;
        const twice = rows.filter((r) => (held.get(String(r.id)) ?? 0) > 1).length;
        results.push({ killedAt: killAt, lost, twice });
        expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
      }
      console.log('kill -9 trials:', results);
      expect(results.reduce((sum, r) => sum + r.lost, 0)).toBe(0);
      expect(results.reduce((sum, r) => sum + r.twice, 0)).toBe(0);
    },
    30 * 60_000,
  );
});
