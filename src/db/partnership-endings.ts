import { sql } from 'kysely';
import type { Db } from './database.js';
import type { Proposal } from './schema.js';

/** The Core's proposal opened from a work group's own decision (`groupDecisionId`), if it was. */
export async function findProposalFromGroup(
  db: Db,
  teamId: string,
  groupDecisionId: number,
): Promise<Proposal | undefined> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('group_decision_id', '=', groupDecisionId)
    .executeTakeFirst();
}

/** The open vote (the group's own, or the Core's after it) on ending this work group's partnership, if any. */
export async function findOpenEnding(
  db: Db,
  teamId: string,
  workGroupId: number,
): Promise<Proposal | undefined> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('kind', '=', 'end_work_group')
    .where('status', '=', 'open')
    .where(sql<string>`payload->>'workGroupId'`, '=', String(workGroupId))
    .orderBy('id')
    .executeTakeFirst();
}
