import { type LineChart, renderSvg } from '../charts/render.js';
import type { Db } from '../db/database.js';
import { decidedProposals, positionsOn } from '../db/exports.js';
import { type DecisionRecord, decisionRecordsOf } from '../db/proposal-records.js';
import type { Position } from '../db/schema.js';
import { findWorkspaceByRecordsAddress, listSetUpWorkspaces } from '../db/workspaces.js';
import { indicatorTrends, trendChart } from './measures.js';
import { localDate, timeZoneOf } from './time.js';

export interface PublicDecision {
  title: string;
  kind: string;
  /** Present for a work group's own vote on ending its partnership (held before the Core's). */
  stage?: 'group';
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
 * ids, no reasons, no details. With `teamId`, only that workspace's; without, every workspace's in the
 * database (the single-token mode's `/records`, whose server serves one workspace).
 */
export async function publicDecisions(db: Db, now: Date, teamId?: string): Promise<PublicDecision[]> {
  // A closed proposal always has its outcome; one without is not a decision to show.
  const proposals = (await decidedProposals(db, teamId)).filter((p) => p.outcome !== null);
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
      ...(p.stage === 'group' ? { stage: 'group' as const } : {}),
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

/**
 * An indicator's trend as the public records show it: the same privacy as the decisions (no people, no
 * ids), each work group by name with its values per period (null: missing), and the coalition's.
 */
export interface PublicIndicator {
  name: string;
  unit: string;
  upIsBetter: boolean;
  frequency: string;
  target: number | null;
  targetDate: string | null;
  /** The periods' first days, oldest first. */
  periods: string[];
  groups: { name: string; values: (number | null)[] }[];
  coalition: (number | null)[];
}

/**
 * The workspace's active indicators (without `teamId`, every set-up workspace's: the single-token mode's
 * one) with their trends to `now`, each with the chart drawn of it.
 */
export async function publicIndicators(
  db: Db,
  now: Date,
  teamId?: string,
): Promise<{ indicator: PublicIndicator; chart: LineChart }[]> {
  const result: { indicator: PublicIndicator; chart: LineChart }[] = [];
  const workspaces = (await listSetUpWorkspaces(db)).filter(
    (w) => teamId === undefined || w.team_id === teamId,
  );
  for (const workspace of workspaces) {
    const today = localDate(now, timeZoneOf(workspace.default_tz));
    for (const trend of await indicatorTrends(db, workspace.team_id, today)) {
      const i = trend.indicator;
      result.push({
        indicator: {
          name: i.name,
          unit: i.unit,
          upIsBetter: i.up_is_better,
          frequency: i.frequency,
          target: i.target,
          targetDate: i.target_date,
          periods: trend.periods,
          groups: trend.groups.map((g) => ({ name: g.name, values: g.values })),
          coalition: trend.coalition,
        },
        chart: trendChart(trend),
      });
    }
  }
  return result;
}

/** What a public records page shows: the decisions, and each indicator's trend with its chart as SVG. */
export interface PublicRecords {
  decisions: PublicDecision[];
  indicators: { indicator: PublicIndicator; chart: LineChart; svg: string }[];
}

/** The workspace's public records (without `teamId`, every workspace's: the single-token mode's `/records`). */
export async function publicRecords(db: Db, now: Date, teamId?: string): Promise<PublicRecords> {
  const [decisions, indicators] = await Promise.all([
    publicDecisions(db, now, teamId),
    publicIndicators(db, now, teamId),
  ]);
  const drawn = [];
  for (const i of indicators) drawn.push({ ...i, svg: await renderSvg(i.chart) });
  return { decisions, indicators: drawn };
}

/**
 * The public records of the workspace that chose `address` for its page in setup; undefined when none did (or
 * it has since cleared it), so the page does not exist.
 */
export async function publicRecordsAt(
  db: Db,
  address: string,
  now: Date,
): Promise<PublicRecords | undefined> {
  const workspace = await findWorkspaceByRecordsAddress(db, address.toLowerCase());
  return workspace ? publicRecords(db, now, workspace.team_id) : undefined;
}
