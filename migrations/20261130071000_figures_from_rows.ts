import { type Kysely, sql } from 'kysely';

/**
 * Covering indexes for the digest's figures read from the steps' rows (src/db/figures.ts), so each figure
 * is read from an index alone, by period, never from every step:
 * - steps by due date, with what judges them at a period's end (when made, how and when closed, group);
 * - open steps by due date (the nudges tick's pages), with their owner and when they were made;
 * - steps by the moment they closed (those closed since a period's end were open at it);
 * - renegotiations and drops by time, with the step and the date a renegotiation replaced, and each step's
 *   group by its id;
 * - requests for support by time, with their step;
 * - check-in rounds by date, check-ins by round with what the figures count, and those asking for support.
 * The index of done and drop events by step is no longer read: a step's closing is on its row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index action_steps_due`.execute(db);
  await sql`
    create index action_steps_due on action_steps (team_id, due_date)
    include (id, created_at, status, closed_at, work_group_id)`.execute(db);
  await sql`drop index action_steps_open_due`.execute(db);
  await sql`
    create index action_steps_open_due on action_steps (team_id, due_date, id)
    include (owner_id, created_at) where status = 'open'`.execute(db);
  await sql`
    create index action_steps_closed on action_steps (team_id, closed_at)
    include (id, owner_id, created_at, due_date) where closed_at is not null`.execute(db);
  await sql`
    create index action_step_events_changes on action_step_events (team_id, at)
    include (kind, action_step_id, old_due_date) where kind in ('renegotiated', 'dropped')`.execute(db);
  await sql`drop index action_step_events_support`.execute(db);
  await sql`
    create index action_step_events_support on action_step_events (team_id, at)
    include (id, action_step_id) where kind = 'support_requested'`.execute(db);
  await sql`drop index action_step_events_closing`.execute(db);
  await sql`create index action_steps_group on action_steps (id) include (work_group_id)`.execute(db);
  await sql`create index checkin_rounds_by_date on checkin_rounds (team_id, round_date)`.execute(db);
  await sql`
    create index checkins_by_round on checkins (round_id) include (work_group_id, status, assessment)`.execute(
    db,
  );
  await sql`
    create index checkins_asking_support on checkins (round_id) include (id, answered_at)
    where support_needed is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index checkins_asking_support`.execute(db);
  await sql`drop index checkins_by_round`.execute(db);
  await sql`drop index checkin_rounds_by_date`.execute(db);
  await sql`drop index action_steps_group`.execute(db);
  await sql`
    create index action_step_events_closing on action_step_events (action_step_id, at, id)
    where kind in ('done', 'dropped')`.execute(db);
  await sql`drop index action_step_events_support`.execute(db);
  await sql`
    create index action_step_events_support on action_step_events (team_id, at)
    where kind = 'support_requested'`.execute(db);
  await sql`drop index action_step_events_changes`.execute(db);
  await sql`drop index action_steps_closed`.execute(db);
  await sql`drop index action_steps_open_due`.execute(db);
  await sql`
    create index action_steps_open_due on action_steps (team_id, due_date, id) where status = 'open'`.execute(
    db,
  );
  await sql`drop index action_steps_due`.execute(db);
  await sql`create index action_steps_due on action_steps (team_id, due_date)`.execute(db);
}
