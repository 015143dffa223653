/**
 * A process that sends what is due in the outbox until nothing is left, as an app instance's jobs would: for
 * tests that kill it (kill -9) mid-send. Its database is `WORKER_DATABASE_URL` (a server) or
 * `WORKER_DATA_DIR` (the embedded one); Slack is `WORKER_SLACK_URL`; its clock stands at `WORKER_NOW`.
 */
import { WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { type Db, embeddedDatabase, openPGlite, postgresDatabase } from '../../src/db/database.js';
import { deliverDue } from '../../src/services/delivery.js';
import { webSender } from '../../src/slack/web-sender.js';

const env = process.env;
const db: Db = env.WORKER_DATABASE_URL
  ? postgresDatabase(env.WORKER_DATABASE_URL, 2)
  : embeddedDatabase(await openPGlite(env.WORKER_DATA_DIR as string));
const sender = webSender(new WebClient('xoxb-worker', { slackApiUrl: env.WORKER_SLACK_URL as string }));
const now = new Date(env.WORKER_NOW as string);
const log = pino({ level: 'silent' });
process.stdout.write('ready\n');
for (;;) {
  const result = await deliverDue(db, sender, async () => true, now, log, { limit: 100 });
  if (result.sent + result.retrying + result.failed + result.cancelled + result.skipped === 0) break;
}
await db.destroy();
process.stdout.write('done\n');
