import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest, migrations } from '../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from './harness/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.destroy());

async function tables(): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(t.db);
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  it('lists every file in migrations/, in order', () => {
    const files = readdirSync(new URL('../migrations/', import.meta.url))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
    for (const name of files) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
  });

  it('gives every table a team_id, so workspaces can share one database', async () => {
    const names = await tables();
    expect(names).toEqual(
      expect.arrayContaining(['workspaces', 'people', 'work_groups', 'channel_members', 'scheduler_runs']),
    );
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'team_id'`.execute(t.db);
    // An OAuth state is made before any workspace is known, and holds nothing of one.
    expect(rows.map((r) => r.table_name).sort()).toEqual(names.filter((n) => n !== 'oauth_states'));
  });

  it('reverts every migration and applies them again', async () => {
    const count = Object.keys(migrations).length;
    for (let i = 0; i < count; i++) await migrateDown(t.db);
    expect(await tables()).toEqual([]);
    expect(await migrateToLatest(t.db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(t.db)).toEqual([]);
  });
});
