import { sql } from 'kysely';
import type { Db } from './database.js';
import type { Proposal } from './schema.js';
import { ofInstalledWorkspace } from './workspaces.js';

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

/**
 * Work groups' own votes that reached consensus on ending their partnership, closed since `since`, whose
 * Core proposal could not open at the close (`effect_error` kept) and has not opened since: oldest first, at
 * most `limit`, in workspaces that have not uninstalled Concert.
 */
export async function listStalledGroupDecisions(db: Db, since: Date, limit: number): Promise<Proposal[]> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('kind', '=', 'end_work_group')
    .where('stage', '=', 'group')
    .where('outcome', '=', 'consensus')
    .where('effect_applied_at', 'is', null)
    .where('effect_error', 'is not', null)
    .where('closed_at', '>=', since)
    .where(ofInstalledWorkspace('proposals'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('proposals as core')
            .select('core.id')
            .whereRef('core.team_id', '=', 'proposals.team_id')
            .whereRef('core.group_decision_id', '=', 'proposals.id'),
        ),
      ),
    )
    .orderBy('closed_at')
    .limit(limit)
    .execute();
}
