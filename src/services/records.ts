import { type LineChart, renderSvg } from '../charts/render.js';
import type { Db } from '../db/database.js';
import { decidedProposals, positionsOn } from '../db/exports.js';
import type { Position } from '../db/schema.js';
import { listSetUpWorkspaces } from '../db/workspaces.js';
import { indicatorTrends, trendChart } from './measures.js';
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
 * ids, no reasons, no details.
 */
export async function publicDecisions(db: Db): Promise<PublicDecision[]> {
  // A closed proposal always has its outcome; one without is not a decision to show.
  const proposals = (await decidedProposals(db)).filter((p) => p.outcome !== null);
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

/** Every set-up workspace's active indicators with their trends to `now`, each with the chart drawn of it. */
export async function publicIndicators(
  db: Db,
  now: Date,
): Promise<{ indicator: PublicIndicator; chart: LineChart }[]> {
  const result: { indicator: PublicIndicator; chart: LineChart }[] = [];
  for (const workspace of await listSetUpWorkspaces(db)) {
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

/** What `GET /records` shows: the decisions, and each indicator's trend with its chart as SVG. */
export interface PublicRecords {
  decisions: PublicDecision[];
  indicators: { indicator: PublicIndicator; chart: LineChart; svg: string }[];
}

export async function publicRecords(db: Db, now: Date): Promise<PublicRecords> {
  const [decisions, indicators] = await Promise.all([publicDecisions(db), publicIndicators(db, now)]);
  const drawn = [];
  for (const i of indicators) drawn.push({ ...i, svg: await renderSvg(i.chart) });
  return { decisions, indicators: drawn };
}
