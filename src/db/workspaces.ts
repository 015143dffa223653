import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from './database.js';
import type { Workspace } from './schema.js';

export interface WorkspaceSettings {
  coreChannelId: string;
  backboneChannelId: string;
  defaultTz: string;
  workdayStartMinute: number;
  workdayEndMinute: number;
  workingDays: number[];
  nudgeRepeatDays: number;
  nudgeMaxOverdue: number;
  escalateAfterDays: number;
  consensusQuorum: string;
  standAsideLimit: string;
  digestWeekday: number;
  digestMinute: number;
  recordsShowVoters: boolean;
  /** Lowercase letters, digits and hyphens; null for no public page. */
  recordsAddress: string | null;
  /** The Enterprise Grid org the setup came from (its request says so); null outside Grid. */
  enterpriseId: string | null;
}

/** The workspace whose public records page is at this address, if one chose it. */
export async function findWorkspaceByRecordsAddress(db: Db, address: string): Promise<Workspace | undefined> {
  return db.selectFrom('workspaces').selectAll().where('records_address', '=', address).executeTakeFirst();
}

/** Whether another workspace than `teamId` has chosen this records address. */
export async function recordsAddressTaken(db: Db, teamId: string, address: string): Promise<boolean> {
  const row = await db
    .selectFrom('workspaces')
    .select('team_id')
    .where('records_address', '=', address)
    .where('team_id', '!=', teamId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findWorkspace(db: Db, teamId: string): Promise<Workspace | undefined> {
  return db.selectFrom('workspaces').selectAll().where('team_id', '=', teamId).executeTakeFirst();
}

/** Workspaces Concert works for: set up, and not uninstalled. */
export async function listSetUpWorkspaces(db: Db): Promise<Workspace[]> {
  return db
    .selectFrom('workspaces')
    .selectAll()
    .where('set_up_at', 'is not', null)
    .where('uninstalled_at', 'is', null)
    .orderBy('team_id')
    .execute();
}

export async function saveWorkspaceSettings(
  db: Db,
  teamId: string,
  settings: WorkspaceSettings,
  by: string,
  now: Date,
): Promise<Workspace> {
  const values = {
    core_channel_id: settings.coreChannelId,
    backbone_channel_id: settings.backboneChannelId,
    default_tz: settings.defaultTz,
    workday_start_minute: settings.workdayStartMinute,
    workday_end_minute: settings.workdayEndMinute,
    working_days: settings.workingDays,
    nudge_repeat_days: settings.nudgeRepeatDays,
    nudge_max_overdue: settings.nudgeMaxOverdue,
    escalate_after_days: settings.escalateAfterDays,
    consensus_quorum: settings.consensusQuorum,
    stand_aside_limit: settings.standAsideLimit,
    digest_weekday: settings.digestWeekday,
    digest_minute: settings.digestMinute,
    records_show_voters: settings.recordsShowVoters,
    records_address: settings.recordsAddress,
    enterprise_id: settings.enterpriseId,
    updated_at: now,
  };
  try {
    return await db
      .insertInto('workspaces')
      .values({ team_id: teamId, ...values, set_up_by: by, set_up_at: now, created_at: now })
      .onConflict((oc) => oc.column('team_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (
      code === '23505' &&
      (constraint === RECORDS_ADDRESS_INDEX || String(error).includes(RECORDS_ADDRESS_INDEX))
    )
      throw new RecordsAddressTaken();
    throw error;
  }
}

const RECORDS_ADDRESS_INDEX = 'workspaces_records_address';

/** Thrown by saveWorkspaceSettings when another workspace holds the records address (a unique index). */
export class RecordsAddressTaken extends Error {
  constructor() {
    super('another workspace has this records address');
  }
}

/** An agreed change of backbone: the coalition's backbone is now the people of this channel. */
export async function setBackboneChannel(
  db: Db,
  teamId: string,
  channelId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({ backbone_channel_id: channelId, updated_at: now })
    .where('team_id', '=', teamId)
    .execute();
}

/** Marks a workspace as having uninstalled Concert (or revoked its token); true when it was not marked yet. */
export async function markUninstalled(db: Db, teamId: string, reason: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('workspaces')
    .set({ uninstalled_at: now, uninstall_reason: reason })
    .where('team_id', '=', teamId)
    .where('uninstalled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An org-wide install came (back): every workspace of the org that had been marked uninstalled resumes. */
export async function markOrgInstalled(db: Db, enterpriseId: string): Promise<number> {
  const result = await db
    .updateTable('workspaces')
    .set({ uninstalled_at: null, uninstall_reason: null })
    .where('enterprise_id', '=', enterpriseId)
    .where('uninstalled_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The workspaces of an Enterprise Grid org that Concert knows (set up there). */
export async function workspacesOfOrg(db: Db, enterpriseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('workspaces')
    .select('team_id')
    .where('enterprise_id', '=', enterpriseId)
    .execute();
  return rows.map((r) => r.team_id);
}

/** Concert works in this workspace again (its token answers): sends resume. True when it was marked. */
export async function markInstalled(db: Db, teamId: string): Promise<boolean> {
  const result = await db
    .updateTable('workspaces')
    .set({ uninstalled_at: null, uninstall_reason: null })
    .where('team_id', '=', teamId)
    .where('uninstalled_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * A filter for rows of `table` (by its `team_id`) whose workspace has not uninstalled Concert: what such a
 * workspace had queued or scheduled waits until Concert works there again.
 */
export function ofInstalledWorkspace(table: 'outbox' | 'proposals'): Expression<SqlBool> {
  return sql<SqlBool>`not exists (
    select 1 from workspaces w
    where w.team_id = ${sql.ref(`${table}.team_id`)} and w.uninstalled_at is not null
  )`;
}
