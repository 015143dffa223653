import { sql } from 'kysely';
import type { Db } from './database.js';
import type { DecisionRecord } from './proposal-records.js';
import type { ProposalOutcome } from './schema.js';

/** A period: instants [start, end), and the same as calendar dates [startDate, endDate) in the workspace's zone. */
export interface Period {
  start: Date;
  end: Date;
  startDate: string;
  endDate: string;
  tz: string;
}

/**
 * How a group's steps due in a period stood at its end: done by their date or after it, still open
 * (`overdue`), dropped by their date (released: not counted as due) or after it.
 */
export type StepStanding = 'done' | 'done_late' | 'overdue' | 'dropped' | 'dropped_late';

/** How many steps of one group (null: none) due in a period stood one way at its end. */
export interface StandingCount {
  work_group_id: number | null;
  standing: StepStanding;
  n: number;
}

/*
 * How the queries below read the history. A step's row holds what its events say (each change writes its
 * event and updates the row in one transaction, and a closed step is never changed again: services/
 * action-steps.ts): `created_at` is the time of its 'created' event, `closed_at` and `status` the time and
 * kind of its one done or drop event, and `due_date` the date its latest event set. So a step as it stood at
 * a moment `end` is its row, except its date when it was renegotiated at or after `end`: then it is the date
 * the first of those renegotiations replaced (its `old_due_date`). Those few steps (`moved`) are read from
 * the events since `end`; every other figure is read from the rows of its period, by index, never from the
 * whole history nor one step at a time.
 */
const moved = (teamId: string, end: Date) => sql`
  moved as (
    select distinct on (action_step_id) action_step_id as id, old_due_date as due
    from action_step_events
    where team_id = ${teamId} and kind = 'renegotiated' and at >= ${end}
    order by action_step_id, at, id
  )`;

/**
 * `s.id` is not among the steps renegotiated at or after `end`: a hashed set of their ids, probed once per
 * step of a period (a `not exists` against `moved` was planned as a sort of all the period's steps, spilled to
 * disk at 20,000 people).
 */
const notMoved = (teamId: string, end: Date) => sql`
  s.id not in (
    select action_step_id from action_step_events
    where team_id = ${teamId} and kind = 'renegotiated' and at >= ${end})`;

/**
 * How every step due in the period stood at its end, counted by group (null: no group): the due date is
 * the one last agreed before the end; a done or drop counts on its calendar date in the workspace's zone.
 * Read from the index of steps by due date alone (action_steps_due), each step judged once: its calendar
 * date of closing computed once, and counted into five totals per group rather than grouped by a label.
 * A step renegotiated since the end (`moved`) counts by the date the first of those renegotiations
 * replaced.
 */
export async function standingsIn(db: Db, teamId: string, period: Period): Promise<StandingCount[]> {
  const { end, startDate, endDate, tz } = period;
  const { rows } = await sql<{ work_group_id: number | null } & Record<StepStanding, number>>`
    with ${moved(teamId, end)},
    due as (
      select s.work_group_id, s.status, s.closed_at is null or s.closed_at >= ${end} as open_then,
        (s.closed_at at time zone ${tz})::date > s.due_date as late
      from action_steps s
      where s.team_id = ${teamId} and s.due_date >= ${startDate}::date and s.due_date < ${endDate}::date
        and s.created_at < ${end} and ${notMoved(teamId, end)}
      union all
      select s.work_group_id, s.status, s.closed_at is null or s.closed_at >= ${end} as open_then,
        (s.closed_at at time zone ${tz})::date > m.due as late
      from moved m
      join action_steps s on s.id = m.id
      where m.due >= ${startDate}::date and m.due < ${endDate}::date and s.created_at < ${end}
    )
    select work_group_id,
      count(*) filter (where not open_then and status = 'done' and not late)::int as done,
      count(*) filter (where not open_then and status = 'done' and late)::int as done_late,
      count(*) filter (where open_then)::int as overdue,
      count(*) filter (where not open_then and status = 'dropped' and not late)::int as dropped,
      count(*) filter (where not open_then and status = 'dropped' and late)::int as dropped_late
    from due
    group by work_group_id`.execute(db);
  return rows.flatMap(({ work_group_id, ...counts }) =>
    STANDINGS.filter((standing) => counts[standing] > 0).map((standing) => ({
      work_group_id,
      standing,
      n: counts[standing],
    })),
  );
}

const STANDINGS: readonly StepStanding[] = ['done', 'done_late', 'overdue', 'dropped', 'dropped_late'];

export interface StepEventCount {
  work_group_id: number | null;
  renegotiated: number;
  dropped: number;
}

/**
 * Renegotiations and drops made during the period, by group: read from the index of the changes by time
 * alone (action_step_events_changes), each event carrying its step's group.
 */
export async function stepChangesIn(db: Db, teamId: string, period: Period): Promise<StepEventCount[]> {
  const { rows } = await sql<StepEventCount>`
    select e.work_group_id,
      count(*) filter (where e.kind = 'renegotiated')::int as renegotiated,
      count(*) filter (where e.kind = 'dropped')::int as dropped
    from action_step_events e
    where e.team_id = ${teamId} and e.kind in ('renegotiated', 'dropped')
      and e.at >= ${period.start} and e.at < ${period.end}
    group by e.work_group_id`.execute(db);
  return rows;
}

export interface OverdueStep {
  id: number;
  title: string;
  owner_id: string;
  work_group_id: number | null;
  /** The date last agreed before the period's end, YYYY-MM-DD. */
  due: string;
}

/**
 * Steps still open at the period's end whose last agreed date had passed by then, whatever that date, as
 * `overdue (id, owner_id, due)`: read from the indexes of open steps and of steps closed since the end.
 */
const overdueSteps = (teamId: string, period: Period) => sql`
  with ${moved(teamId, period.end)},
  overdue as (
    select s.id, s.owner_id, s.due_date as due
    from action_steps s
    where s.team_id = ${teamId} and s.status = 'open' and s.due_date < ${period.endDate}::date
      and s.created_at < ${period.end} and not exists (select 1 from moved m where m.id = s.id)
    union all
    select s.id, s.owner_id, s.due_date
    from action_steps s
    where s.team_id = ${teamId} and s.closed_at >= ${period.end} and s.due_date < ${period.endDate}::date
      and s.created_at < ${period.end} and not exists (select 1 from moved m where m.id = s.id)
    union all
    select s.id, s.owner_id, m.due
    from moved m
    join action_steps s on s.id = m.id
    where m.due < ${period.endDate}::date and s.created_at < ${period.end}
      and (s.closed_at is null or s.closed_at >= ${period.end})
  )`;

export interface OverdueSummary {
  /** Steps overdue at the period's end. */
  steps: number;
  /** People owning one or more of them. */
  owners: number;
  /** The `people` owners with the most, most first (then by Slack id), each with their first `titles` steps. */
  top: { owner_id: string; n: number; steps: OverdueStep[] }[];
}

/**
 * What was overdue at the period's end: how many steps and owners, and the owners with the most, each with
 * their first steps by date (then id). One statement, whatever the number of overdue steps.
 */
export async function overdueAt(
  db: Db,
  teamId: string,
  period: Period,
  shown: { people: number; titles: number },
): Promise<OverdueSummary> {
  const { rows } = await sql<{
    steps: number;
    owners: number;
    owner_id: string | null;
    n: number | null;
    id: number | null;
    title: string | null;
    work_group_id: number | null;
    due: string | null;
  }>`
    ${overdueSteps(teamId, period)},
    per_owner as (select owner_id, count(*)::int as n from overdue group by owner_id),
    top as (select owner_id, n from per_owner order by n desc, owner_id limit ${shown.people}),
    ranked as (
      select o.owner_id, o.id, o.due, row_number() over (partition by o.owner_id order by o.due, o.id) as k
      from overdue o
      join top t on t.owner_id = o.owner_id
    )
    select totals.steps, totals.owners, t.owner_id, t.n, l.id, s.title, s.work_group_id,
      to_char(l.due, 'YYYY-MM-DD') as due
    from (select coalesce(sum(n), 0)::int as steps, count(*)::int as owners from per_owner) totals
    left join top t on true
    left join ranked l on l.owner_id = t.owner_id and l.k <= ${shown.titles}
    left join action_steps s on s.id = l.id
    order by t.n desc, t.owner_id, l.k`.execute(db);
  const first = rows[0];
  const top: OverdueSummary['top'] = [];
  for (const r of rows) {
    if (r.owner_id === null || r.n === null) continue;
    let person = top.at(-1);
    if (person?.owner_id !== r.owner_id) {
      person = { owner_id: r.owner_id, n: r.n, steps: [] };
      top.push(person);
    }
    if (r.id !== null)
      person.steps.push({
        id: r.id,
        title: r.title as string,
        owner_id: r.owner_id,
        work_group_id: r.work_group_id,
        due: r.due as string,
      });
  }
  return { steps: first?.steps ?? 0, owners: first?.owners ?? 0, top };
}

/** Everyone with a step overdue at the period's end, by Slack id: those with the most first, then by id. */
export async function overdueOwnersAt(db: Db, teamId: string, period: Period): Promise<string[]> {
  const { rows } = await sql<{ owner_id: string }>`
    ${overdueSteps(teamId, period)}
    select owner_id from overdue group by owner_id order by count(*) desc, owner_id`.execute(db);
  return rows.map((r) => r.owner_id);
}

export interface CheckinCount {
  work_group_id: number;
  answered: number;
  skipped: number;
  missed: number;
  away: number;
  pending: number;
  on_track: number;
  at_risk: number;
  off_track: number;
}

/** Each group's check-ins in the rounds whose day fell in the period. */
export async function checkinsIn(db: Db, teamId: string, period: Period): Promise<CheckinCount[]> {
  const { rows } = await sql<CheckinCount>`
    select c.work_group_id,
      count(*) filter (where c.status = 'answered')::int as answered,
      count(*) filter (where c.status = 'skipped')::int as skipped,
      count(*) filter (where c.status = 'missed')::int as missed,
      count(*) filter (where c.status = 'away')::int as away,
      count(*) filter (where c.status = 'pending')::int as pending,
      count(*) filter (where c.status = 'answered' and c.assessment = 'on_track')::int as on_track,
      count(*) filter (where c.status = 'answered' and c.assessment = 'at_risk')::int as at_risk,
      count(*) filter (where c.status = 'answered' and c.assessment = 'off_track')::int as off_track
    from checkin_rounds r
    join checkins c on c.round_id = r.id
    where r.team_id = ${teamId} and r.round_date >= ${period.startDate}::date and r.round_date < ${period.endDate}::date
    group by c.work_group_id`.execute(db);
  return rows;
}

export interface SupportRequest {
  kind: 'step' | 'checkin';
  user_id: string;
  work_group_id: number | null;
  text: string;
  at: Date;
}

/**
 * Requests for support still open at the period's end (on a step still open then, or in a check-in of the
 * period's rounds): how many, and the first `limit` of them by time.
 */
export async function openSupportRequests(
  db: Db,
  teamId: string,
  period: Period,
  limit: number,
): Promise<{ count: number; first: SupportRequest[] }> {
  const { end, startDate, endDate } = period;
  const { rows } = await sql<SupportRequest & { total: number }>`
    with open_then as (
      select s.id from action_steps s
      where s.team_id = ${teamId} and s.status = 'open' and s.created_at < ${end}
      union all
      select s.id from action_steps s
      where s.team_id = ${teamId} and s.closed_at >= ${end} and s.created_at < ${end}
    ),
    requests as (
      select 'step' as kind, e.id, e.at
      from action_step_events e
      join open_then o on o.id = e.action_step_id
      where e.team_id = ${teamId} and e.kind = 'support_requested' and e.at < ${end}
      union all
      select 'checkin' as kind, c.id, c.answered_at as at
      from checkin_rounds r
      join checkins c on c.round_id = r.id
      where r.team_id = ${teamId} and r.round_date >= ${startDate}::date and r.round_date < ${endDate}::date
        and c.support_needed is not null and c.answered_at < ${end}
    ),
    first as (
      select kind, id, at, count(*) over ()::int as total
      from requests
      order by at, kind, id
      limit ${limit}
    )
    select f.kind, coalesce(s.owner_id, c.user_id) as user_id, coalesce(s.work_group_id, c.work_group_id) as work_group_id,
      case when f.kind = 'step' then s.title || ': ' || coalesce(e.note, '') else c.support_needed end as text,
      f.at, f.total
    from first f
    left join action_step_events e on f.kind = 'step' and e.id = f.id
    left join action_steps s on s.id = e.action_step_id
    left join checkins c on f.kind = 'checkin' and c.id = f.id
    order by f.at, f.kind, f.id`.execute(db);
  return {
    count: rows[0]?.total ?? 0,
    first: rows.map(({ total: _, ...request }) => request),
  };
}

export interface ProposalFigure {
  id: number;
  title: string;
  kind: string;
  outcome: ProposalOutcome | null;
  status: string;
  closed_at: Date | null;
  closes_at: Date;
  /** Its outcome statement and next steps as they stood at the period's end, once written. */
  record?: DecisionRecord;
}

/** Proposals open at the period's end, and those decided (closed or withdrawn) during it. */
export async function proposalsIn(
  db: Db,
  teamId: string,
  period: Period,
): Promise<{ open: ProposalFigure[]; decided: ProposalFigure[] }> {
  const columns = ['id', 'title', 'kind', 'outcome', 'status', 'closed_at', 'closes_at'] as const;
  const [open, decided] = await Promise.all([
    db
      .selectFrom('proposals')
      .select(columns)
      .where('team_id', '=', teamId)
      .where('opened_at', '<', period.end)
      .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', period.end)]))
      .orderBy('closes_at')
      .execute(),
    db
      .selectFrom('proposals')
      .select(columns)
      .where('team_id', '=', teamId)
      .where('closed_at', '>=', period.start)
      .where('closed_at', '<', period.end)
      .orderBy('closed_at')
      .execute(),
  ]);
  return { open, decided };
}
