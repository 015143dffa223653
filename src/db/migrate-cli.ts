import { ConfigError, loadConfig } from '../config.js';
import { DatabaseUnavailableError, openDatabase } from './database.js';
import { migrateDown, migrateToLatest } from './migrate.js';

/** `npm run migrate` applies pending migrations; `npm run migrate -- down` reverts the latest one. */
async function run(): Promise<void> {
  // Only the database settings matter here; Slack credentials are not needed to migrate.
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-migrate',
    SLACK_APP_TOKEN: 'xapp-migrate',
    ...process.env,
  });
  const db = await openDatabase(config.database);
  try {
    const down = process.argv.includes('down');
    const names = down ? await migrateDown(db) : await migrateToLatest(db);
    const verb = down ? 'Reverted' : 'Applied';
    process.stdout.write(names.length > 0 ? `${verb}: ${names.join(', ')}\n` : 'Already up to date.\n');
  } finally {
    await db.destroy();
  }
}

run().catch((error: unknown) => {
  if (error instanceof ConfigError) for (const p of error.problems) process.stderr.write(`${p}\n`);
  else process.stderr.write(`${error instanceof DatabaseUnavailableError ? error.message : String(error)}\n`);
  process.exit(1);
});
