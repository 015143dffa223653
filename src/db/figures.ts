import { sql } from 'kysely';
import type { Db } from './database.js';
import type { ProposalOutcome } from './schema.js';

/** A period: instants [start, end), and the same as calendar dates [startDate, endDate) in the workspace's zone. */
export interface Period {
  start: Date;
  end: Date;
  startDate: string;
  endDate: string;
  tz: string;
}

export type StepStanding = 'done_on_time' | 'done_late' | 'overdue' | 'dropped_late' | 'released';

/** How many steps of one owner in one group stood one way at the period's end. */
export interface StandingCount {
  owner_id: string;
  work_group_id: number | null;
  standing: StepStanding;
  n: number;
}

/*
 * How the queries below read the history. A step's row holds what its events say (each change writes its
 * event and updates the row in one transaction): `due_date` is the date of its latest event that set one,
 * `created_at` the time of its 'created' event, and `status` whether a done or drop event closed it. So a
 * step's date as it stood at a moment `end` is the row's, unless an event at or after `end` set a new one:
 * only those steps (`redated`, found from the events since `end`) have their date read from the history.
 * Each query then reads the steps of its period by index (a done or drop event by its step), not every
 * step and event.
 */
const redated = (teamId: string, end: Date) => sql`
  redated as (
    select l.action_step_id as id, d.due
    from (
      select distinct action_step_id from action_step_events
      where team_id = ${teamId} and at >= ${end} and new_due_date is not null
    ) l
    cross join lateral (
      select e.new_due_date as due
      from action_step_events e
      where e.team_id = ${teamId} and e.action_step_id = l.action_step_id and e.new_due_date is not null
        and e.at < ${end}
      order by e.at desc, e.id desc
      limit 1
    ) d
  )`;

/**
 * How every step due in the period stood at its end, counted by owner, group and standing: the due date
 * is the latest one set (at creation or by a renegotiation) before the end; a done or drop event counts on
 * its calendar date in the workspace's time zone.
 */
export async function standingsIn(db: Db, teamId: string, period: Period): Promise<StandingCount[]> {
  const { rows } = await sql<StandingCount>`
    with ${redated(teamId, period.end)},
    due as (
      select s.id, s.owner_id, s.work_group_id, s.due_date as due
      from action_steps s
      where s.team_id = ${teamId} and s.due_date >= ${period.startDate}::date
        and s.due_date < ${period.endDate}::date and s.created_at < ${period.end}
        and s.id not in (select id from redated)
      union all
      select s.id, s.owner_id, s.work_group_id, r.due
      from redated r
      join action_steps s on s.id = r.id
      where r.due >= ${period.startDate}::date and r.due < ${period.endDate}::date
    ),
    judged as (
      select d.owner_id, d.work_group_id,
        case
          when c.kind = 'done' and c.on_date <= d.due then 'done_on_time'
          when c.kind = 'done' then 'done_late'
          when c.kind = 'dropped' and c.on_date <= d.due then 'released'
          when c.kind = 'dropped' then 'dropped_late'
          else 'overdue'
        end as standing
      from due d
      left join lateral (
        select e.kind, (e.at at time zone ${period.tz})::date as on_date
        from action_step_events e
        where e.action_step_id = d.id and e.kind in ('done', 'dropped') and e.at < ${period.end}
        order by e.at, e.id
        limit 1
      ) c on true
    )
    select owner_id, work_group_id, standing, count(*)::int as n
    from judged
    group by owner_id, work_group_id, standing`.execute(db);
  return rows;
}

export interface StepEventCount {
  owner_id: string;
  work_group_id: number | null;
  renegotiated: number;
  dropped: number;
}

/** Renegotiations and drops made during the period, by owner and group. */
export async function stepChangesIn(db: Db, teamId: string, period: Period): Promise<StepEventCount[]> {
  const { rows } = await sql<StepEventCount>`
    select s.owner_id, s.work_group_id,
      count(*) filter (where e.kind = 'renegotiated')::int as renegotiated,
      count(*) filter (where e.kind = 'dropped')::int as dropped
    from action_step_events e
    join action_steps s on s.id = e.action_step_id
    where e.team_id = ${teamId} and e.kind in ('renegotiated', 'dropped')
      and e.at >= ${period.start} and e.at < ${period.end}
    group by s.owner_id, s.work_group_id`.execute(db);
  return rows;
}

export interface OverdueStep {
  id: number;
  title: string;
  owner_id: string;
  work_group_id: number | null;
  due: string;
}

/** Steps still open at the period's end whose last agreed date had passed by then. */
export async function overdueAt(db: Db, teamId: string, period: Period): Promise<OverdueStep[]> {
  const { rows } = await sql<OverdueStep>`
    with ${redated(teamId, period.end)},
    open_then as (
      select s.id, s.title, s.owner_id, s.work_group_id, s.due_date as due
      from action_steps s
      where s.team_id = ${teamId} and s.status = 'open' and s.due_date < ${period.endDate}::date
        and s.created_at < ${period.end} and s.id not in (select id from redated)
      union all
      select s.id, s.title, s.owner_id, s.work_group_id, s.due_date as due
      from action_steps s
      where s.team_id = ${teamId} and s.status <> 'open' and s.due_date < ${period.endDate}::date
        and s.created_at < ${period.end} and s.id not in (select id from redated)
        and s.id in (
          select l.action_step_id from action_step_events l
          where l.team_id = ${teamId} and l.at >= ${period.end} and l.kind in ('done', 'dropped')
        )
      union all
      select s.id, s.title, s.owner_id, s.work_group_id, r.due
      from redated r
      join action_steps s on s.id = r.id
    )
    select o.id, o.title, o.owner_id, o.work_group_id, to_char(o.due, 'YYYY-MM-DD') as due
    from open_then o
    where o.due < ${period.endDate}::date
      and not exists (
        select 1 from action_step_events c
        where c.action_step_id = o.id and c.kind in ('done', 'dropped') and c.at < ${period.end}
      )
    order by o.due, o.id`.execute(db);
  return rows;
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
    from checkins c
    join checkin_rounds r on r.id = c.round_id
    where c.team_id = ${teamId} and r.round_date >= ${period.startDate}::date and r.round_date < ${period.endDate}::date
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
 * Requests for support still open at the period's end: on a step still open then, or in a check-in of the
 * period's rounds.
 */
export async function openSupportRequests(db: Db, teamId: string, period: Period): Promise<SupportRequest[]> {
  const { rows } = await sql<SupportRequest>`
    select 'step' as kind, s.owner_id as user_id, s.work_group_id, s.title || ': ' || coalesce(e.note, '') as text, e.at
    from action_step_events e
    join action_steps s on s.id = e.action_step_id
    where e.team_id = ${teamId} and e.kind = 'support_requested' and e.at < ${period.end}
      and not exists (
        select 1 from action_step_events c
        where c.action_step_id = s.id and c.kind in ('done', 'dropped') and c.at < ${period.end}
      )
    union all
    select 'checkin' as kind, c.user_id, c.work_group_id, c.support_needed as text, c.answered_at as at
    from checkins c
    join checkin_rounds r on r.id = c.round_id
    where c.team_id = ${teamId} and c.support_needed is not null and c.answered_at < ${period.end}
      and r.round_date >= ${period.startDate}::date and r.round_date < ${period.endDate}::date
    order by at`.execute(db);
  return rows;
}

export interface ProposalFigure {
  id: number;
  title: string;
  kind: string;
  outcome: ProposalOutcome | null;
  status: string;
  closed_at: Date | null;
  closes_at: Date;
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
