import { memberCounts } from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import {
  checkinsIn,
  type OverdueStep,
  openSupportRequests,
  overdueAt,
  type Period,
  type ProposalFigure,
  proposalsIn,
  type StandingCount,
  type StepEventCount,
  type SupportRequest,
  standingsIn,
  stepChangesIn,
} from '../db/figures.js';
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

export interface PersonFigures {
  userId: string;
  steps: StepFigures;
  /** Every step of theirs overdue at the period's end, whatever its date. */
  overdue: OverdueStep[];
}

export interface PeriodFigures {
  period: Period;
  overall: { steps: StepFigures; checkins: CheckinFigures };
  groups: GroupFigures[];
  people: PersonFigures[];
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
  const count = (standing: StandingCount['standing']) =>
    due.reduce((n, s) => (s.standing === standing ? n + s.n : n), 0);
  const doneOnTime = count('done_on_time');
  const counted = doneOnTime + count('done_late') + count('overdue') + count('dropped_late');
  return {
    due: counted,
    doneOnTime,
    doneLate: count('done_late'),
    overdue: count('overdue'),
    renegotiated: changes.reduce((n, c) => n + c.renegotiated, 0),
    dropped: changes.reduce((n, c) => n + c.dropped, 0),
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

/** Every figure for one period, from the event history as it stood at the period's end. */
export async function periodFigures(db: Db, teamId: string, period: Period): Promise<PeriodFigures> {
  const [due, changes, overdue, checkins, support, proposals, groups] = await Promise.all([
    standingsIn(db, teamId, period),
    stepChangesIn(db, teamId, period),
    overdueAt(db, teamId, period),
    checkinsIn(db, teamId, period),
    openSupportRequests(db, teamId, period),
    proposalsIn(db, teamId, period),
    listWorkGroupsDuring(db, teamId, period.start, period.end),
  ]);
  const members = await memberCounts(
    db,
    teamId,
    groups.map((g) => g.channel_id),
  );
  const dueOfGroup = groupBy(due, (s) => s.work_group_id);
  const changesOfGroup = groupBy(changes, (c) => c.work_group_id);
  const checkinsOfGroup = groupBy(checkins, (c) => c.work_group_id);
  const groupFigures: GroupFigures[] = groups.map((group) => ({
    id: group.id,
    name: group.name,
    ended: group.ended_at !== null,
    members: members.get(group.channel_id) ?? 0,
    steps: stepFigures(dueOfGroup.get(group.id) ?? [], changesOfGroup.get(group.id) ?? []),
    checkins: checkinFigures(checkinsOfGroup.get(group.id) ?? []),
  }));
  const dueOf = groupBy(due, (s) => s.owner_id);
  const changesOf = groupBy(changes, (c) => c.owner_id);
  const overdueOf = groupBy(overdue, (s) => s.owner_id);
  // Everyone with a step due in the period, overdue at its end, or changed during it.
  const owners = new Set([...dueOf.keys(), ...overdueOf.keys(), ...changesOf.keys()]);
  const people = [...owners]
    .map((userId) => ({
      userId,
      steps: stepFigures(dueOf.get(userId) ?? [], changesOf.get(userId) ?? []),
      overdue: overdueOf.get(userId) ?? [],
    }))
    .sort((a, b) => b.overdue.length - a.overdue.length || a.userId.localeCompare(b.userId));
  return {
    period,
    overall: { steps: stepFigures(due, changes), checkins: checkinFigures(checkins) },
    groups: groupFigures,
    people,
    support,
    proposals,
  };
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
