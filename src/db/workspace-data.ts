import { sql } from 'kysely';
import type { Db } from './database.js';
import { type Once, takeOnce } from './interaction-effects.js';
import type { Database } from './schema.js';

/**
 * Every table that holds a workspace's rows (by `team_id`), children before the parents their foreign keys
 * name, so that deleting in this order never trips a key. A test checks that every table with a `team_id`
 * column is listed here, so a new table cannot be left behind when a workspace's data is deleted.
 */
export const WORKSPACE_TABLES = [
  'indicator_value_events',
  'indicator_values',
  'indicator_changes',
  'indicator_groups',
  'indicators',
  'chart_files',
  'checkin_step_updates',
  'checkins',
  'checkin_rounds',
  'away_notices',
  'outbox',
  'action_step_events',
  'action_steps',
  'proposal_texts',
  'proposal_concerns',
  'proposal_extensions',
  'proposal_statements',
  'join_requests',
  'proposal_vote_events',
  'proposal_votes',
  'proposal_voters',
  'proposals',
  'channel_members',
  'channel_problems',
  'work_groups',
  'people',
  'slack_deliveries',
  'interaction_effects',
  'scheduler_runs',
  'send_pace',
  'workspaces',
] as const satisfies readonly (keyof Database)[];

/** Rows deleted, by table; tables with none are left out. */
export type DeletedRows = Partial<Record<(typeof WORKSPACE_TABLES)[number], number>>;

/**
 * Deletes every row of the workspace in one transaction, after locking its `workspaces` row so that a
 * deletion at the same moment waits and then finds nothing. The installation (its token, in OAuth mode) is
 * not touched: the app is still installed until the workspace removes it. Returns undefined, deleting
 * nothing, when:
 * - `uninstalledBefore` is given and the workspace is no longer marked uninstalled at or before then;
 * - `once` (the confirming form) was taken already: the same form submitted again. Taken here, it is the
 *   one row of the workspace kept, so that a repeat still finds it.
 */
export async function deleteWorkspaceRows(
  db: Db,
  teamId: string,
  options: { uninstalledBefore?: Date; once?: Once; now?: Date } = {},
): Promise<DeletedRows | undefined> {
  return db.transaction().execute(async (tx) => {
    const workspace = await tx
      .selectFrom('workspaces')
      .select('uninstalled_at')
      .where('team_id', '=', teamId)
      .forUpdate()
      .executeTakeFirst();
    const { uninstalledBefore: before, once } = options;
    // Installed again since it was found (or deleted already): kept.
    if (before && !(workspace?.uninstalled_at && workspace.uninstalled_at <= before)) return undefined;
    if (once && !(await takeOnce(tx, once, options.now ?? new Date()))) return undefined;
    const deleted: DeletedRows = {};
    for (const table of WORKSPACE_TABLES) {
      let query = tx.deleteFrom(table).where('team_id', '=', teamId);
      if (once && table === 'interaction_effects') query = query.where('interaction_key', '!=', once.key);
      const count = Number((await query.executeTakeFirst()).numDeletedRows);
      if (count > 0) deleted[table] = count;
    }
    return deleted;
  });
}

/** Workspaces whose app was uninstalled (or token revoked) at or before `before`, oldest first. */
export async function uninstalledBefore(db: Db, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('workspaces')
    .select('team_id')
    .where('uninstalled_at', '<=', before)
    .orderBy('uninstalled_at')
    .execute();
  return rows.map((r) => r.team_id);
}

/** The tables of the public schema that have a `team_id` column (for the test that WORKSPACE_TABLES is whole). */
export async function tablesWithTeamId(db: Db): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where table_schema = current_schema() and column_name = 'team_id'
    order by table_name`.execute(db);
  return rows.rows.map((r) => r.table_name);
}
