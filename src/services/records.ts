import type { Db } from '../db/database.js';
import { decidedProposals, positionsOn } from '../db/exports.js';
import { type DecisionRecord, decisionRecordsOf } from '../db/proposal-records.js';
import type { Position } from '../db/schema.js';
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
  /** Present once the outcome statement is written: what was decided, and how its next steps stand. */
  outcomeStatement?: {
    decided: string;
    next: string | null;
    nextSteps: { total: number; done: number; overdue: number };
  };
}

/**
 * The decision records the charter asks to be public (DESIGN.md, *Backbone digest*: "a read-only public
 * records page of decisions"): what was decided, when and by what tally. A withdrawn proposal is no
 * decision and is not shown. Nothing about people unless the workspace has chosen to name the voters; no
 * ids, no reasons, no details.
 */
export async function publicDecisions(db: Db, now: Date): Promise<PublicDecision[]> {
  // A closed proposal always has its outcome; one without is not a decision to show.
  const proposals = (await decidedProposals(db)).filter((p) => p.outcome !== null);
  const positions = await positionsOn(
    db,
    proposals.map((p) => p.id),
  );
  const records = new Map<number, DecisionRecord>();
  for (const teamId of new Set(proposals.map((p) => p.team_id))) {
    const mine = proposals.filter((p) => p.team_id === teamId);
    const today = localDate(now, timeZoneOf(mine[0]?.default_tz));
    const found = await decisionRecordsOf(
      db,
      teamId,
      mine.map((p) => p.id),
      today,
    );
    for (const [id, record] of found) records.set(id, record);
  }
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
    const record = records.get(p.id);
    if (record) {
      const { total, done, overdue } = record.steps;
      decision.outcomeStatement = {
        decided: record.statement.decided,
        next: record.statement.next,
        nextSteps: { total, done, overdue },
      };
    }
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
