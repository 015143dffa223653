import type { Db } from '../db/database.js';
import { decidedProposals, positionsOn } from '../db/exports.js';
import type { Position } from '../db/schema.js';
import { findWorkspaceByRecordsAddress } from '../db/workspaces.js';
import { localDate, timeZoneOf } from './time.js';

export interface PublicDecision {
  title: string;
  kind: string;
  /** consensus, blocked, no_quorum or no_consensus. */
  outcome: string;
  /** The day it closed, in the workspace's time zone. */
  decidedOn: string | null;
  tally: Record<Position, number>;
  /** Present only where the workspace has chosen to name the voters. */
  voters?: Record<Position, string[]>;
}

/**
 * The decision records the charter asks to be public (DESIGN.md, *Backbone digest*: "a read-only public
 * records page of decisions"): what was decided, when and by what tally. A withdrawn proposal is no
 * decision and is not shown. Nothing about people unless the workspace has chosen to name the voters; no
 * ids, no reasons, no details. With `teamId`, only that workspace's; without, every workspace's in the
 * database (the single-token mode's `/records`, whose server serves one workspace).
 */
export async function publicDecisions(db: Db, teamId?: string): Promise<PublicDecision[]> {
  // A closed proposal always has its outcome; one without is not a decision to show.
  const proposals = (await decidedProposals(db, teamId)).filter((p) => p.outcome !== null);
  const positions = await positionsOn(
    db,
    proposals.map((p) => p.id),
  );
  return proposals.map((p) => {
    const mine = positions.filter((v) => v.proposal_id === p.id);
    const of = (position: Position) => mine.filter((v) => v.position === position);
    const decision: PublicDecision = {
      title: p.title,
      kind: p.kind,
      outcome: p.outcome as string,
      decidedOn: p.closed_at ? localDate(p.closed_at, timeZoneOf(p.default_tz)) : null,
      tally: {
        support: of('support').length,
        stand_aside: of('stand_aside').length,
        block: of('block').length,
      },
    };
    if (p.records_show_voters) {
      const names = (position: Position) => of(position).map((v) => v.name ?? 'a former member');
      decision.voters = {
        support: names('support'),
        stand_aside: names('stand_aside'),
        block: names('block'),
      };
    }
    return decision;
  });
}

/**
 * The decisions of the workspace that chose `address` for its public records page in setup; undefined when
 * none did (or it has since cleared it), so the page does not exist.
 */
export async function publicDecisionsAt(db: Db, address: string): Promise<PublicDecision[] | undefined> {
  const workspace = await findWorkspaceByRecordsAddress(db, address.toLowerCase());
  return workspace ? publicDecisions(db, workspace.team_id) : undefined;
}
