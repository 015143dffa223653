import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from './database.js';
import type {
  Checkin,
  CheckinRound,
  CheckinStepUpdate,
  CheckinStepUpdatesTable,
  CheckinUpdate,
  NewCheckin,
} from './schema.js';

export interface MemberOfGroup {
  user_id: string;
  joined_at: Date;
  tz: string | null;
}

/** A work group's members with when they joined and their cached time zone. */
export async function membersOfChannel(db: Db, teamId: string, channelId: string): Promise<MemberOfGroup[]> {
  return db
    .selectFrom('channel_members')
    .leftJoin('people', (join) =>
      join
        .onRef('people.team_id', '=', 'channel_members.team_id')
        .onRef('people.user_id', '=', 'channel_members.user_id'),
    )
    .select(['channel_members.user_id', 'channel_members.joined_at', 'people.tz'])
    .where('channel_members.team_id', '=', teamId)
    .where('channel_members.channel_id', '=', channelId)
    .orderBy('channel_members.user_id')
    .execute();
}

/** One group's round on one date whose roster a tick may have to fill: the group, its channel and the date. */
export interface RosterCandidate {
  groupId: number;
  channelId: string;
  roundDate: string;
}

/** A member of a candidate's channel, with the candidate's round as it stands (if made) and whether they are in it. */
export interface RosterRow extends MemberOfGroup {
  group_id: number;
  round_date: string;
  round: Pick<CheckinRound, 'id' | 'opens_at' | 'closes_at' | 'closed_at'> | undefined;
  in_round: boolean;
}

/**
 * Every candidate round's roster state in one statement, whatever the number of groups and members: each
 * member of each candidate's channel (as `membersOfChannel` reads them), the round of that group and date if
 * it exists, and whether the member has a check-in in it. The candidates go as one JSON parameter, so the
 * statement's parameters do not grow with them. Ordered by group, date, then member.
 */
export async function rosterState(
  db: Db,
  teamId: string,
  candidates: readonly RosterCandidate[],
): Promise<RosterRow[]> {
  if (candidates.length === 0) return [];
  const { rows } = await sql<{
    group_id: number;
    round_date: string;
    user_id: string;
    joined_at: Date;
    tz: string | null;
    round_id: number | null;
    round_opens_at: Date | null;
    round_closes_at: Date | null;
    round_closed_at: Date | null;
    in_round: boolean;
  }>`
    select c."groupId" as group_id, c."roundDate"::text as round_date, m.user_id, m.joined_at, p.tz,
      r.id as round_id, r.opens_at as round_opens_at, r.closes_at as round_closes_at,
      r.closed_at as round_closed_at,
      exists (select 1 from checkins k where k.round_id = r.id and k.user_id = m.user_id) as in_round
    from jsonb_to_recordset(${JSON.stringify(candidates)}::jsonb)
      as c("groupId" integer, "channelId" text, "roundDate" date)
      join channel_members m on m.team_id = ${teamId} and m.channel_id = c."channelId"
      left join people p on p.team_id = m.team_id and p.user_id = m.user_id
      left join checkin_rounds r
        on r.team_id = ${teamId} and r.work_group_id = c."groupId" and r.round_date = c."roundDate"
    order by c."groupId", c."roundDate", m.user_id`.execute(db);
  return rows.map(({ round_id, round_opens_at, round_closes_at, round_closed_at, ...row }) => ({
    ...row,
    round:
      round_id === null
        ? undefined
        : {
            id: round_id,
            opens_at: round_opens_at as Date,
            closes_at: round_closes_at as Date,
            closed_at: round_closed_at,
          },
  }));
}

/** Creates the round, or finds the one another tick or instance created first. */
export async function ensureRound(
  db: Db,
  round: { team_id: string; work_group_id: number; round_date: string; opens_at: Date; closes_at: Date },
  now: Date,
): Promise<CheckinRound> {
  const inserted = await db
    .insertInto('checkin_rounds')
    .values({ ...round, created_at: now })
    // Members' own time zones, learnt during the round, can widen it; a closed round stays as it closed.
    .onConflict((oc) =>
      oc
        .columns(['team_id', 'work_group_id', 'round_date'])
        .doUpdateSet({
          opens_at: sql`least(checkin_rounds.opens_at, excluded.opens_at)`,
          closes_at: sql`greatest(checkin_rounds.closes_at, excluded.closes_at)`,
        })
        .where('checkin_rounds.closed_at', 'is', null)
        .where(
          sql<boolean>`excluded.closes_at > checkin_rounds.closes_at or excluded.opens_at < checkin_rounds.opens_at`,
        ),
    )
    .returningAll()
    .executeTakeFirst();
  if (inserted) return inserted;
  return db
    .selectFrom('checkin_rounds')
    .selectAll()
    .where('team_id', '=', round.team_id)
    .where('work_group_id', '=', round.work_group_id)
    .where('round_date', '=', round.round_date)
    .executeTakeFirstOrThrow();
}

export async function findRound(db: Db, teamId: string, id: number): Promise<CheckinRound | undefined> {
  return db
    .selectFrom('checkin_rounds')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Rounds past their close that nobody has closed yet. */
export async function roundsDueToClose(db: Db, teamId: string, now: Date): Promise<CheckinRound[]> {
  return db
    .selectFrom('checkin_rounds')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('closed_at', 'is', null)
    .where('closes_at', '<=', now)
    .orderBy('id')
    .execute();
}

/** Marks the round closed; only the first caller gets it back, so one instance writes the summary. */
export async function claimRoundClose(db: Db, id: number, now: Date): Promise<CheckinRound | undefined> {
  return db
    .updateTable('checkin_rounds')
    .set({ closed_at: now })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function insertCheckin(db: Db, row: NewCheckin): Promise<Checkin | undefined> {
  return db
    .insertInto('checkins')
    .values(row)
    .onConflict((oc) => oc.columns(['round_id', 'user_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The one off-cycle report a member keeps for a group until a round counts it; made if missing. */
export async function ensureOffCycleCheckin(db: Db, row: NewCheckin): Promise<Checkin> {
  await db
    .insertInto('checkins')
    .values({ ...row, round_id: null })
    .onConflict((oc) =>
      oc.columns(['team_id', 'work_group_id', 'user_id']).where('round_id', 'is', null).doNothing(),
    )
    .execute();
  return db
    .selectFrom('checkins')
    .selectAll()
    .where('team_id', '=', row.team_id)
    .where('work_group_id', '=', row.work_group_id)
    .where('user_id', '=', row.user_id)
    .where('round_id', 'is', null)
    .executeTakeFirstOrThrow();
}

export async function findOffCycleCheckin(
  db: Db,
  teamId: string,
  groupId: number,
  userId: string,
): Promise<Checkin | undefined> {
  return db
    .selectFrom('checkins')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('work_group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('round_id', 'is', null)
    .executeTakeFirst();
}

export async function findCheckin(db: Db, teamId: string, id: number): Promise<Checkin | undefined> {
  return db
    .selectFrom('checkins')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The check-in, locked for the rest of the transaction so two submissions apply one after the other. */
export async function lockCheckin(db: Db, teamId: string, id: number): Promise<Checkin | undefined> {
  return db
    .selectFrom('checkins')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function findCheckinInRound(
  db: Db,
  roundId: number,
  userId: string,
): Promise<Checkin | undefined> {
  return db
    .selectFrom('checkins')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function updateCheckin(db: Db, teamId: string, id: number, changes: CheckinUpdate) {
  return db
    .updateTable('checkins')
    .set(changes)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listRoundCheckins(db: Db, roundId: number): Promise<Checkin[]> {
  return db.selectFrom('checkins').selectAll().where('round_id', '=', roundId).orderBy('user_id').execute();
}

/** Members asked in still-open rounds whose own check-in has opened and who have not been asked yet. */
export async function checkinsToPrompt(db: Db, teamId: string, now: Date): Promise<Checkin[]> {
  return db
    .selectFrom('checkins')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('status', '=', 'pending')
    .where('prompted_at', 'is', null)
    .where('opens_at', '<=', now)
    .where('closes_at', '>', now)
    .orderBy('id')
    .execute();
}

/** Members prompted before their reminder time who have still neither answered nor skipped. */
export async function checkinsToRemind(db: Db, teamId: string, now: Date): Promise<Checkin[]> {
  return db
    .selectFrom('checkins')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('status', '=', 'pending')
    .where('reminded_at', 'is', null)
    .where('reminder_at', '<=', now)
    .where('closes_at', '>', now)
    .where((eb) => eb('prompted_at', '<', eb.ref('reminder_at')))
    .orderBy('id')
    .execute();
}

/** A member's check-ins in rounds not yet closed, newest first. */
export async function openCheckinsOf(db: Db, teamId: string, userId: string): Promise<Checkin[]> {
  return db
    .selectFrom('checkins')
    .innerJoin('checkin_rounds', 'checkin_rounds.id', 'checkins.round_id')
    .selectAll('checkins')
    .where('checkins.team_id', '=', teamId)
    .where('checkins.user_id', '=', userId)
    .where('checkin_rounds.closed_at', 'is', null)
    .orderBy('checkins.opens_at', 'desc')
    .execute();
}

/** What the member last said they intended, in this group. */
export async function lastIntention(
  db: Db,
  teamId: string,
  groupId: number,
  userId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('checkins')
    .select('intention')
    .where('team_id', '=', teamId)
    .where('work_group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('intention', 'is not', null)
    .orderBy('answered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.intention ?? null;
}

/** At the close, those still silent become missed; members who have left by then are not counted at all. */
export async function settleRound(db: Db, round: CheckinRound, memberIds: readonly string[]): Promise<void> {
  let leavers = db.deleteFrom('checkins').where('round_id', '=', round.id).where('status', '=', 'pending');
  if (memberIds.length > 0) leavers = leavers.where('user_id', 'not in', memberIds);
  await leavers.execute();
  await db
    .updateTable('checkins')
    .set({ status: 'missed' })
    .where('round_id', '=', round.id)
    .where('status', '=', 'pending')
    .execute();
}

export async function saveStepUpdate(db: Db, update: Insertable<CheckinStepUpdatesTable>): Promise<void> {
  await db
    .insertInto('checkin_step_updates')
    .values(update)
    .onConflict((oc) =>
      oc.columns(['checkin_id', 'action_step_id']).doUpdateSet({
        status: update.status,
        new_due_date: update.new_due_date ?? null,
        note: update.note ?? null,
        at: update.at,
      }),
    )
    .execute();
}

export async function listStepUpdates(db: Db, checkinId: number): Promise<CheckinStepUpdate[]> {
  return db
    .selectFrom('checkin_step_updates')
    .selectAll()
    .where('checkin_id', '=', checkinId)
    .orderBy('action_step_id')
    .execute();
}

/** Marks a member away in rounds still open for them, or back (away again becomes pending). */
export async function setAwayInOpenRounds(
  db: Db,
  teamId: string,
  userId: string,
  away: { until: string } | null,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('checkins')
    .set({ status: away ? 'away' : 'pending', updated_at: now })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('status', '=', away ? 'pending' : 'away')
    .where('closes_at', '>', now)
    .where('round_id', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** An answered check-in whose report is not queued yet, and where its round's summary was posted. */
export interface ReportToPost {
  checkin: Checkin;
  /** The summary's conversation and ts: the report goes in its thread. */
  channelId: string;
  threadTs: string;
}

/**
 * The answered check-ins of rounds closed since `since` whose report (`kinds.report`, keyed by check-in id)
 * is not queued, in rounds whose summary (`kinds.summary`, keyed by round id) was sent: by round, then by
 * member. In the same statement, each of those rounds with nothing left to post is marked
 * (`reports_queued_at` = `now`) and not read again, so a tick reads the rounds closed since the last one,
 * not every round closed in the window. A late answer unmarks its round (`reopenRoundReports`); a round
 * is marked only as this statement read it (its row version, `xmin`), so a late answer committed meanwhile,
 * which this statement's snapshot cannot see, leaves it unmarked.
 */
export async function reportsToPost(
  db: Db,
  teamId: string,
  since: Date,
  kinds: { summary: string; report: string },
  now: Date,
): Promise<ReportToPost[]> {
  const { rows } = await sql<Checkin & { summary_channel: string; summary_ts: string }>`
    with unmarked as (
      select r.id, r.xmin as version, summary.message_channel, summary.message_ts
      from checkin_rounds r
      join outbox summary
        on summary.team_id = r.team_id and summary.kind = ${kinds.summary} and summary.dedupe_key = r.id::text
      where r.team_id = ${teamId} and r.closed_at >= ${since} and r.reports_queued_at is null
        and summary.status = 'sent' and summary.message_ts is not null and summary.message_channel is not null
    ),
    due as (
      select c.*, u.message_channel as summary_channel, u.message_ts as summary_ts
      from unmarked u
      join checkins c on c.round_id = u.id
      where c.status = 'answered' and not exists (
        select 1 from outbox report
        where report.team_id = c.team_id and report.kind = ${kinds.report} and report.dedupe_key = c.id::text
      )
    ),
    marked as (
      update checkin_rounds r set reports_queued_at = ${now}
      from unmarked u
      where r.team_id = ${teamId} and r.id = u.id and r.xmin = u.version
        and u.id not in (select round_id from due)
    )
    select * from due order by round_id, user_id`.execute(db);
  return rows.map(({ summary_channel, summary_ts, ...checkin }) => ({
    checkin,
    channelId: summary_channel as string,
    threadTs: summary_ts as string,
  }));
}

/**
 * A first answer in a closed round (a late one): the round is unmarked in the answer's own transaction, so
 * the next tick looks at it again, whatever becomes of the report queued at once. The row is written even
 * when unmarked, so that a tick marking it at the same moment from an older reading does not (`reportsToPost`).
 */
export async function reopenRoundReports(tx: Db, teamId: string, roundId: number): Promise<void> {
  await tx
    .updateTable('checkin_rounds')
    .set({ reports_queued_at: null })
    .where('team_id', '=', teamId)
    .where('id', '=', roundId)
    .where('closed_at', 'is not', null)
    .execute();
}
