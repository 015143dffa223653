import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStaleStatistics } from '../src/db/database.js';
import { createTestDatabase, type TestDatabase } from './harness/database.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  // On a server, autovacuum would analyze the table by itself at a moment of its choosing.
  await sql`alter table workspaces set (autovacuum_enabled = false)`.execute(t.db);
});
afterAll(() => t?.destroy());

async function addWorkspaces(from: number, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({ team_id: `T${from + i}` }));
  await t.db.insertInto('workspaces').values(rows).execute();
}

/** The number of rows the last ANALYZE counted in workspaces. */
async function recordedRows(): Promise<number> {
  const { rows } = await sql<{ reltuples: number }>`
    select reltuples from pg_class where relname = 'workspaces' and relkind = 'r'`.execute(t.db);
  return Number(rows[0]?.reltuples);
}

/**
 * The embedded database's statistics at start: only tables whose size moved since their last ANALYZE are
 * analyzed again, so a restart with nothing new costs no ANALYZE at all.
 */
describe('statistics at start', () => {
  it('analyzes only the migrations’ own records in a new database, and nothing at the next start', async () => {
    expect(await refreshStaleStatistics(t.db)).toEqual(['kysely_migration', 'kysely_migration_lock']);
    expect(await refreshStaleStatistics(t.db)).toEqual([]);
  });

  it('analyzes a table that has rows and no statistics, then leaves it while it keeps its size', async () => {
    await addWorkspaces(0, 2_000);
    expect(await refreshStaleStatistics(t.db)).toEqual(['workspaces']);
    expect(await recordedRows()).toBe(2_000);
    expect(await refreshStaleStatistics(t.db)).toEqual([]);
  });

  it('leaves a table that grew by less than a tenth, and analyzes it again once it grows by more', async () => {
    await addWorkspaces(2_000, 20);
    expect(await refreshStaleStatistics(t.db)).toEqual([]);
    await addWorkspaces(2_020, 1_000);
    expect(await refreshStaleStatistics(t.db)).toEqual(['workspaces']);
    expect(await recordedRows()).toBe(3_020);
  });
});
