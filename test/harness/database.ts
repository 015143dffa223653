import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { type Db, embeddedDatabase, openPGlite, postgresDatabase } from '../../src/db/database.js';

export interface TestDatabase {
  db: Db;
  /** Which database the tests run against: the real server when TEST_DATABASE_URL is set. */
  kind: 'embedded' | 'postgres';
  /** A connection URL to the same database, for a second app instance (server runs only). */
  url: string | undefined;
  destroy(): Promise<void>;
}

export const onRealPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** A fresh, migrated database of the test file's own, copied from the template global setup made. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const template = readFileSync(inject('pgliteTemplate'));
    const db = embeddedDatabase(await openPGlite(undefined, new Blob([template])));
    return { db, kind: 'embedded', url: undefined, destroy: () => db.destroy() };
  }
  const name = `concert_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = postgresDatabase(serverUrl, 1);
  // Copying a template fails while another copy holds it open for a moment; another try soon succeeds.
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`create database ${sql.id(name)} template ${sql.id(inject('postgresTemplate'))}`.execute(
        admin,
      );
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = postgresDatabase(url.toString());
  return {
    db,
    kind: 'postgres',
    url: url.toString(),
    async destroy() {
      await db.destroy();
      // Every pool on it is closed by now; a connection still saying goodbye gets a moment to finish.
      for (let attempt = 1; ; attempt++) {
        try {
          await sql`drop database if exists ${sql.id(name)}`.execute(admin);
          break;
        } catch (error) {
          if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
      await admin.destroy();
    },
  };
}
