import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { embeddedDatabase, openPGlite, postgresDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Embedded runs: a migrated PGlite data directory, dumped once, loaded by each test file. */
    pgliteTemplate: string;
    /** Server runs: the migrated template database each test file's database is copied from. */
    postgresTemplate: string;
  }
}

/** Migrates one template database before any test file runs; each file then starts from a copy of it. */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = `concert_template_${randomUUID().slice(0, 8)}`;
    const admin = postgresDatabase(serverUrl, 1);
    await sql`create database ${sql.id(template)}`.execute(admin);
    const url = new URL(serverUrl);
    url.pathname = `/${template}`;
    const db = postgresDatabase(url.toString(), 1);
    await migrateToLatest(db);
    await db.destroy();
    project.provide('postgresTemplate', template);
    project.provide('pgliteTemplate', '');
    return async () => {
      await sql`drop database if exists ${sql.id(template)} with (force)`.execute(admin);
      await admin.destroy();
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'concert-test-'));
  const pglite = await openPGlite(undefined);
  const db = embeddedDatabase(pglite);
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('none');
  const file = path.join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  project.provide('pgliteTemplate', file);
  project.provide('postgresTemplate', '');
  return () => rmSync(dir, { recursive: true, force: true });
}
