import type { Db } from '../db/database.js';
import {
  checkinsIn,
  type OverdueStep,
  openSupportRequests,
  overdueAt,
  overdueOwnersAt,
  type Period,
  type ProposalFigure,
  proposalsIn,
  type StandingCount,
  type StepEventCount,
  type SupportRequest,
  standingsIn,
  stepChangesIn,
} from '../db/figures.js';
import { decisionRecordsOf } from '../db/proposal-records.js';
import { listWorkGroupsDuring } from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
import { addDays, laterBy, localDate, timeZoneOf } from './time.js';

export type { Period };

/** What a set of action steps did in a period. */
export interface StepFigures {
  /** Due in the period: the last agreed date fell in it, and the step was not released by a drop in time. */
  due: number;
  doneOnTime: number;
  doneLate: number;
  /** Due in the period and still open at its end. */
  overdue: number;
  renegotiated: number;
  dropped: number;
  /** Done by the last agreed date ÷ due; null when nothing was due. */
  followThrough: number | null;
}

export interface CheckinFigures {
  answered: number;
  skipped: number;
  missed: number;
  away: number;
  /** Asked in a round that has not closed yet and not answered so far. */
  pending: number;
  onTrack: number;
  atRisk: number;
  offTrack: number;
  /** Answered ÷ asked (everyone but the away); null when nobody was asked. */
  rate: number | null;
}

export interface GroupFigures {
  id: number;
  name: string;
  /** The partnership has ended since (its history still counts for the periods it was part of). */
  ended: boolean;
  /** In its channel now: who left is no longer known. */
  members: number;
  steps: StepFigures;
  checkins: CheckinFigures;
}

/** How many of the period's overdue owners and titles the figures carry: what the digest shows. */
export const OVERDUE_PEOPLE_SHOWN = 5;
export const OVERDUE_TITLES_SHOWN = 3;
export const SUPPORT_SHOWN = 10;

/** One of the people with the most steps overdue at the period's end. */
export interface PersonFigures {
  userId: string;
  /** How many of their steps were overdue at the period's end, whatever their date. */
  overdueCount: number;
  /** The first of those by date (then id): at most `OVERDUE_TITLES_SHOWN`. */
  overdue: OverdueStep[];
}

export interface PeriodFigures {
  period: Period;
  overall: { steps: StepFigures; checkins: CheckinFigures };
  groups: GroupFigures[];
  /** Steps overdue at the period's end, whatever their date, and how many people own them. */
  overdue: { steps: number; owners: number };
  /** The `OVERDUE_PEOPLE_SHOWN` people with the most of those, most first (then by Slack id). */
  people: PersonFigures[];
  /** Requests for support open at the period's end: how many, and the first `SUPPORT_SHOWN` by time. */
  supportCount: number;
  support: SupportRequest[];
  proposals: { open: ProposalFigure[]; decided: ProposalFigure[] };
}

export interface Figures {
  current: PeriodFigures;
  previous: PeriodFigures;
}

/**
 * The `days` days before `end` on the workspace's calendar, as instants and as dates: it starts at the same
 * time of day `days` days earlier, so a week across a change of the clocks is 167 or 169 hours long.
 */
export function periodEnding(end: Date, days: number, tz: string): Period {
  const endDate = localDate(end, tz);
  return {
    start: laterBy(end, tz, { days: -days }),
    end,
    startDate: addDays(endDate, -days),
    endDate,
    tz,
  };
}

function stepFigures(due: readonly StandingCount[], changes: readonly StepEventCount[]): StepFigures {
  const sum = <T>(rows: readonly T[], key: (row: T) => number) => rows.reduce((n, r) => n + key(r), 0);
  const count = (standing: StandingCount['standing']) => sum(due, (s) => (s.standing === standing ? s.n : 0));
  const doneOnTime = count('done');
  const doneLate = count('done_late');
  const overdue = count('overdue');
  const counted = doneOnTime + doneLate + overdue + count('dropped_late');
  return {
    due: counted,
    doneOnTime,
    doneLate,
    overdue,
    renegotiated: sum(changes, (c) => c.renegotiated),
    dropped: sum(changes, (c) => c.dropped),
    followThrough: counted === 0 ? null : doneOnTime / counted,
  };
}

/** Rows by a key, each key's rows in their order: one pass, whatever the number of keys. */
function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

type CheckinRow = Awaited<ReturnType<typeof checkinsIn>>[number];

function checkinFigures(rows: readonly CheckinRow[]): CheckinFigures {
  const sum = (key: keyof Omit<CheckinRow, 'work_group_id'>) => rows.reduce((n, r) => n + r[key], 0);
  const answered = sum('answered');
  const asked = answered + sum('skipped') + sum('missed') + sum('pending');
  return {
    answered,
    skipped: sum('skipped'),
    missed: sum('missed'),
    away: sum('away'),
    pending: sum('pending'),
    onTrack: sum('on_track'),
    atRisk: sum('at_risk'),
    offTrack: sum('off_track'),
    rate: asked === 0 ? null : answered / asked,
  };
}

/**
 * Every figure for one period, from the history as it stood at the period's end: a few statements, each
 * counting in the database over the period's rows (src/db/figures.ts), whatever the size of the history.
 */
export async function periodFigures(db: Db, teamId: string, period: Period): Promise<PeriodFigures> {
  const shown = { people: OVERDUE_PEOPLE_SHOWN, titles: OVERDUE_TITLES_SHOWN };
  const [due, changes, overdue, checkins, support, proposals, groups] = await Promise.all([
    standingsIn(db, teamId, period),
    stepChangesIn(db, teamId, period),
    overdueAt(db, teamId, period, shown),
    checkinsIn(db, teamId, period),
    openSupportRequests(db, teamId, period, SUPPORT_SHOWN),
    proposalsIn(db, teamId, period),
    listWorkGroupsDuring(db, teamId, period.start, period.end),
  ]);
  const dueOfGroup = groupBy(due, (s) => s.work_group_id);
  const changesOfGroup = groupBy(changes, (c) => c.work_group_id);
  const checkinsOfGroup = groupBy(checkins, (c) => c.work_group_id);
  const groupFigures: GroupFigures[] = groups.map((group) => ({
    id: group.id,
    name: group.name,
    ended: group.ended_at !== null,
    members: group.members,
    steps: stepFigures(dueOfGroup.get(group.id) ?? [], changesOfGroup.get(group.id) ?? []),
    checkins: checkinFigures(checkinsOfGroup.get(group.id) ?? []),
  }));
  const records = await decisionRecordsOf(
    db,
    teamId,
    proposals.decided.map((p) => p.id),
    period.endDate,
    period.end,
  );
  for (const p of proposals.decided) {
    const record = records.get(p.id);
    if (record) p.record = record;
  }
  return {
    period,
    overall: { steps: stepFigures(due, changes), checkins: checkinFigures(checkins) },
    groups: groupFigures,
    overdue: { steps: overdue.steps, owners: overdue.owners },
    people: overdue.top.map((p) => ({ userId: p.owner_id, overdueCount: p.n, overdue: p.steps })),
    supportCount: support.count,
    support: support.first,
    proposals,
  };
}

/**
 * Everyone with a step overdue at `end` (open, its last agreed date before `end`'s date in the workspace's
 * zone), by Slack id, with the `days` period ending at `end`: the owners the digest's *Nudge all overdue
 * owners* reaches.
 */
export async function overdueOwners(
  db: Db,
  teamId: string,
  end: Date,
  days = 7,
): Promise<{ period: Period; owners: string[] }> {
  const tz = timeZoneOf((await findWorkspace(db, teamId))?.default_tz);
  const period = periodEnding(end, days, tz);
  return { period, owners: await overdueOwnersAt(db, teamId, period) };
}

/** The figures for the `days` days before `end`, and for the same length of time before that. */
export async function figures(db: Db, teamId: string, end: Date, days = 7): Promise<Figures> {
  const tz = timeZoneOf((await findWorkspace(db, teamId))?.default_tz);
  const current = periodEnding(end, days, tz);
  const previous = periodEnding(current.start, days, tz);
  const [now, before] = await Promise.all([
    periodFigures(db, teamId, current),
    periodFigures(db, teamId, previous),
  ]);
  return { current: now, previous: before };
}
